import type { EntityManager } from 'typeorm';
import { Role, User } from '../admin/user.entity';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import type { Database } from '../db/database';
import { auditActorFor, type RequestContext } from '../graphql/context';
import { PasswordKind } from './password-history.entity';
import type { PasswordHasher } from './password-hasher';

const MAX_PASSWORD_INPUT = 128;

const KIND_NAME: Record<PasswordKind, string> = {
  [PasswordKind.LOGIN]: 'login password',
  [PasswordKind.CONFIRMATION]: 'confirmation password',
};

export function lockedMessage(role: Role): string {
  return role === Role.USER
    ? 'This user ID is locked after repeated wrong passwords. Ask your administrator to reset your passwords.'
    : 'This user ID is locked after repeated wrong passwords. Please contact the bank.';
}

/**
 * R9 and DESIGN.md §6.1: at most `lockoutThreshold` password guesses are ever evaluated between
 * two successes or resets, however many requests arrive at once on however many instances.
 *
 * Every check first takes a slot with one conditional UPDATE (failedAttempts < threshold, not
 * locked) committed in its own transaction, before any hashing. Only a check that got a slot
 * hashes. A wrong password keeps its slot and locks the user once the count reaches the
 * threshold; a right one resets the count to the checks still in flight. Login and
 * confirmation passwords share the one count.
 */
export class LockoutService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly auth: GatewayConfig['auth'],
  ) {}

  private column(name: string): string {
    return this.db.dataSource.driver.escape(name);
  }

  /** Verifies one of the user's passwords under the lock rules; throws LOGIN_FAILED or ACCOUNT_LOCKED. */
  async verifyPassword(ctx: RequestContext, user: User, kind: PasswordKind, password: string): Promise<void> {
    if (password.length > MAX_PASSWORD_INPUT) {
      // Not a guess worth hashing (and a cheap way to burn CPU); refused before counting.
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `A password has at most ${MAX_PASSWORD_INPUT} characters.`);
    }
    const failed = this.column('failedAttempts');
    const inFlight = this.column('attemptsInFlight');
    const reserved = await this.db.transaction((m) =>
      m
        .createQueryBuilder()
        .update(User)
        .set({ failedAttempts: () => `${failed} + 1`, attemptsInFlight: () => `${inFlight} + 1` })
        .where('id = :id', { id: user.id })
        .andWhere('lockedAt IS NULL')
        .andWhere(`${failed} < :threshold`, { threshold: this.auth.lockoutThreshold })
        .execute(),
    );
    if (!reserved.affected) {
      const current = await this.db.manager.findOneByOrFail(User, { id: user.id });
      if (current.lockedAt) throw new DomainError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.role));
      // Every remaining attempt is being checked right now; this one is not evaluated at all.
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many password attempts at once. Please try again shortly.');
    }

    let correct = false;
    try {
      const hash = kind === PasswordKind.LOGIN ? user.loginPasswordHash : user.confirmationPasswordHash;
      correct = await this.hasher.verify(hash, password);
    } finally {
      if (correct) await this.recordSuccess(user);
      else await this.recordFailure(ctx, user, kind);
    }
  }

  private async recordSuccess(user: User): Promise<void> {
    const failed = this.column('failedAttempts');
    const inFlight = this.column('attemptsInFlight');
    const cleared = await this.db.transaction(async (m) => {
      // failedAttempts is assigned first: MySQL evaluates SET left to right, SQLite from the old row.
      const result = await m
        .createQueryBuilder()
        .update(User)
        .set({ failedAttempts: () => `${inFlight} - 1`, attemptsInFlight: () => `${inFlight} - 1` })
        .where('id = :id AND lockedAt IS NULL', { id: user.id })
        .execute();
      if (!result.affected) await this.releaseSlot(m, user.id);
      return !!result.affected;
    });
    // Other wrong guesses locked the user while this right one was being checked.
    if (!cleared) throw new DomainError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.role));
  }

  private releaseSlot(m: EntityManager, userId: number) {
    const inFlight = this.column('attemptsInFlight');
    return m
      .createQueryBuilder()
      .update(User)
      .set({ attemptsInFlight: () => `${inFlight} - 1` })
      .where('id = :id', { id: userId })
      .execute();
  }

  private async recordFailure(ctx: RequestContext, user: User, kind: PasswordKind): Promise<never> {
    const failed = this.column('failedAttempts');
    const now = this.clock.now();
    const { lockedNow, failedAttempts } = await this.db.transaction(async (m) => {
      await this.releaseSlot(m, user.id);
      const locked = await m
        .createQueryBuilder()
        .update(User)
        .set({ lockedAt: now })
        .where('id = :id AND lockedAt IS NULL', { id: user.id })
        .andWhere(`${failed} >= :threshold`, { threshold: this.auth.lockoutThreshold })
        .execute();
      const { failedAttempts } = await m.findOneByOrFail(User, { id: user.id });
      const actor = auditActorFor(ctx, user);
      await this.audit.record(m, actor, {
        action: kind === PasswordKind.LOGIN ? 'LOGIN_FAILED' : 'CONFIRMATION_PASSWORD_FAILED',
        outcome: AuditOutcome.FAILURE,
        target: { type: 'User', id: user.id },
        detail: { failedAttempts },
      });
      if (locked.affected) {
        await this.audit.record(m, actor, {
          action: 'USER_LOCKED',
          target: { type: 'User', id: user.id },
          detail: { reason: 'consecutive wrong passwords', threshold: this.auth.lockoutThreshold },
        });
      }
      return { lockedNow: !!locked.affected, failedAttempts };
    });
    if (lockedNow) {
      throw new DomainError(
        ErrorCode.ACCOUNT_LOCKED,
        `The ${KIND_NAME[kind]} is wrong. ${lockedMessage(user.role)}`,
      );
    }
    const remainingAttempts = Math.max(0, this.auth.lockoutThreshold - failedAttempts);
    throw new DomainError(
      ErrorCode.LOGIN_FAILED,
      `The ${KIND_NAME[kind]} is wrong. ${remainingAttempts} attempt(s) remain before this user ID is locked.`,
      { remainingAttempts },
    );
  }
}
