import { SessionEndReason } from '../auth/session.entity';
import { AuditAction } from '../audit/audit-action';
import ipaddr from 'ipaddr.js';
import { In } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import type { AuditService } from '../audit/audit.service';
import { callerContractId, callerUser } from '../auth/caller';
import type { ConfirmationService } from '../auth/confirmation.service';
import type { CredentialService, TemporaryPasswords } from '../auth/credential.service';
import type { SessionService } from '../auth/session.service';
import { Account, UserAccount } from '../banking/accounts/account.entity';
import { addDays, type Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { addressInList } from '../common/ip-ranges';
import type { RateLimiter } from '../common/rate-limiter';
import type { LimitRaises } from './limit-raises';
import type { BoundChange } from '../auth/passkeys/change-binding';
import type { ChangePasskeys } from '../auth/passkeys/change-passkeys';
import type { IssuedChallenge } from '../auth/passkeys/passkey.service';
import type { GatewayConfig } from '../config';
import { Contract } from '../contract/contract.entity';
import { valueTaken, type Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { Certificate } from '../pki/certificate.entity';
import type { EnrollmentService, IssuedEnrollmentCode } from '../pki/enrollment.service';
import { emailAddressOf } from '../notices/email-address';
import { Permission, Role, User, UserStatus } from '../users/user.entity';
import type { CreateUserInput, UserLimitsInput, UserSummary } from './admin.types';
import { extend } from '../common/extend';

const NOT_IN_CONTRACT = 'There is no such user in your contract.';

/**
 * Login IDs are unique across the bank (enrollment and certificates name a user by login ID
 * alone), so createUser must refuse one held by another company or by the bank's staff. Such a
 * refusal comes only after the confirmation password, reads as for the administrator's own
 * users, and is limited per administrator: probing for other companies' IDs is slow and costs
 * the probe nothing it could not do by the form.
 */
export const UNAVAILABLE_LOGIN_ID_LIMITS = {
  windowMs: 60 * 60_000,
  perAdministrator: 10,
  key: (userId: number) => `create-user:login-id-taken:${userId}`,
};

/**
 * The customer administrator's menu (管理機能): the users of the administrator's own contract
 * (another contract's users are invisible and untouchable) and the contract's IP allow-list.
 * Every change needs the administrator's confirmation password. (Revocation, the emergency stop
 * and the audit log are shared with the bank and live in pki/, operator/ and audit/.)
 */
export class AdminService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly enrollment: EnrollmentService,
    private readonly rateLimiter: RateLimiter,
    private readonly config: GatewayConfig,
    private readonly limitRaises: LimitRaises,
    private readonly changePasskeys: ChangePasskeys,
  ) {}

  /** A user of the administrator's contract; anything else is "no such user" (no existence oracle). */
  async userOfMyContract(ctx: RequestContext, userId: number): Promise<User> {
    const user = await this.db.manager.findOneBy(User, { id: userId, contractId: callerContractId(ctx) });
    if (!user) throw new DomainError(ErrorCode.FORBIDDEN, NOT_IN_CONTRACT);
    return user;
  }

  /** Administrators manage users; another administrator's passwords and certificates are the bank's (R8, R12). */
  private async customerUserOfMyContract(ctx: RequestContext, userId: number): Promise<User> {
    const user = await this.userOfMyContract(ctx, userId);
    if (user.role !== Role.USER) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'An administrator’s passwords and certificates are handled by the bank (お届け印 procedure at a branch).',
      );
    }
    return user;
  }

  async summaries(users: User[]): Promise<UserSummary[]> {
    const ids = users.map((u) => u.id);
    const active = ids.length ? await this.db.manager.findBy(Certificate, { activeUserId: In(ids) }) : [];
    const byUser = new Map(active.map((c) => [c.userId, c]));
    const assigned = ids.length ? await this.db.manager.findBy(UserAccount, { userId: In(ids) }) : [];
    return users.map((user) => {
      const certificate = byUser.get(user.id);
      return {
        id: user.id,
        loginId: user.loginId,
        displayName: user.displayName,
        role: user.role,
        status: user.status,
        locked: user.lockedAt !== null,
        failedAttempts: user.failedAttempts,
        permissions: user.permissions,
        transferLimitPerTransaction: user.transferLimitPerTransaction,
        dailyTransferLimit: user.dailyTransferLimit,
        activeCertificate: certificate
          ? {
              id: certificate.id,
              serialNumber: certificate.serialNumber,
              fingerprint: certificate.fingerprint,
              notAfter: certificate.notAfter,
            }
          : null,
        lastLoginAt: user.lastLoginAt,
        passwordExpiresAt: addDays(user.loginPasswordChangedAt, this.config.auth.passwordMaxAgeDays),
        passwordTemporary: user.loginPasswordTemporary || user.confirmationPasswordTemporary,
        emailAddress: user.emailAddress,
        pendingLimitRaise:
          user.limitRaiseEffectiveAt && user.pendingDailyTransferLimit !== null && user.pendingTransferLimitPerTransaction !== null
            ? {
                transferLimitPerTransaction: user.pendingTransferLimitPerTransaction,
                dailyTransferLimit: user.pendingDailyTransferLimit,
                effectiveAt: user.limitRaiseEffectiveAt,
              }
            : null,
        accountIds: assigned
          .filter((a) => a.userId === user.id)
          .map((a) => a.accountId)
          .sort((a, b) => a - b),
      };
    });
  }

  async summary(userId: number): Promise<UserSummary> {
    return (await this.summaries([await this.db.manager.findOneByOrFail(User, { id: userId })]))[0];
  }

  async users(ctx: RequestContext): Promise<UserSummary[]> {
    const users = await this.db.manager.find(User, { where: { contractId: callerContractId(ctx) }, order: { loginId: 'ASC' } });
    return this.summaries(users);
  }

  /** 取引認証: the passkey challenge for creating this user as given. */
  beginCreateUser(ctx: RequestContext, input: CreateUserInput): Promise<IssuedChallenge & { binding: string }> {
    checkLimits(input);
    return this.changePasskeys.begin(ctx, newUserChange(ctx, input));
  }

  async createUser(
    ctx: RequestContext,
    input: CreateUserInput,
    confirmationPassword: string,
    passkeyAssertion: string | null = null,
  ): Promise<{ userId: number; passwords: TemporaryPasswords; code: IssuedEnrollmentCode }> {
    checkLimits(input);
    const emailAddress = emailAddressOf(input.emailAddress);
    const taken = () => valueTaken('UQ_users_loginId', { value: input.loginId });
    // One of the administrator's own users (listed in `users` anyway): a typo is answered at once.
    if (await this.db.manager.existsBy(User, { loginId: input.loginId, contractId: callerContractId(ctx) })) throw taken();
    const change = newUserChange(ctx, input);
    await this.changePasskeys.requireIfDue(ctx, change, passkeyAssertion);
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.changePasskeys.verifyIfGiven(ctx, change, passkeyAssertion);
    await this.refuseLoginIdTakenElsewhere(ctx, input.loginId, taken);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    return this.db.transaction(async (m) => {
      const user = await m.save(
        m.create(
          User,
          this.credentials.newUserWithTemporaryPasswords(
            {
              contractId: callerContractId(ctx),
              loginId: input.loginId,
              displayName: input.displayName,
              role: Role.USER,
              permissions: input.permissions,
              transferLimitPerTransaction: input.transferLimitPerTransaction,
              dailyTransferLimit: input.dailyTransferLimit,
              emailAddress,
            },
            prepared,
          ),
        ),
      );
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.USER_CREATED,
        target: { type: 'User', id: user.id },
        detail: { loginId: user.loginId, permissions: input.permissions, ...limitsOf(input) },
      });
      // As setUserEmailAddress audits it: the notice of it goes to the new address and to the administrators.
      if (emailAddress !== null) {
        await this.audit.record(m, auditActor(ctx), {
          action: AuditAction.EMAIL_ADDRESS_CHANGED,
          target: { type: 'User', id: user.id },
          detail: { set: true },
        });
      }
      const code = await this.enrollment.issueCode(m, ctx, user);
      return { userId: user.id, passwords: prepared.plain, code };
    });
  }

  /** The same answer as for the administrator's own users, at most UNAVAILABLE_LOGIN_ID_LIMITS a window. */
  private async refuseLoginIdTakenElsewhere(ctx: RequestContext, loginId: string, taken: () => DomainError): Promise<void> {
    const { windowMs, perAdministrator, key } = UNAVAILABLE_LOGIN_ID_LIMITS;
    // Taken before the look-up, so parallel requests cannot overshoot; given back when the ID is free.
    const slot = await this.rateLimiter.take(
      key(callerUser(ctx).id),
      windowMs,
      perAdministrator,
      (seconds) => `Too many login IDs that are already taken were tried. Please try again in ${Math.ceil(seconds / 60)} minutes.`,
    );
    const exists = await this.db.manager.existsBy(User, { loginId }).catch(async (error: unknown) => {
      await this.rateLimiter.giveBack(slot);
      throw error;
    });
    if (exists) throw taken();
    await this.rateLimiter.giveBack(slot);
  }

  async setUserPermissions(ctx: RequestContext, userId: number, permissions: Permission[], confirmationPassword: string): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      await m.update(User, { id: user.id }, { permissions });
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PERMISSIONS_CHANGED,
        target: { type: 'User', id: user.id },
        detail: { from: user.permissions, to: [...new Set(permissions)].sort() },
      });
    });
  }

  /** 取引認証: the passkey challenge for setting these limits on this user. */
  async beginSetUserLimits(ctx: RequestContext, userId: number, limits: UserLimitsInput): Promise<IssuedChallenge & { binding: string }> {
    const user = await this.userOfMyContract(ctx, userId);
    checkLimits(limits);
    return this.changePasskeys.begin(ctx, limitsChange(user, limits));
  }

  async setUserLimits(
    ctx: RequestContext,
    userId: number,
    limits: UserLimitsInput,
    confirmationPassword: string,
    passkeyAssertion: string | null = null,
  ): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    checkLimits(limits);
    const change = limitsChange(user, limits);
    // Only a raise is risky (the fraud script raises the limit it then uses); a lowering never asks.
    const raising =
      limits.transferLimitPerTransaction > user.transferLimitPerTransaction || limits.dailyTransferLimit > user.dailyTransferLimit;
    if (raising) await this.changePasskeys.requireIfDue(ctx, change, passkeyAssertion);
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.changePasskeys.verifyIfGiven(ctx, change, passkeyAssertion);
    // A raise waits LIMIT_RAISE_DELAY_HOURS (admin/limit-raises.ts); a lowering is at once.
    await this.db.transaction((m) => this.limitRaises.set(m, auditActor(ctx), user, limitsOf(limits)));
  }

  /** 利用口座: the contract's accounts this user may work with. */
  async setUserAccounts(ctx: RequestContext, userId: number, accountIds: number[], confirmationPassword: string): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    const wanted = [...new Set(accountIds)];
    const accounts = wanted.length ? await this.db.manager.findBy(Account, { id: In(wanted), contractId: callerContractId(ctx) }) : [];
    if (accounts.length !== wanted.length)
      throw new DomainError(ErrorCode.FORBIDDEN, 'Some of these accounts are not your contract’s.', { field: 'accountIds' });
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      await m.delete(UserAccount, { userId: user.id });
      if (wanted.length)
        await m.insert(
          UserAccount,
          wanted.map((accountId) => ({ userId: user.id, accountId })),
        );
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.USER_ACCOUNTS_CHANGED,
        target: { type: 'User', id: user.id },
        detail: { accountIds: wanted.sort((a, b) => a - b) },
      });
    });
  }

  /** R7/R10: temporary passwords that must be changed at the next login; clears the lock. */
  async resetUserPasswords(ctx: RequestContext, userId: number, confirmationPassword: string): Promise<TemporaryPasswords> {
    const user = await this.customerUserOfMyContract(ctx, userId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    await this.db.transaction(async (m) => {
      await this.credentials.applyTemporaryPasswords(m, user.id, prepared);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PASSWORDS_RESET,
        target: { type: 'User', id: user.id },
        detail: { wasLocked: user.lockedAt !== null },
      });
    });
    return prepared.plain;
  }

  async setUserStatus(ctx: RequestContext, userId: number, status: UserStatus, confirmationPassword: string): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    if (user.id === callerUser(ctx).id) throw new DomainError(ErrorCode.FORBIDDEN, 'You cannot suspend or resume yourself.');
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      await m.update(User, { id: user.id }, { status });
      if (status === UserStatus.SUSPENDED) await this.sessions.endAllForUser(m, user.id, SessionEndReason.SUSPENDED);
      await this.audit.record(m, auditActor(ctx), {
        action: status === UserStatus.SUSPENDED ? AuditAction.USER_SUSPENDED : AuditAction.USER_RESUMED,
        target: { type: 'User', id: user.id },
      });
    });
  }

  /** R12: authorises a user's certificate (re)issue with a one-time enrollment code. */
  async issueEnrollmentCode(
    ctx: RequestContext,
    userId: number,
    confirmationPassword: string,
  ): Promise<IssuedEnrollmentCode & { loginId: string }> {
    const user = await this.customerUserOfMyContract(ctx, userId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    const code = await this.db.transaction((m) => this.enrollment.issueCode(m, ctx, user));
    return extend(code, { loginId: user.loginId });
  }

  /** R15: where the contract's users may connect from (IPv4/IPv6 addresses or CIDR ranges; empty: anywhere). */
  async setIpAllowList(
    ctx: RequestContext,
    entries: string[],
    confirmationPassword: string,
    passkeyAssertion: string | null = null,
  ): Promise<Contract> {
    const normalized = this.checkedIpAllowList(ctx, entries);
    const change: BoundChange = { kind: 'IP_ALLOW_LIST', contractId: callerContractId(ctx), entries: normalized };
    await this.changePasskeys.requireIfDue(ctx, change, passkeyAssertion);
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.changePasskeys.verifyIfGiven(ctx, change, passkeyAssertion);
    const ipAllowList = normalized.join(',');
    const contractId = callerContractId(ctx);
    await this.db.transaction(async (m) => {
      await m.update(Contract, { id: contractId }, { ipAllowList });
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.IP_ALLOW_LIST_CHANGED,
        target: { type: 'Contract', id: contractId },
        detail: { entries: normalized },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  /** 取引認証: the passkey challenge for this allow-list (normalised as it would be stored). */
  beginSetIpAllowList(ctx: RequestContext, entries: string[]): Promise<IssuedChallenge & { binding: string }> {
    const normalized = this.checkedIpAllowList(ctx, entries);
    return this.changePasskeys.begin(ctx, { kind: 'IP_ALLOW_LIST', contractId: callerContractId(ctx), entries: normalized });
  }

  /** The entries as the contract keeps them, or BAD_USER_INPUT (a bad entry, the caller's own address left out, too long). */
  private checkedIpAllowList(ctx: RequestContext, entries: string[]): string[] {
    const normalized = entries.map((entry) => normalizeCidr(entry));
    if (normalized.length && !addressInList(ctx.sourceAddress, normalized)) {
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        `Your own address (${ctx.sourceAddress}) is not in the list: you would lock yourself out. Add it first.`,
        { field: 'entries' },
      );
    }
    if (normalized.join(',').length > 1000)
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The allow-list is too long (at most about 40 entries).', { field: 'entries' });
    return normalized;
  }
}

function limitsOf(limits: UserLimitsInput) {
  return { transferLimitPerTransaction: limits.transferLimitPerTransaction, dailyTransferLimit: limits.dailyTransferLimit };
}

function newUserChange(ctx: RequestContext, input: CreateUserInput): BoundChange {
  return {
    kind: 'NEW_USER',
    contractId: callerContractId(ctx),
    loginId: input.loginId,
    displayName: input.displayName,
    role: Role.USER,
    permissions: input.permissions,
    ...limitsOf(input),
    emailAddress: emailAddressOf(input.emailAddress),
  };
}

function limitsChange(user: User, limits: UserLimitsInput): BoundChange {
  return { kind: 'USER_LIMITS', contractId: user.contractId as number, userId: user.id, ...limitsOf(limits) };
}

function checkLimits(limits: UserLimitsInput): void {
  if (limits.transferLimitPerTransaction > limits.dailyTransferLimit) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The per-transfer limit cannot exceed the daily limit.', {
      field: 'transferLimitPerTransaction',
    });
  }
}

export function normalizeCidr(entry: string): string {
  try {
    const trimmed = entry.trim();
    const [address, length] = trimmed.includes('/') ? ipaddr.parseCIDR(trimmed) : [ipaddr.parse(trimmed), undefined];
    const bits = length ?? (address.kind() === 'ipv4' ? 32 : 128);
    return `${address.toString()}/${bits}`;
  } catch {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `"${entry.slice(0, 60)}" is not an IP address or CIDR range.`, { field: 'entries' });
  }
}
