import { AuditAction } from '../audit/audit-action';
import { auditActor } from '../audit/audit-actor';
import type { AuditService } from '../audit/audit.service';
import { callerUser } from '../auth/caller';
import type { ConfirmationService } from '../auth/confirmation.service';
import type { CredentialService, TemporaryPasswords } from '../auth/credential.service';
import type { Clock } from '../common/clock';
import { absentIfNull } from '../common/arguments';
import { DomainError, ErrorCode } from '../common/domain-error';
import { existingContract } from '../contract/contract-lookup';
import { Contract, ContractStatus, type PasskeyApproval } from '../contract/contract.entity';
import { valueTaken, type Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import type { EnrollmentService, IssuedEnrollmentCode } from '../pki/enrollment.service';
import { Role, User } from '../users/user.entity';
import type { CreateContractInput } from './operator.types';
import { extend } from '../common/extend';

/**
 * The bank's operations (当金庫): contracts and their transfer settings, administrators' and
 * operators' passwords and certificates (after the in-branch identity check, whose note is
 * recorded). A contract's status (stop, resume, terminate) is ContractStatusService's.
 */
export class OperatorService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly credentials: CredentialService,
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
    if (await this.db.manager.existsBy(User, { loginId: input.administratorLoginId }))
      throw valueTaken('UQ_users_loginId', administratorLoginId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    const now = this.clock.now();
    return this.db.transaction(
      async (m) => {
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
          action: AuditAction.CONTRACT_CREATED,
          contractId: contract.id,
          target: { type: 'Contract', id: contract.id },
          detail: { code: contract.code, administratorLoginId: administrator.loginId },
        });
        const code = await this.enrollment.issueCode(m, ctx, administrator);
        return { contract, passwords: prepared.plain, code };
      },
      { fields: { UQ_users_loginId: administratorLoginId.field } },
    );
  }

  /**
   * A new bank operator with temporary passwords and an enrollment code. Used by another
   * operator, or by `npm run operator:create` for the very first one in production.
   */
  async createOperator(
    ctx: RequestContext,
    loginId: string,
    displayName: string,
  ): Promise<{ passwords: TemporaryPasswords; code: IssuedEnrollmentCode }> {
    if (await this.db.manager.existsBy(User, { loginId })) throw valueTaken('UQ_users_loginId', { value: loginId });
    const prepared = await this.credentials.prepareTemporaryPasswords();
    return this.db.transaction(async (m) => {
      const operator = await m.save(
        m.create(
          User,
          this.credentials.newUserWithTemporaryPasswords({ contractId: null, loginId, displayName, role: Role.OPERATOR }, prepared),
        ),
      );
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.OPERATOR_CREATED,
        contractId: null,
        target: { type: 'User', id: operator.id },
        detail: { loginId },
      });
      const code = await this.enrollment.issueCode(m, ctx, operator);
      return { passwords: prepared.plain, code };
    });
  }

  private async userWithRole(loginId: string, role: Role): Promise<User> {
    const user = await this.db.manager.findOneBy(User, { loginId, role });
    if (!user)
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `There is no ${role.toLowerCase()} with the login ID ${loginId}.`, {
        field: 'loginId',
      });
    return user;
  }

  /**
   * R8/R10: an administrator's (or, by another operator, an operator's) passwords are reset by
   * the bank after the in-branch check; the note records it. Clears the lock.
   */
  async resetPasswords(
    ctx: RequestContext,
    loginId: string,
    role: Role.ADMIN | Role.OPERATOR,
    note: string,
    confirmationPassword: string,
  ): Promise<TemporaryPasswords> {
    const target = await this.userWithRole(loginId, role);
    if (target.id === callerUser(ctx).id) throw new DomainError(ErrorCode.FORBIDDEN, 'Another operator must reset your passwords.');
    await this.confirmation.confirm(ctx, confirmationPassword);
    const prepared = await this.credentials.prepareTemporaryPasswords();
    await this.db.transaction(async (m) => {
      await this.credentials.applyTemporaryPasswords(m, target.id, prepared);
      await this.audit.record(m, auditActor(ctx), {
        action: role === Role.ADMIN ? AuditAction.ADMINISTRATOR_PASSWORDS_RESET : AuditAction.OPERATOR_PASSWORDS_RESET,
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
    await this.confirmation.confirm(ctx, confirmationPassword);
    const code = await this.db.transaction(async (m) => {
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.ADMINISTRATOR_REISSUE_AUTHORISED,
        contractId: target.contractId,
        target: { type: 'User', id: target.id },
        detail: { note },
      });
      return this.enrollment.issueCode(m, ctx, target);
    });
    return extend(code, { loginId: target.loginId });
  }

  /** The contract's daily transfer limit (利用限度額) and whether transfers need a second user's approval. */
  async setContractTransferSettings(
    ctx: RequestContext,
    contractId: number,
    given: { dailyTransferLimit: number; requiresApproval: boolean; dailySalaryTransferLimit?: number | null },
    note: string,
    confirmationPassword: string,
  ): Promise<Contract> {
    const settings = absentIfNull(given);
    await existingContract(this.db.manager, contractId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      const contract = await existingContract(m, contractId);
      await m.update(Contract, { id: contractId }, settings);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.CONTRACT_LIMITS_CHANGED,
        contractId,
        target: { type: 'Contract', id: contractId },
        detail: {
          note,
          from: {
            dailyTransferLimit: contract.dailyTransferLimit,
            requiresApproval: contract.requiresApproval,
            dailySalaryTransferLimit: contract.dailySalaryTransferLimit,
          },
          to: settings,
        },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  /** 取引認証 for the contract's approvals, as agreed with the customer (null: the bank's rule by amount). */
  async setContractPasskeyApproval(
    ctx: RequestContext,
    contractId: number,
    rule: PasskeyApproval | null,
    note: string,
    confirmationPassword: string,
  ): Promise<Contract> {
    await existingContract(this.db.manager, contractId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      const contract = await existingContract(m, contractId);
      await m.update(Contract, { id: contractId }, { passkeyApproval: rule });
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PASSKEY_POLICY_CHANGED,
        contractId,
        target: { type: 'Contract', id: contractId },
        detail: { note, from: contract.passkeyApproval, to: rule },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }
}
