import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, LimitKind } from '../../common/domain-error';
import { yenText } from '../../common/money';
import type { Contract } from '../../contract/contract.entity';
import { moveCounters } from '../../db/counters';
import type { User } from '../../users/user.entity';
import { addDays, type Clock } from '../../common/clock';
import { LimitUsage } from './limit-usage.entity';
import { extend } from '../../common/extend';

/** The daily limits (利用限度額) a transfer counts against. */
export type DailyLimitKind = LimitKind.USER_DAILY | LimitKind.CONTRACT_DAILY | LimitKind.SALARY_DAILY;

/** One daily limit: whose it is, and (to reserve against it) how much it allows. */
export interface DailyLimit {
  kind: DailyLimitKind;
  /** The user's id for USER_DAILY, the contract's for CONTRACT_DAILY. */
  ownerId: number;
}

const SCOPE_PREFIX: Record<DailyLimitKind, string> = {
  [LimitKind.USER_DAILY]: 'user',
  [LimitKind.CONTRACT_DAILY]: 'contract',
  [LimitKind.SALARY_DAILY]: 'salary',
};
const LABEL: Record<DailyLimitKind, string> = {
  [LimitKind.USER_DAILY]: 'your daily limit',
  [LimitKind.CONTRACT_DAILY]: 'the contract’s daily limit',
  [LimitKind.SALARY_DAILY]: 'the contract’s daily limit for salary and bonus transfers',
};

/** A contract's first days (INITIAL_PERIOD_DAYS) and the most a daily transfer limit allows in them. */
export interface InitialPeriod {
  days: number;
  dailyLimit: number;
}

/** Which daily limits a kind of order counts against: to release an order's reservation (`of`), and to reserve (`for`, with the amounts now). */
export interface OrderLimits {
  of(order: { makerUserId: number; contractId: number }): DailyLimit[];
  for(maker: User, contract: Contract): Array<DailyLimit & { limit: number }>;
}

/** The limits a transfer by `makerUserId` of `contractId` counts against. */
export function dailyLimitsOf(transfer: { makerUserId: number; contractId: number }): DailyLimit[] {
  return [
    { kind: LimitKind.USER_DAILY, ownerId: transfer.makerUserId },
    { kind: LimitKind.CONTRACT_DAILY, ownerId: transfer.contractId },
  ];
}

/** The maker's and the contract's daily limits, with their current amounts, to reserve against. */
export function dailyLimitsFor(maker: User, contract: Contract): Array<DailyLimit & { limit: number }> {
  const [userDaily, contractDaily] = dailyLimitsOf({ makerUserId: maker.id, contractId: contract.id });
  return [extend(userDaily, { limit: maker.dailyTransferLimit }), extend(contractDaily, { limit: contract.dailyTransferLimit })];
}

/** Transfers and bulk transfers (総合振込): the maker's and the contract's daily transfer limits. */
export const TRANSFER_LIMITS: OrderLimits = { of: dailyLimitsOf, for: dailyLimitsFor };

/**
 * Salary and bonus transfers: the contract's own daily limit for them (set by the bank), not the
 * daily transfer limits of the maker or the contract — a payroll run must not use up the day's
 * room for paying suppliers, nor be blocked by it.
 */
export const SALARY_LIMITS: OrderLimits = {
  of: (order) => [{ kind: LimitKind.SALARY_DAILY, ownerId: order.contractId }],
  for: (_maker, contract) => [{ kind: LimitKind.SALARY_DAILY, ownerId: contract.id, limit: contract.dailySalaryTransferLimit }],
};

/**
 * Daily limit usage (DESIGN.md §6.3). Usage moves only by one conditional UPDATE
 * (used + amount ≤ limit) inside the caller's transaction: correct on one process or fifty, on
 * SQLite and MySQL; a rollback of the transfer takes the usage back with it.
 */
export class LimitService {
  constructor(
    private readonly clock: Clock,
    private readonly initialPeriod: InitialPeriod = { days: 0, dailyLimit: 0 },
  ) {}

  /**
   * Reserves an order's amount against the daily limits its kind counts against, for its maker and
   * contract now: in the contract's initial period (its first INITIAL_PERIOD_DAYS, from its creation)
   * the daily transfer limits are at most INITIAL_PERIOD_DAILY_LIMIT — a new contract is what a
   * fraudster who has talked their way into one empties fastest. The salary limit is the bank's own.
   */
  async reserveFor(
    m: EntityManager,
    limits: OrderLimits,
    parties: { maker: User; contract: Contract },
    businessDate: string,
    amount: number,
  ): Promise<void> {
    const inInitialPeriod = this.clock.now() < addDays(parties.contract.createdAt, this.initialPeriod.days);
    const cap = (limit: DailyLimit & { limit: number }) =>
      inInitialPeriod && limit.kind !== LimitKind.SALARY_DAILY
        ? extend(limit, { limit: Math.min(limit.limit, this.initialPeriod.dailyLimit), initialPeriod: true })
        : limit;
    await this.reserve(m, limits.for(parties.maker, parties.contract).map(cap), businessDate, amount);
  }

  /** Reserves `amount` against each limit, all or nothing (the caller's transaction rolls back on a refusal). */
  async reserve(m: EntityManager, limits: Array<DailyLimit & { limit: number }>, businessDate: string, amount: number): Promise<void> {
    for (const limit of limits) await this.reserveOne(m, limit, businessDate, amount);
  }

  /** Gives a reservation back (an order rejected, cancelled or failed, or moved to another day). */
  async release(m: EntityManager, limits: DailyLimit[], businessDate: string, amount: number): Promise<void> {
    for (const limit of limits) {
      await moveCounters(m, LimitUsage, { match: { scopeKey: scopeKeyOf(limit), businessDate } }, [
        { column: 'used', by: -amount, min: 0 },
      ]);
    }
  }

  private async reserveOne(m: EntityManager, limit: DailyLimit & { limit: number }, businessDate: string, amount: number): Promise<void> {
    const scopeKey = scopeKeyOf(limit);
    const take = () =>
      moveCounters(m, LimitUsage, { match: { scopeKey, businessDate } }, [{ column: 'used', by: amount, max: limit.limit }]);
    let reserved = await take();
    if (!reserved && !(await m.existsBy(LimitUsage, { scopeKey, businessDate }))) {
      // First movement of the day: create the row (a concurrent creator wins harmlessly), then retry.
      await m.createQueryBuilder().insert().into(LimitUsage).values({ scopeKey, businessDate, used: 0 }).orIgnore().execute();
      reserved = await take();
    }
    if (!reserved) {
      const row = await m.findOneBy(LimitUsage, { scopeKey, businessDate });
      const remaining = Math.max(0, limit.limit - (row?.used ?? 0));
      const label = LABEL[limit.kind] + ('initialPeriod' in limit ? ' in the contract’s initial period' : '');
      throw new DomainError(
        ErrorCode.LIMIT_EXCEEDED,
        `This transfer exceeds ${label} (${yenText(limit.limit)} per day); ${yenText(remaining)} remains today.`,
        { limit: limit.kind, limitAmount: limit.limit, remaining, ...('initialPeriod' in limit ? { initialPeriod: true } : {}) },
      );
    }
  }
}

function scopeKeyOf(limit: DailyLimit): string {
  return `${SCOPE_PREFIX[limit.kind]}:${limit.ownerId}`;
}
