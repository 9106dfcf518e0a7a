import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import { LimitUsage } from './transfer.entity';

export interface DailyLimit {
  scopeKey: string;
  /** How the limit is named to the user: "your daily limit", "the contract's daily limit". */
  label: string;
  limit: number;
}

/**
 * Daily limit usage (DESIGN.md §6.3). Usage moves only by one conditional UPDATE
 * (used + amount ≤ limit) inside the caller's transaction: correct on one process or fifty, on
 * SQLite and MySQL; a rollback of the transfer takes the usage back with it.
 */
export class LimitService {
  constructor(private readonly db: Database) {}

  private column(name: string) {
    return this.db.dataSource.driver.escape(name);
  }

  async reserve(m: EntityManager, limit: DailyLimit, businessDate: string, amount: number): Promise<void> {
    const used = this.column('used');
    const attempt = () =>
      m
        .createQueryBuilder()
        .update(LimitUsage)
        .set({ used: () => `${used} + :amount` })
        .where('scopeKey = :scopeKey AND businessDate = :businessDate', { scopeKey: limit.scopeKey, businessDate })
        .andWhere(`${used} + :amount <= :limit`, { amount, limit: limit.limit })
        .execute();
    let result = await attempt();
    if (!result.affected && !(await m.existsBy(LimitUsage, { scopeKey: limit.scopeKey, businessDate }))) {
      // First movement of the day: create the row (a concurrent creator wins harmlessly), then retry.
      await m.createQueryBuilder().insert().into(LimitUsage).values({ scopeKey: limit.scopeKey, businessDate, used: 0 }).orIgnore().execute();
      result = await attempt();
    }
    if (!result.affected) {
      const row = await m.findOneBy(LimitUsage, { scopeKey: limit.scopeKey, businessDate });
      const remaining = Math.max(0, limit.limit - (row?.used ?? 0));
      throw new DomainError(
        ErrorCode.LIMIT_EXCEEDED,
        `This transfer exceeds ${limit.label} (¥${limit.limit.toLocaleString('ja-JP')} per day); ¥${remaining.toLocaleString('ja-JP')} remains today.`,
        { limit: limit.label, dailyLimit: limit.limit, remaining },
      );
    }
  }

  async release(m: EntityManager, scopeKey: string, businessDate: string, amount: number): Promise<void> {
    const used = this.column('used');
    await m
      .createQueryBuilder()
      .update(LimitUsage)
      .set({ used: () => `${used} - :amount` })
      .where('scopeKey = :scopeKey AND businessDate = :businessDate', { scopeKey, businessDate })
      .andWhere(`${used} >= :amount`, { amount })
      .execute();
  }
}
