import { In, type EntityManager } from 'typeorm';
import type { AdminService } from '../admin/admin.service';
import { Role, User, UserStatus } from '../users/user.entity';
import type { AuditService } from '../audit/audit.service';
import type { CredentialService, TemporaryPasswords } from '../auth/credential.service';
import type { SessionService } from '../auth/session.service';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { valueTaken, type Database } from '../db/database';
import { auditActor, type RequestContext } from '../graphql/context';
import type { CertificateService } from '../pki/certificate.service';
import { EnrollmentCode } from '../pki/enrollment-code.entity';
import type { EnrollmentService, IssuedEnrollmentCode } from '../pki/enrollment.service';
import { Contract, ContractStatus } from '../contract/contract.entity';
import type { CreateContractInput } from './operator.types';

const NO_SUCH_CONTRACT = 'There is no such contract.';

/**
 * The bank's operations (当金庫): contracts, administrators' passwords and certificates (after
 * the in-branch identity check, whose note is recorded), resuming and terminating contracts.
 */
export class OperatorService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly admin: AdminService,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly certificates: CertificateService,
    private readonly enrollment: EnrollmentService,
  ) {}

  contracts(): Promise<Contract[]> {
    return this.db.manager.find(Contract, { order: { id: 'ASC' } });
  }

  async createContract(
    ctx: RequestContext,
    input: CreateContractInput,
    confirmationPassword: string,
  ): Promise<{ contract: Contract; passwords: TemporaryPasswords; code: IssuedEnrollmentCode }> {
    const administratorLoginId = { field: 'administratorLoginId', value: input.administratorLoginId };
    if (await this.db.manager.existsBy(Contract, { code: input.code })) throw valueTaken('UQ_contracts_code', { value: input.code });
    if (await this.db.manager.existsBy(User, { loginId: input.administratorLoginId })) throw valueTaken('UQ_users_loginId', administratorLoginId);
    await this.admin.confirm(ctx, confirmationPassword);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const contract = await m.save(
        m.create(Contract, {
          code: input.code,
          name: input.name,
          status: ContractStatus.ACTIVE,
          statusChangedAt: null,
          ipAllowList: '',
          dailyTransferLimit: 0,
          requiresApproval: false,
          createdAt: now,
        }),
      );
      const administrator = await m.save(
        m.create(
          User,
          this.credentials.newUserWithTemporaryPasswords(
            { contractId: contract.id, loginId: input.administratorLoginId, displayName: input.administratorName, role: Role.ADMIN },
            prepared,
          ),
        ),
      );
      await this.audit.record(m, auditActor(ctx), {
        action: 'CONTRACT_CREATED',
        contractId: contract.id,
        target: { type: 'Contract', id: contract.id },
        detail: { code: contract.code, administratorLoginId: administrator.loginId },
      });
      const code = await this.enrollment.issueCode(m, ctx, administrator);
      return { contract, passwords: prepared.plain, code };
    }, { fields: { UQ_users_loginId: administratorLoginId.field } });
  }

  /**
   * A new bank operator with temporary passwords and an enrollment code. Used by another
   * operator, or by `npm run operator:create` for the very first one in production.
   */
  async createOperator(ctx: RequestContext, loginId: string, displayName: string): Promise<{ passwords: TemporaryPasswords; code: IssuedEnrollmentCode }> {
    if (await this.db.manager.existsBy(User, { loginId })) throw valueTaken('UQ_users_loginId', { value: loginId });
    const prepared = await this.credentials.prepareTemporaryPasswords();
    return this.db.transaction(async (m) => {
      const operator = await m.save(
        m.create(User, this.credentials.newUserWithTemporaryPasswords({ contractId: null, loginId, displayName, role: Role.OPERATOR }, prepared)),
      );
      await this.audit.record(m, auditActor(ctx), { action: 'OPERATOR_CREATED', contractId: null, target: { type: 'User', id: operator.id }, detail: { loginId } });
      const code = await this.enrollment.issueCode(m, ctx, operator);
      return { passwords: prepared.plain, code };
    });
  }

  /**
   * Checked before the confirmation password (the transaction re-checks atomically), so a
   * mistyped contract ID is answered as such and costs no password attempt.
   */
  private async existingContract(contractId: number): Promise<Contract> {
    const contract = await this.db.manager.findOneBy(Contract, { id: contractId });
    if (!contract) throw new DomainError(ErrorCode.BAD_USER_INPUT, NO_SUCH_CONTRACT, { field: 'contractId' });
    return contract;
  }

  private async userWithRole(loginId: string, role: Role): Promise<User> {
    const user = await this.db.manager.findOneBy(User, { loginId, role });
    if (!user) throw new DomainError(ErrorCode.BAD_USER_INPUT, `There is no ${role.toLowerCase()} with the login ID ${loginId}.`, { field: 'loginId' });
    return user;
  }

  /**
   * R8/R10: an administrator's (or, by another operator, an operator's) passwords are reset by
   * the bank after the in-branch check; the note records it. Clears the lock.
   */
  async resetPasswords(ctx: RequestContext, loginId: string, role: Role.ADMIN | Role.OPERATOR, note: string, confirmationPassword: string): Promise<TemporaryPasswords> {
    const target = await this.userWithRole(loginId, role);
    if (target.id === ctx.identity!.user.id) throw new DomainError(ErrorCode.FORBIDDEN, 'Another operator must reset your passwords.');
    await this.admin.confirm(ctx, confirmationPassword);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    await this.db.transaction(async (m) => {
      await this.credentials.applyTemporaryPasswords(m, target.id, prepared);
      await this.audit.record(m, auditActor(ctx), {
        action: role === Role.ADMIN ? 'ADMINISTRATOR_PASSWORDS_RESET' : 'OPERATOR_PASSWORDS_RESET',
        contractId: target.contractId,
        target: { type: 'User', id: target.id },
        detail: { note, wasLocked: target.lockedAt !== null },
      });
    });
    return prepared.plain;
  }

  /** R12: authorises an administrator's certificate (re)issue after the in-branch check. */
  async issueAdministratorEnrollmentCode(ctx: RequestContext, loginId: string, note: string, confirmationPassword: string) {
    const target = await this.userWithRole(loginId, Role.ADMIN);
    await this.admin.confirm(ctx, confirmationPassword);
    const code = await this.db.transaction(async (m) => {
      await this.audit.record(m, auditActor(ctx), {
        action: 'ADMINISTRATOR_REISSUE_AUTHORISED',
        contractId: target.contractId,
        target: { type: 'User', id: target.id },
        detail: { note },
      });
      return this.enrollment.issueCode(m, ctx, target);
    });
    return { ...code, loginId: target.loginId };
  }

  /** The contract's daily transfer limit (利用限度額) and whether transfers need a second user's approval. */
  async setContractTransferSettings(
    ctx: RequestContext,
    contractId: number,
    settings: { dailyTransferLimit: number; requiresApproval: boolean },
    note: string,
    confirmationPassword: string,
  ): Promise<Contract> {
    await this.existingContract(contractId);
    await this.admin.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      const contract = await m.findOneBy(Contract, { id: contractId });
      if (!contract) throw new DomainError(ErrorCode.BAD_USER_INPUT, NO_SUCH_CONTRACT);
      await m.update(Contract, { id: contractId }, settings);
      await this.audit.record(m, auditActor(ctx), {
        action: 'CONTRACT_LIMITS_CHANGED',
        contractId,
        target: { type: 'Contract', id: contractId },
        detail: { note, from: { dailyTransferLimit: contract.dailyTransferLimit, requiresApproval: contract.requiresApproval }, to: settings },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  /** Only the bank resumes an emergency-stopped contract. */
  async resumeContract(ctx: RequestContext, contractId: number, note: string, confirmationPassword: string): Promise<Contract> {
    const notStopped = 'Only an emergency-stopped contract can be resumed.';
    if ((await this.existingContract(contractId)).status !== ContractStatus.STOPPED) throw new DomainError(ErrorCode.BAD_USER_INPUT, notStopped);
    await this.admin.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      const resumed = await m.update(
        Contract,
        { id: contractId, status: ContractStatus.STOPPED },
        { status: ContractStatus.ACTIVE, statusChangedAt: this.clock.now() },
      );
      if (!resumed.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, notStopped);
      await this.audit.record(m, auditActor(ctx), { action: 'CONTRACT_RESUMED', contractId, target: { type: 'Contract', id: contractId }, detail: { note } });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  /**
   * Cancels a contract: every certificate revoked, every session ended, every outstanding
   * enrollment code void. A re-contract is a new contract with new user IDs (R14).
   */
  async terminateContract(ctx: RequestContext, contractId: number, note: string, confirmationPassword: string): Promise<Contract> {
    if ((await this.existingContract(contractId)).status === ContractStatus.TERMINATED) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This contract is already terminated.');
    }
    await this.admin.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      const terminated = await m.update(
        Contract,
        { id: contractId, status: In([ContractStatus.ACTIVE, ContractStatus.STOPPED]) },
        { status: ContractStatus.TERMINATED, statusChangedAt: this.clock.now() },
      );
      if (!terminated.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'There is no such contract, or it is already terminated.');
      const revoked = await this.voidCredentialsOfContract(m, contractId);
      await this.audit.record(m, auditActor(ctx), {
        action: 'CONTRACT_TERMINATED',
        contractId,
        target: { type: 'Contract', id: contractId },
        detail: { note, certificatesRevoked: revoked },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  private async voidCredentialsOfContract(m: EntityManager, contractId: number): Promise<number> {
    const userIds = (await m.find(User, { select: { id: true }, where: { contractId } })).map((u) => u.id);
    if (userIds.length) await m.update(EnrollmentCode, { outstandingUserId: In(userIds) }, { outstandingUserId: null });
    await this.sessions.endAllForContract(m, contractId, 'contract_terminated');
    return this.certificates.revokeAllOfUsers(m, userIds, 'contract_terminated');
  }
}
