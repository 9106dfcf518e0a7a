import { SessionEndReason } from '../auth/session.entity';
import { AuditAction } from '../audit/audit-action';
import { In, type EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { auditActor } from '../audit/audit-actor';
import type { ConfirmationService } from '../auth/confirmation.service';
import { contractInScope } from '../auth/contract-scope';
import type { SessionService } from '../auth/session.service';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { existingContract } from '../contract/contract-lookup';
import { Contract, ContractStatus } from '../contract/contract.entity';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import type { CertificateService } from '../pki/certificate.service';
import { EnrollmentCode } from '../pki/enrollment-code.entity';
import { User } from '../users/user.entity';

/**
 * A contract's status, in one place: the emergency stop (R13: the customer's administrator for
 * their own contract or the bank for any, at any hour, without a password so that it is
 * instant), resuming it (the bank only) and termination (R14). Each takes effect on the very
 * next request on every instance: every session of the contract ends in the same transaction.
 */
export class ContractStatusService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly sessions: SessionService,
    private readonly certificates: CertificateService,
  ) {}

  async emergencyStop(ctx: RequestContext, requestedContractId: number | undefined, reason: string): Promise<Contract> {
    const contractId = contractInScope(ctx, requestedContractId);
    await this.db.transaction(async (m) => {
      const stopped = await m.update(
        Contract,
        { id: contractId, status: ContractStatus.ACTIVE },
        { status: ContractStatus.STOPPED, statusChangedAt: this.clock.now() },
      );
      if (!stopped.affected) {
        const contract = await existingContract(m, contractId);
        throw new DomainError(ErrorCode.BAD_USER_INPUT, `The contract is not active (it is ${contract.status}).`);
      }
      await this.sessions.endAllForContract(m, contractId, SessionEndReason.EMERGENCY_STOP);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.EMERGENCY_STOP,
        contractId,
        target: { type: 'Contract', id: contractId },
        detail: { reason },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  /** Only the bank resumes an emergency-stopped contract. */
  async resume(ctx: RequestContext, contractId: number, note: string, confirmationPassword: string): Promise<Contract> {
    const notStopped = 'Only an emergency-stopped contract can be resumed.';
    if ((await existingContract(this.db.manager, contractId)).status !== ContractStatus.STOPPED)
      throw new DomainError(ErrorCode.BAD_USER_INPUT, notStopped);
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      const resumed = await m.update(
        Contract,
        { id: contractId, status: ContractStatus.STOPPED },
        { status: ContractStatus.ACTIVE, statusChangedAt: this.clock.now() },
      );
      if (!resumed.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, notStopped);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.CONTRACT_RESUMED,
        contractId,
        target: { type: 'Contract', id: contractId },
        detail: { note },
      });
    });
    return this.db.manager.findOneByOrFail(Contract, { id: contractId });
  }

  /**
   * Cancels a contract: every certificate revoked, every session ended, every outstanding
   * enrollment code void. A re-contract is a new contract with new user IDs (R14).
   */
  async terminate(ctx: RequestContext, contractId: number, note: string, confirmationPassword: string): Promise<Contract> {
    if ((await existingContract(this.db.manager, contractId)).status === ContractStatus.TERMINATED) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This contract is already terminated.');
    }
    await this.confirmation.confirm(ctx, confirmationPassword);
    await this.db.transaction(async (m) => {
      const terminated = await m.update(
        Contract,
        { id: contractId, status: In([ContractStatus.ACTIVE, ContractStatus.STOPPED]) },
        { status: ContractStatus.TERMINATED, statusChangedAt: this.clock.now() },
      );
      if (!terminated.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This contract is already terminated.');
      const revoked = await this.voidCredentialsOfContract(m, contractId);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.CONTRACT_TERMINATED,
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
    await this.sessions.endAllForContract(m, contractId, SessionEndReason.CONTRACT_TERMINATED);
    return this.certificates.revokeAllOfUsers(m, userIds, 'contract_terminated');
  }
}
