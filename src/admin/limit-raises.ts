import { IsNull, LessThanOrEqual, Not, type EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { systemActor } from '../audit/audit-actor';
import type { AuditActor, AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import type { Database } from '../db/database';
import { User } from '../users/user.entity';
import { extend } from '../common/extend';

const HOUR_MS = 60 * 60 * 1000;

export interface TransferLimits {
  transferLimitPerTransaction: number;
  dailyTransferLimit: number;
}

const limitsOf = (user: TransferLimits): TransferLimits => ({
  transferLimitPerTransaction: user.transferLimitPerTransaction,
  dailyTransferLimit: user.dailyTransferLimit,
});

/**
 * A raise of a user's limits takes effect LIMIT_RAISE_DELAY_HOURS after the administrator sets it:
 * a fraudster who has taken over an administrator's PC cannot raise a limit and empty the account
 * the same hour, and the user and the administrators have time to see it (LIMIT_RAISE_SCHEDULED,
 * from which notices are sent). A lowering takes effect at once. The raise is applied by the
 * scheduled run after its time, by one conditional UPDATE per user (exactly once, on however many
 * instances), audited LIMIT_RAISE_EFFECTIVE in the same transaction.
 */
export class LimitRaises {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly delayHours: number,
  ) {}

  /**
   * Sets `wanted` for `user` in the caller's transaction: each limit no higher than now at once;
   * with one higher, both wanted values wait until the delay has passed (replacing any raise
   * already waiting). Each limit now is the lower of the current and the wanted one, so the
   * per-transfer limit stays within the daily one.
   */
  async set(m: EntityManager, actor: AuditActor, user: User, wanted: TransferLimits): Promise<void> {
    const from = limitsOf(user);
    const raised =
      this.delayHours > 0 &&
      (wanted.transferLimitPerTransaction > from.transferLimitPerTransaction || wanted.dailyTransferLimit > from.dailyTransferLimit);
    const now: TransferLimits = raised
      ? {
          transferLimitPerTransaction: Math.min(from.transferLimitPerTransaction, wanted.transferLimitPerTransaction),
          dailyTransferLimit: Math.min(from.dailyTransferLimit, wanted.dailyTransferLimit),
        }
      : wanted;
    const effectiveAt = raised ? new Date(this.clock.now().getTime() + this.delayHours * HOUR_MS) : null;
    await m.update(
      User,
      { id: user.id },
      extend(now, {
        pendingTransferLimitPerTransaction: raised ? wanted.transferLimitPerTransaction : null,
        pendingDailyTransferLimit: raised ? wanted.dailyTransferLimit : null,
        limitRaiseEffectiveAt: effectiveAt,
      }),
    );
    const target = { type: 'User', id: user.id };
    await this.audit.record(m, actor, { action: AuditAction.LIMITS_CHANGED, target, detail: { from, to: now } });
    if (effectiveAt) {
      await this.audit.record(m, actor, {
        action: AuditAction.LIMIT_RAISE_SCHEDULED,
        target,
        detail: { from: now, to: wanted, effectiveAt: effectiveAt.toISOString() },
      });
    }
  }

  /** Applies every raise whose time has come; how many took effect (by this instance). */
  async applyDue(): Promise<number> {
    const due = await this.db.manager.find(User, {
      where: { limitRaiseEffectiveAt: LessThanOrEqual(this.clock.now()), pendingDailyTransferLimit: Not(IsNull()) },
    });
    let applied = 0;
    for (const user of due) {
      const to = {
        transferLimitPerTransaction: user.pendingTransferLimitPerTransaction!,
        dailyTransferLimit: user.pendingDailyTransferLimit!,
      };
      applied += await this.db.transaction(async (m) => {
        // Only the raise read here: another instance's application, or a newer setting, changes nothing.
        const moved = await m.update(
          User,
          {
            id: user.id,
            limitRaiseEffectiveAt: user.limitRaiseEffectiveAt!,
            pendingDailyTransferLimit: to.dailyTransferLimit,
            pendingTransferLimitPerTransaction: to.transferLimitPerTransaction,
          },
          extend(to, { pendingTransferLimitPerTransaction: null, pendingDailyTransferLimit: null, limitRaiseEffectiveAt: null }),
        );
        if (!moved.affected) return 0;
        await this.audit.record(m, systemActor(user.contractId), {
          action: AuditAction.LIMIT_RAISE_EFFECTIVE,
          target: { type: 'User', id: user.id },
          detail: { from: limitsOf(user), to },
        });
        return 1;
      });
    }
    return applied;
  }
}
