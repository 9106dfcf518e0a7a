import { AuditAction } from '../audit/audit-action';
import { LessThanOrEqual, type EntityManager } from 'typeorm';
import { User } from '../users/user.entity';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import { moveCounters, quoted } from '../db/counters';
import type { Database } from '../db/database';
import { type RequestContext } from '../graphql/context';
import { auditActorFor } from '../audit/audit-actor';
import { lockedMessage } from './locked-message';
import { PasswordCheck } from './password-check.entity';
import { PasswordKind } from './password-history.entity';
import type { PasswordHasher } from './password-hasher';

const MAX_PASSWORD_INPUT = 128;

const KIND_NAME: Record<PasswordKind, string> = {
  [PasswordKind.LOGIN]: 'login password',
  [PasswordKind.CONFIRMATION]: 'confirmation password',
};

/** The attempt slot a check holds: its password_checks row and the end of its lease. */
interface HeldSlot {
  checkId: number;
  startedAt: Date;
  leaseExpiresAt: Date;
}

/** Thrown from the hasher queue: too little of the lease is left to start hashing. */
class LeaseRunningOut extends Error {}

/**
 * R9 and DESIGN.md §6.1: at most `lockoutThreshold` password guesses are ever evaluated between
 * two successes or resets, however many requests arrive at once on however many instances.
 *
 * Every check first takes a slot with one conditional UPDATE (failedAttempts < threshold, not
 * locked), and in the same transaction a password_checks row with a lease, committed before any
 * hashing. Only a check that got a slot hashes. Its result counts only if the check then deletes
 * its own row, in the transaction that records the result: a wrong password keeps the slot as a
 * failure (and locks once `threshold` failures are settled), a right one resets the count to the
 * checks still in flight. Login and confirmation passwords share the one count.
 *
 * DESIGN.md §6.5: a check that never records its result (process killed, database gone) leaves
 * its row behind; once the lease has run out, the next check for that user on any instance
 * deletes the row and gives the slot back. A check whose row is gone (reclaimed, or deleted by
 * a password reset) answers without telling right from wrong, so no guess escapes the count and
 * no slot leaks.
 */
export class LockoutService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly auth: GatewayConfig['auth'],
  ) {}

  private get leaseMs(): number {
    return this.auth.passwordCheckLeaseSeconds * 1000;
  }

  /** Verifies one of the user's passwords under the lock rules; throws LOGIN_FAILED or ACCOUNT_LOCKED. */
  async verifyPassword(ctx: RequestContext, user: User, kind: PasswordKind, password: string): Promise<void> {
    if (password.length > MAX_PASSWORD_INPUT) {
      // Not a guess worth hashing (and a cheap way to burn CPU); refused before counting.
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `A password has at most ${MAX_PASSWORD_INPUT} characters.`);
    }
    await this.reclaimExpiredChecks(ctx, user);
    const slot = await this.takeSlot(user, kind);

    let correct: boolean;
    try {
      const hash = kind === PasswordKind.LOGIN ? user.loginPasswordHash : user.confirmationPasswordHash;
      correct = await this.hasher.verify(hash, password, () => this.ensureLeaseLeft(slot));
    } catch (error) {
      if (!(error instanceof LeaseRunningOut)) throw error;
      await this.giveBack(slot, user.id);
      const waitedSeconds = Math.ceil((this.clock.now().getTime() - slot.startedAt.getTime()) / 1000);
      throw new DomainError(
        ErrorCode.RATE_LIMITED,
        'Password checks are queued too long right now; this attempt was not checked or counted. Please try again shortly.',
        { retryAfterSeconds: Math.max(1, waitedSeconds) },
      );
    }
    // If recording fails, the error answers INTERNAL: nobody learns the result, and the row's
    // lease gives the slot back later.
    if (correct) await this.recordSuccess(user, slot);
    else await this.recordFailure(ctx, user, kind, slot);
  }

  /**
   * Gives back the slots of the user's checks whose lease has run out without a result. Each row
   * is deleted by id: only the transaction whose DELETE removed it gives its slot back, so two
   * instances reclaiming at once count it back once.
   */
  private async reclaimExpiredChecks(ctx: RequestContext, user: User): Promise<void> {
    const now = this.clock.now();
    const expired = await this.db.manager.find(PasswordCheck, {
      select: { id: true },
      where: { userId: user.id, leaseExpiresAt: LessThanOrEqual(now) },
    });
    if (!expired.length) return;
    await this.db.transaction(async (m) => {
      let reclaimed = 0;
      for (const { id } of expired) {
        const deleted = await m.delete(PasswordCheck, { id, leaseExpiresAt: LessThanOrEqual(now) });
        if (!deleted.affected) continue;
        await this.releaseSlot(m, user.id, { uncount: true });
        reclaimed++;
      }
      if (!reclaimed) return;
      await this.audit.record(m, auditActorFor(ctx, user), {
        action: AuditAction.PASSWORD_CHECK_RECLAIMED,
        target: { type: 'User', id: user.id },
        detail: { reclaimed, reason: 'lease expired without a recorded result' },
      });
    });
  }

  private async takeSlot(user: User, kind: PasswordKind): Promise<HeldSlot> {
    const startedAt = this.clock.now();
    const leaseExpiresAt = new Date(startedAt.getTime() + this.leaseMs);
    const checkId = await this.db.transaction(async (m) => {
      const reserved = await moveCounters(m, User, { match: { id: user.id }, condition: 'lockedAt IS NULL' }, [
        { column: 'failedAttempts', by: 1, max: this.auth.lockoutThreshold },
        { column: 'attemptsInFlight', by: 1 },
      ]);
      if (!reserved) return null;
      const inserted = await m.insert(PasswordCheck, { userId: user.id, kind, startedAt, leaseExpiresAt });
      return Number(inserted.identifiers[0].id);
    });
    if (checkId === null) {
      const current = await this.db.manager.findOneByOrFail(User, { id: user.id });
      if (current.lockedAt) throw new DomainError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.role));
      // Every remaining attempt is being checked right now; this one is not evaluated at all.
      // The checks holding the slots finish within a hash's time (or their lease).
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many password attempts at once. Please try again shortly.', {
        retryAfterSeconds: 1,
      });
    }
    return { checkId, startedAt, leaseExpiresAt };
  }

  /**
   * Called as hashing would start. Half the lease is kept for the hash itself, recording the
   * result (with its retries), pauses and clock differences between instances, so a check that
   * queued this long is not evaluated at all.
   */
  private ensureLeaseLeft(slot: HeldSlot): void {
    if (slot.leaseExpiresAt.getTime() - this.clock.now().getTime() < this.leaseMs / 2) throw new LeaseRunningOut();
  }

  /** Deletes the check's own row; true if this check still held its slot. */
  private async settle(m: EntityManager, slot: HeldSlot): Promise<boolean> {
    const deleted = await m.delete(PasswordCheck, { id: slot.checkId });
    return !!deleted.affected;
  }

  /** Hands an unevaluated check's slot back (nothing happens if a reclaim or reset already did). */
  private async giveBack(slot: HeldSlot, userId: number): Promise<void> {
    await this.db.transaction(async (m) => {
      if (await this.settle(m, slot)) await this.releaseSlot(m, userId, { uncount: true });
    });
  }

  /**
   * Ends one check's hold on its slot; `uncount` also takes it off failedAttempts (the guess was
   * never evaluated). Guarded so that counts never go below zero.
   */
  private releaseSlot(m: EntityManager, userId: number, { uncount }: { uncount: boolean }) {
    const failed = quoted(this.db.manager, 'failedAttempts');
    return moveCounters(
      m,
      User,
      { match: { id: userId } },
      [{ column: 'attemptsInFlight', by: -1, min: 0 }],
      uncount ? { failedAttempts: () => `CASE WHEN ${failed} > 0 THEN ${failed} - 1 ELSE 0 END` } : {},
    );
  }

  /** The answer when a check lost its slot before recording: the same whether it was right or wrong. */
  private notCounted(): DomainError {
    return new DomainError(ErrorCode.RATE_LIMITED, 'This password check took too long and was not counted. Please try again.', {
      retryAfterSeconds: 1,
    });
  }

  private async recordSuccess(user: User, slot: HeldSlot): Promise<void> {
    const inFlight = quoted(this.db.manager, 'attemptsInFlight');
    const outcome = await this.db.transaction(async (m) => {
      if (!(await this.settle(m, slot))) return 'not counted' as const;
      // failedAttempts is assigned first: MySQL evaluates SET left to right, SQLite from the old
      // row. The checks still in flight stay counted; the settled failures are forgiven.
      const result = await m
        .createQueryBuilder()
        .update(User)
        .set({
          failedAttempts: () => `CASE WHEN ${inFlight} > 0 THEN ${inFlight} - 1 ELSE 0 END`,
          attemptsInFlight: () => `CASE WHEN ${inFlight} > 0 THEN ${inFlight} - 1 ELSE 0 END`,
        })
        .where('id = :id AND lockedAt IS NULL', { id: user.id })
        .execute();
      if (result.affected) return 'cleared' as const;
      await this.releaseSlot(m, user.id, { uncount: false });
      return 'locked' as const;
    });
    if (outcome === 'not counted') throw this.notCounted();
    // Other wrong guesses locked the user while this right one was being checked.
    if (outcome === 'locked') throw new DomainError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.role));
  }

  private async recordFailure(ctx: RequestContext, user: User, kind: PasswordKind, slot: HeldSlot): Promise<never> {
    const failed = quoted(this.db.manager, 'failedAttempts');
    const inFlight = quoted(this.db.manager, 'attemptsInFlight');
    const now = this.clock.now();
    const recorded = await this.db.transaction(async (m) => {
      if (!(await this.settle(m, slot))) return null;
      // The slot becomes a settled failure: it leaves attemptsInFlight and stays in failedAttempts.
      await this.releaseSlot(m, user.id, { uncount: false });
      // Only settled failures lock: slots of checks still in flight (or of a crashed instance,
      // until their lease runs out) keep further guesses out but never lock by themselves.
      const locked = await m
        .createQueryBuilder()
        .update(User)
        .set({ lockedAt: now })
        .where('id = :id AND lockedAt IS NULL', { id: user.id })
        .andWhere(`${failed} - ${inFlight} >= :threshold`, { threshold: this.auth.lockoutThreshold })
        .execute();
      const { failedAttempts } = await m.findOneByOrFail(User, { id: user.id });
      const actor = auditActorFor(ctx, user);
      await this.audit.record(m, actor, {
        action: kind === PasswordKind.LOGIN ? AuditAction.LOGIN_FAILED : AuditAction.CONFIRMATION_PASSWORD_FAILED,
        outcome: AuditOutcome.FAILURE,
        target: { type: 'User', id: user.id },
        detail: { failedAttempts },
      });
      if (locked.affected) {
        await this.audit.record(m, actor, {
          action: AuditAction.USER_LOCKED,
          target: { type: 'User', id: user.id },
          detail: { reason: 'consecutive wrong passwords', threshold: this.auth.lockoutThreshold },
        });
      }
      return { lockedNow: !!locked.affected, failedAttempts };
    });
    if (!recorded) throw this.notCounted();
    if (recorded.lockedNow) {
      throw new DomainError(ErrorCode.ACCOUNT_LOCKED, `The ${KIND_NAME[kind]} is wrong. ${lockedMessage(user.role)}`);
    }
    const remainingAttempts = Math.max(0, this.auth.lockoutThreshold - recorded.failedAttempts);
    throw new DomainError(
      ErrorCode.LOGIN_FAILED,
      `The ${KIND_NAME[kind]} is wrong. ${remainingAttempts} attempt(s) remain before this user ID is locked.`,
      { remainingAttempts },
    );
  }
}
