import { AuditAction } from '../audit/audit-action';
import { User } from '../users/user.entity';
import { callerIdentity, callerUser } from './caller';
import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import { quoted } from '../db/counters';
import type { Database } from '../db/database';
import { type RequestContext } from '../graphql/context';
import { auditActor } from '../audit/audit-actor';
import { certificateStatus, mustChangePassword, passwordStatus } from './credential-status';
import type { CertificateStatus, PasswordStatus } from './whoami.types';
import type { LockoutService } from './lockout.service';
import { PasswordHistory, PasswordKind } from './password-history.entity';
import type { PasswordHasher } from './password-hasher';
import { checkPasswordPolicy } from './password-policy';
import type { Session } from './session.entity';
import type { SessionService } from './session.service';
import { extend } from '../common/extend';

export interface LoginOutcome {
  token: string;
  session: Session;
  idleExpiresAt: Date;
  mustChangePassword: boolean;
  /** The login before this one (前回ログイン日時); null on the first. */
  previousLoginAt: Date | null;
  passwordStatus: PasswordStatus;
  certificateStatus: CertificateStatus;
}

const HASH_COLUMN = { [PasswordKind.LOGIN]: 'loginPasswordHash', [PasswordKind.CONFIRMATION]: 'confirmationPasswordHash' } as const;

/** R1, R3, R11: PIN login on top of the certificate, and changing passwords. */
export class LoginService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionService,
    private readonly config: GatewayConfig,
  ) {}

  async login(ctx: RequestContext, pin: string): Promise<LoginOutcome> {
    const identity = callerIdentity(ctx);
    await this.lockout.verifyPassword(ctx, identity.user, PasswordKind.LOGIN, pin);
    const now = this.clock.now();
    const { token, session, previousLoginAt } = await this.db.transaction(async (m) => {
      const opened = await this.sessions.open(m, ctx);
      // One UPDATE moves the latest login to previousLoginAt (SET reads the old row on SQLite, and
      // left to right on MySQL: previousLoginAt first), so two logins at once cannot both see the
      // same "previous" time. The row, read back inside the transaction, shows what was moved.
      await m
        .createQueryBuilder()
        .update(User)
        .set({ previousLoginAt: () => quoted(m, 'lastLoginAt'), lastLoginAt: now })
        .where('id = :id', { id: identity.user.id })
        .execute();
      const after = await m.findOneOrFail(User, { where: { id: identity.user.id }, select: { id: true, previousLoginAt: true } });
      await this.audit.record(m, auditActor(ctx), { action: AuditAction.LOGIN, target: { type: 'Session', id: opened.session.id } });
      return extend(opened, { previousLoginAt: after.previousLoginAt });
    });
    return {
      token,
      session,
      idleExpiresAt: this.sessions.idleExpiry(session),
      previousLoginAt,
      mustChangePassword: mustChangePassword(identity.user, now, this.config.auth),
      passwordStatus: passwordStatus(identity.user, now, this.config.auth),
      certificateStatus: certificateStatus(identity.certificate, now, this.config.pki),
    };
  }

  /**
   * Changes the login or confirmation password. The policy is checked first (no guess is
   * spent on a new password that would be refused anyway); a wrong current password counts
   * toward the lock; the new one may not repeat the last N nor equal the other password.
   */
  async changePassword(ctx: RequestContext, kind: PasswordKind, current: string, next: string): Promise<User> {
    const user = callerUser(ctx);
    checkPasswordPolicy(next, user.loginId, this.config.auth);
    await this.lockout.verifyPassword(ctx, user, kind, current);

    const otherKind = kind === PasswordKind.LOGIN ? PasswordKind.CONFIRMATION : PasswordKind.LOGIN;
    if (await this.hasher.verify(user[HASH_COLUMN[otherKind]], next)) {
      throw new DomainError(ErrorCode.PASSWORD_POLICY, 'The login password and the confirmation password must differ.', {
        rule: 'DIFFERENT_FROM_OTHER_PASSWORD',
      });
    }
    const history = this.config.auth.passwordHistory;
    const earlier =
      history > 0
        ? await this.db.manager.find(PasswordHistory, {
            where: { userId: user.id, kind },
            order: { createdAt: 'DESC', id: 'DESC' },
            take: history - 1,
          })
        : [];
    for (const hash of [user[HASH_COLUMN[kind]], ...earlier.map((h) => h.passwordHash)]) {
      if (history > 0 && (await this.hasher.verify(hash, next))) {
        throw new DomainError(ErrorCode.PASSWORD_POLICY, `The new password must differ from your last ${history} passwords.`, {
          rule: 'HISTORY',
        });
      }
    }

    const nextHash = await this.hasher.hash(next);
    const now = this.clock.now();
    const changes: Partial<User> =
      kind === PasswordKind.LOGIN
        ? { loginPasswordHash: nextHash, loginPasswordChangedAt: now, loginPasswordTemporary: false }
        : { confirmationPasswordHash: nextHash, confirmationPasswordChangedAt: now, confirmationPasswordTemporary: false };
    await this.db.transaction(async (m) => {
      await m.update(User, { id: user.id }, changes);
      await m.insert(PasswordHistory, { userId: user.id, kind, passwordHash: user[HASH_COLUMN[kind]], createdAt: now });
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PASSWORD_CHANGED,
        target: { type: 'User', id: user.id },
        detail: { kind },
      });
    });
    return Object.assign(user, changes);
  }
}
