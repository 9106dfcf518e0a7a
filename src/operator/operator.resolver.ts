import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { TemporaryPasswordsResult } from '../auth/credential.types';
import { EnrollmentCodeResult } from '../pki/certificate.types';
import { Role } from '../users/user.entity';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { boundedText } from '../common/validation';

import type { Services } from '../services';
import { PasskeyApproval } from '../contract/contract.entity';
import { ContractView, toContractView } from '../contract/contract.types';
import { ContractTransferSettingsInput, CreateContractInput, CreatedContract } from './operator.types';
import { extend } from '../common/extend';

/** The note recording the in-branch identity check (お届け印) or the customer's request. */
const inBranchNote = (note: string) => boundedText(note, 'note', 5, 500);

/**
 * The bank operator's console, and the emergency stop its customers' administrators share with
 * it. Notes record the in-branch identity check (お届け印).
 */
@Resolver()
export class OperatorResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.OPERATOR)
  @Query(() => [ContractView])
  async contracts(): Promise<ContractView[]> {
    return (await this.services.operator.contracts()).map(toContractView);
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => CreatedContract, {
    description: 'A new contract with its master administrator (temporary passwords and enrollment code, shown once)',
  })
  async createContract(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: CreateContractInput,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<CreatedContract> {
    const created = await this.services.operator.createContract(ctx, input, confirmationPassword);
    return {
      contract: toContractView(created.contract),
      administratorLoginId: input.administratorLoginId,
      temporaryPasswords: created.passwords,
      enrollmentCode: extend(created.code, { loginId: input.administratorLoginId }),
    };
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => TemporaryPasswordsResult, { description: 'Reset an administrator’s passwords (unlocks) after the in-branch check' })
  resetAdministratorPasswords(
    @Ctx() ctx: RequestContext,
    @Arg('loginId') loginId: string,
    @Arg('note', { description: 'The in-branch identity check (who, where, how)' }) note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<TemporaryPasswordsResult> {
    return this.services.operator.resetPasswords(ctx, loginId, Role.ADMIN, inBranchNote(note), confirmationPassword);
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => TemporaryPasswordsResult, { description: 'Reset another operator’s passwords (unlocks them)' })
  resetOperatorPasswords(
    @Ctx() ctx: RequestContext,
    @Arg('loginId') loginId: string,
    @Arg('note') note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<TemporaryPasswordsResult> {
    return this.services.operator.resetPasswords(ctx, loginId, Role.OPERATOR, inBranchNote(note), confirmationPassword);
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => EnrollmentCodeResult, { description: 'Authorise an administrator’s certificate (re)issue after the in-branch check' })
  issueAdministratorEnrollmentCode(
    @Ctx() ctx: RequestContext,
    @Arg('loginId') loginId: string,
    @Arg('note') note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<EnrollmentCodeResult> {
    return this.services.operator.issueAdministratorEnrollmentCode(ctx, loginId, inBranchNote(note), confirmationPassword);
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => ContractView, { description: 'Set the contract’s daily transfer limit and whether transfers need approval' })
  async setContractTransferSettings(
    @Ctx() ctx: RequestContext,
    @Arg('contractId', () => Int) contractId: number,
    @Arg('settings') settings: ContractTransferSettingsInput,
    @Arg('note') note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<ContractView> {
    return toContractView(
      await this.services.operator.setContractTransferSettings(ctx, contractId, settings, inBranchNote(note), confirmationPassword),
    );
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => ContractView, { description: 'Set the contract’s 取引認証 rule for approvals (null: the bank’s rule by amount)' })
  async setContractPasskeyApproval(
    @Ctx() ctx: RequestContext,
    @Arg('contractId', () => Int) contractId: number,
    @Arg('rule', () => PasskeyApproval, { nullable: true }) rule: PasskeyApproval | null | undefined,
    @Arg('note') note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<ContractView> {
    return toContractView(
      await this.services.operator.setContractPasskeyApproval(ctx, contractId, rule ?? null, inBranchNote(note), confirmationPassword),
    );
  }

  @Allow(Access.ADMIN_OR_OPERATOR)
  @Mutation(() => ContractView, {
    description: 'Emergency stop (緊急停止): administrators stop their own contract, operators any. Only the bank resumes it.',
  })
  async emergencyStop(
    @Ctx() ctx: RequestContext,
    @Arg('reason') reason: string,
    @Arg('contractId', () => Int, { nullable: true }) contractId?: number | null,
  ): Promise<ContractView> {
    return toContractView(
      await this.services.contractStatus.emergencyStop(ctx, contractId ?? undefined, boundedText(reason, 'reason', 1, 200)),
    );
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => ContractView, { description: 'Resume an emergency-stopped contract (the bank only)' })
  async resumeContract(
    @Ctx() ctx: RequestContext,
    @Arg('contractId', () => Int) contractId: number,
    @Arg('note') note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<ContractView> {
    return toContractView(await this.services.contractStatus.resume(ctx, contractId, inBranchNote(note), confirmationPassword));
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => ContractView, { description: 'Cancel a contract: every certificate revoked, every session ended' })
  async terminateContract(
    @Ctx() ctx: RequestContext,
    @Arg('contractId', () => Int) contractId: number,
    @Arg('note') note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<ContractView> {
    return toContractView(await this.services.contractStatus.terminate(ctx, contractId, inBranchNote(note), confirmationPassword));
  }
}
