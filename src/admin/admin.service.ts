import ipaddr from 'ipaddr.js';
import { In, type FindOptionsWhere } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import type { AuditService } from '../audit/audit.service';
import type { CredentialService, TemporaryPasswords } from '../auth/credential.service';
import type { LockoutService } from '../auth/lockout.service';
import { PasswordKind } from '../auth/password-history.entity';
import type { SessionService } from '../auth/session.service';
import { addDays, type Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import { absentIfNull } from '../common/arguments';
import { olderThan, pageOf, withinRange } from '../common/pagination';
import { valueTaken, type Database } from '../db/database';
import { addressInList } from '../common/ip-ranges';
import { auditActor, type RequestContext } from '../graphql/context';
import { Contract, ContractStatus } from '../contract/contract.entity';
import { Account, UserAccount } from '../banking/account.entity';
import { Certificate, CertificateStatus } from '../pki/certificate.entity';
import type { CertificateService } from '../pki/certificate.service';
import type { EnrollmentService, IssuedEnrollmentCode } from '../pki/enrollment.service';
import type { AuditEventsArgs, CreateUserInput, UserLimitsInput, UserSummary } from './admin.types';
import { Permission, Role, User, UserStatus } from '../users/user.entity';

const NOT_IN_CONTRACT = 'There is no such user in your contract.';

/**
 * The customer administrator's menu (管理機能), always scoped to the administrator's own
 * contract: another contract's users are invisible and untouchable. Changes to users,
 * permissions and limits need the administrator's confirmation password; revocation and the
 * emergency stop do not — they must be possible at once when a PC is lost.
 */
export class AdminService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly lockout: LockoutService,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly certificates: CertificateService,
    private readonly enrollment: EnrollmentService,
    private readonly config: GatewayConfig,
  ) {}

  /** The administrator's confirmation password; a wrong one counts toward their lock. */
  async confirm(ctx: RequestContext, confirmationPassword: string): Promise<void> {
    await this.lockout.verifyPassword(ctx, ctx.identity!.user, PasswordKind.CONFIRMATION, confirmationPassword);
  }

  private myContractId(ctx: RequestContext): number {
    return ctx.identity!.user.contractId!;
  }

  /** A user of the administrator's contract; anything else is "no such user" (no existence oracle). */
  async userOfMyContract(ctx: RequestContext, userId: number): Promise<User> {
    const user = await this.db.manager.findOneBy(User, { id: userId, contractId: this.myContractId(ctx) });
    if (!user) throw new DomainError(ErrorCode.FORBIDDEN, NOT_IN_CONTRACT);
    return user;
  }

  /** Administrators manage users; another administrator's passwords and certificates are the bank's (R8, R12). */
  private async customerUserOfMyContract(ctx: RequestContext, userId: number): Promise<User> {
    const user = await this.userOfMyContract(ctx, userId);
    if (user.role !== Role.USER) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'An administrator’s passwords and certificates are handled by the bank (お届け印 procedure at a branch).');
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
          ? { id: certificate.id, serialNumber: certificate.serialNumber, fingerprint: certificate.fingerprint, notAfter: certificate.notAfter }
          : null,
        lastLoginAt: user.lastLoginAt,
        passwordExpiresAt: addDays(user.loginPasswordChangedAt, this.config.auth.passwordMaxAgeDays),
        passwordTemporary: user.loginPasswordTemporary || user.confirmationPasswordTemporary,
        accountIds: assigned.filter((a) => a.userId === user.id).map((a) => a.accountId).sort((a, b) => a - b),
      };
    });
  }

  async summary(userId: number): Promise<UserSummary> {
    return (await this.summaries([await this.db.manager.findOneByOrFail(User, { id: userId })]))[0];
  }

  async users(ctx: RequestContext): Promise<UserSummary[]> {
    const users = await this.db.manager.find(User, { where: { contractId: this.myContractId(ctx) }, order: { loginId: 'ASC' } });
    return this.summaries(users);
  }

  async createUser(
    ctx: RequestContext,
    input: CreateUserInput,
    confirmationPassword: string,
  ): Promise<{ userId: number; passwords: TemporaryPasswords; code: IssuedEnrollmentCode }> {
    checkLimits(input);
    if (await this.db.manager.existsBy(User, { loginId: input.loginId })) throw valueTaken('UQ_users_loginId', { value: input.loginId });
    await this.confirm(ctx, confirmationPassword);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    return this.db.transaction(async (m) => {
      const user = await m.save(
        m.create(
          User,
          this.credentials.newUserWithTemporaryPasswords(
            {
              contractId: this.myContractId(ctx),
              loginId: input.loginId,
              displayName: input.displayName,
              role: Role.USER,
              permissions: input.permissions,
              transferLimitPerTransaction: input.transferLimitPerTransaction,
              dailyTransferLimit: input.dailyTransferLimit,
            },
            prepared,
          ),
        ),
      );
      await this.audit.record(m, auditActor(ctx), {
        action: 'USER_CREATED',
        target: { type: 'User', id: user.id },
        detail: { loginId: user.loginId, permissions: input.permissions, ...limitsOf(input) },
      });
      const code = await this.enrollment.issueCode(m, ctx, user);
      return { userId: user.id, passwords: prepared.plain, code };
    });
  }

  async setUserPermissions(ctx: RequestContext, userId: number, permissions: Permission[], confirmationPassword: string): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    await this.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      await m.update(User, { id: user.id }, { permissions });
      await this.audit.record(m, auditActor(ctx), {
        action: 'PERMISSIONS_CHANGED',
        target: { type: 'User', id: user.id },
        detail: { from: user.permissions, to: [...new Set(permissions)].sort() },
      });
    });
  }

  async setUserLimits(ctx: RequestContext, userId: number, limits: UserLimitsInput, confirmationPassword: string): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    checkLimits(limits);
    await this.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      await m.update(User, { id: user.id }, limitsOf(limits));
      await this.audit.record(m, auditActor(ctx), {
        action: 'LIMITS_CHANGED',
        target: { type: 'User', id: user.id },
        detail: { from: limitsOf(user), to: limitsOf(limits) },
      });
    });
  }

  /** 利用口座: the contract's accounts this user may work with. */
  async setUserAccounts(ctx: RequestContext, userId: number, accountIds: number[], confirmationPassword: string): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    const wanted = [...new Set(accountIds)];
    const accounts = wanted.length ? await this.db.manager.findBy(Account, { id: In(wanted), contractId: this.myContractId(ctx) }) : [];
    if (accounts.length !== wanted.length) throw new DomainError(ErrorCode.FORBIDDEN, 'Some of these accounts are not your contract’s.', { field: 'accountIds' });
    await this.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      await m.delete(UserAccount, { userId: user.id });
      if (wanted.length) await m.insert(UserAccount, wanted.map((accountId) => ({ userId: user.id, accountId })));
      await this.audit.record(m, auditActor(ctx), { action: 'USER_ACCOUNTS_CHANGED', target: { type: 'User', id: user.id }, detail: { accountIds: wanted.sort((a, b) => a - b) } });
    });
  }

  /** R7/R10: temporary passwords that must be changed at the next login; clears the lock. */
  async resetUserPasswords(ctx: RequestContext, userId: number, confirmationPassword: string): Promise<TemporaryPasswords> {
    const user = await this.customerUserOfMyContract(ctx, userId);
    await this.confirm(ctx, confirmationPassword);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    await this.db.transaction(async (m) => {
      await this.credentials.applyTemporaryPasswords(m, user.id, prepared);
      await this.audit.record(m, auditActor(ctx), {
        action: 'PASSWORDS_RESET',
        target: { type: 'User', id: user.id },
        detail: { wasLocked: user.lockedAt !== null },
      });
    });
    return prepared.plain;
  }

  async setUserStatus(ctx: RequestContext, userId: number, status: UserStatus, confirmationPassword: string): Promise<void> {
    const user = await this.userOfMyContract(ctx, userId);
    if (user.id === ctx.identity!.user.id) throw new DomainError(ErrorCode.FORBIDDEN, 'You cannot suspend or resume yourself.');
    await this.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      await m.update(User, { id: user.id }, { status });
      if (status === UserStatus.SUSPENDED) await this.sessions.endAllForUser(m, user.id, 'suspended');
      await this.audit.record(m, auditActor(ctx), {
        action: status === UserStatus.SUSPENDED ? 'USER_SUSPENDED' : 'USER_RESUMED',
        target: { type: 'User', id: user.id },
      });
    });
  }

  /** R12: authorises a user's certificate (re)issue with a one-time enrollment code. */
  async issueEnrollmentCode(ctx: RequestContext, userId: number, confirmationPassword: string): Promise<IssuedEnrollmentCode & { loginId: string }> {
    const user = await this.customerUserOfMyContract(ctx, userId);
    await this.confirm(ctx, confirmationPassword);
    const code = await this.db.transaction((m) => this.enrollment.issueCode(m, ctx, user));
    return { ...code, loginId: user.loginId };
  }

  /** R13: revocation by the contract's administrator (its users' certificates) or an operator (any). */
  async revokeCertificate(ctx: RequestContext, certificateId: number, reason: string): Promise<Certificate> {
    const certificate = await this.db.manager.findOne(Certificate, { where: { id: certificateId }, relations: { user: true } });
    const actor = ctx.identity!.user;
    if (!certificate || (actor.role !== Role.OPERATOR && certificate.user.contractId !== actor.contractId)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'There is no such certificate in your contract.');
    }
    const alreadyRevoked = () => new DomainError(ErrorCode.BAD_USER_INPUT, 'This certificate is already revoked.');
    if (certificate.status !== CertificateStatus.ACTIVE) throw alreadyRevoked();
    await this.db.transaction(async (m) => {
      // The conditional update decides between concurrent revocations: the loser changes nothing.
      if (!(await this.certificates.revoke(m, certificate.id, reason))) throw alreadyRevoked();
      await this.sessions.endAllForUser(m, certificate.userId, 'certificate_revoked');
      await this.audit.record(m, auditActor(ctx), {
        action: 'CERTIFICATE_REVOKED',
        contractId: certificate.user.contractId,
        target: { type: 'Certificate', id: certificate.id },
        detail: { reason, loginId: certificate.user.loginId, serialNumber: certificate.serialNumber },
      });
    });
    return this.db.manager.findOneByOrFail(Certificate, { id: certificate.id });
  }

  /**
   * R13: emergency stop (緊急停止) at any hour — by the customer's administrator (own contract) or
   * an operator (any). Every session of the contract ends at once; only the bank resumes it.
   */
  async emergencyStop(ctx: RequestContext, contractId: number | undefined, reason: string): Promise<Contract> {
    const actor = ctx.identity!.user;
    const targetId = actor.role === Role.OPERATOR ? contractId : actor.contractId!;
    if (targetId === undefined) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'contractId is required for an operator.');
    if (actor.role !== Role.OPERATOR && contractId !== undefined && contractId !== actor.contractId) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'An administrator can stop only their own contract.');
    }
    await this.db.transaction(async (m) => {
      const stopped = await m.update(
        Contract,
        { id: targetId, status: ContractStatus.ACTIVE },
        { status: ContractStatus.STOPPED, statusChangedAt: this.clock.now() },
      );
      if (!stopped.affected) {
        const contract = await m.findOneBy(Contract, { id: targetId });
        if (!contract) throw new DomainError(ErrorCode.FORBIDDEN, 'There is no such contract.');
        throw new DomainError(ErrorCode.BAD_USER_INPUT, `The contract is not active (it is ${contract.status}).`);
      }
      await this.sessions.endAllForContract(m, targetId, 'emergency_stop');
      await this.audit.record(m, auditActor(ctx), {
        action: 'EMERGENCY_STOP',
        contractId: targetId,
        target: { type: 'Contract', id: targetId },
        detail: { reason },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: targetId });
  }

  /** R15: where the contract's users may connect from (IPv4/IPv6 addresses or CIDR ranges; empty: anywhere). */
  async setIpAllowList(ctx: RequestContext, entries: string[], confirmationPassword: string): Promise<Contract> {
    const normalized = entries.map((entry) => normalizeCidr(entry));
    if (normalized.length && !addressInList(ctx.sourceAddress, normalized)) {
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        `Your own address (${ctx.sourceAddress}) is not in the list: you would lock yourself out. Add it first.`,
        { field: 'entries' },
      );
    }
    const ipAllowList = normalized.join(',');
    if (ipAllowList.length > 1000) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The allow-list is too long (at most about 40 entries).', { field: 'entries' });
    await this.confirm(ctx, confirmationPassword);
    const contractId = this.myContractId(ctx);
    await this.db.transaction(async (m) => {
      await m.update(Contract, { id: contractId }, { ipAllowList });
      await this.audit.record(m, auditActor(ctx), { action: 'IP_ALLOW_LIST_CHANGED', target: { type: 'Contract', id: contractId }, detail: { entries: normalized } });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  /** The audit log: administrators see their own contract; operators any (optionally one contract). */
  async auditEvents(ctx: RequestContext, given: AuditEventsArgs): Promise<{ items: AuditEvent[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    const actor = ctx.identity!.user;
    if (actor.role !== Role.OPERATOR && args.contractId !== undefined && args.contractId !== actor.contractId) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Administrators see only their own contract’s audit log.');
    }
    const where: FindOptionsWhere<AuditEvent> = { ...olderThan(args) };
    const contractId = actor.role === Role.OPERATOR ? args.contractId : actor.contractId!;
    if (contractId !== undefined) where.contractId = contractId;
    if (args.userId !== undefined) where.actorUserId = args.userId;
    if (args.action !== undefined) where.action = args.action;
    const occurredAt = withinRange(args.from, args.to);
    if (occurredAt) where.occurredAt = occurredAt;
    const rows = await this.db.manager.find(AuditEvent, { where, order: { id: 'DESC' }, take: args.first + 1 });
    return pageOf(rows, args.first);
  }
}

function limitsOf(limits: UserLimitsInput) {
  return { transferLimitPerTransaction: limits.transferLimitPerTransaction, dailyTransferLimit: limits.dailyTransferLimit };
}

function checkLimits(limits: UserLimitsInput): void {
  if (limits.transferLimitPerTransaction > limits.dailyTransferLimit) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The per-transfer limit cannot exceed the daily limit.', { field: 'transferLimitPerTransaction' });
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
