import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { callerIdentity } from '../auth/caller';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { ContractView, toContractView } from '../contract/contract.types';
import type { Services } from '../services';
import { EnrollmentCodeResult } from '../pki/certificate.types';
import { CreatedUser, CreateUserInput, PasswordResetResult, UserLimitsInput, UserSummary } from './admin.types';
import { Permission, UserStatus } from '../users/user.entity';
import { ApprovalChallengeResult } from '../auth/passkeys/passkey.types';
import { PASSKEY_ASSERTION, toChallengeResult } from '../auth/passkeys/change-arguments';
import { extend } from '../common/extend';

@Resolver()
export class AdminResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.ADMIN)
  @Query(() => [UserSummary], { description: 'The users of your contract' })
  users(@Ctx() ctx: RequestContext): Promise<UserSummary[]> {
    return this.services.admin.users(ctx);
  }

  @Allow(Access.ADMIN)
  @Query(() => ContractView, { description: 'Your contract: its status, daily limit and IP allow-list' })
  myContract(@Ctx() ctx: RequestContext): ContractView {
    const { contract } = callerIdentity(ctx);
    if (!contract) throw new DomainError(ErrorCode.FORBIDDEN, 'This is for the users of a customer contract.');
    return toContractView(contract);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => ApprovalChallengeResult, { description: '取引認証: a passkey challenge bound to creating this user (docs/passkeys.md)' })
  async beginCreateUser(@Ctx() ctx: RequestContext, @Arg('input') input: CreateUserInput): Promise<ApprovalChallengeResult> {
    return toChallengeResult(await this.services.admin.beginCreateUser(ctx, input));
  }

  @Allow(Access.ADMIN)
  @Mutation(() => CreatedUser, { description: 'Create a user; returns temporary passwords and an enrollment code, shown once' })
  async createUser(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: CreateUserInput,
    @Arg('confirmationPassword') confirmationPassword: string,
    @Arg('passkeyAssertion', () => String, PASSKEY_ASSERTION) passkeyAssertion: string | null | undefined,
  ): Promise<CreatedUser> {
    const created = await this.services.admin.createUser(ctx, input, confirmationPassword, passkeyAssertion ?? null);
    return {
      user: await this.services.admin.summary(created.userId),
      temporaryPasswords: created.passwords,
      enrollmentCode: extend(created.code, { loginId: input.loginId }),
    };
  }

  @Allow(Access.ADMIN)
  @Mutation(() => UserSummary)
  async setUserPermissions(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('permissions', () => [Permission]) permissions: Permission[],
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<UserSummary> {
    await this.services.admin.setUserPermissions(ctx, userId, permissions, confirmationPassword);
    return this.services.admin.summary(userId);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => ApprovalChallengeResult, { description: '取引認証: a passkey challenge bound to setting these limits on this user' })
  async beginSetUserLimits(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('limits') limits: UserLimitsInput,
  ): Promise<ApprovalChallengeResult> {
    return toChallengeResult(await this.services.admin.beginSetUserLimits(ctx, userId, limits));
  }

  @Allow(Access.ADMIN)
  @Mutation(() => UserSummary, {
    description: 'Set a user’s limits; a raise takes 取引認証 where the rule asks it and waits LIMIT_RAISE_DELAY_HOURS',
  })
  async setUserLimits(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('limits') limits: UserLimitsInput,
    @Arg('confirmationPassword') confirmationPassword: string,
    @Arg('passkeyAssertion', () => String, PASSKEY_ASSERTION) passkeyAssertion: string | null | undefined,
  ): Promise<UserSummary> {
    await this.services.admin.setUserLimits(ctx, userId, limits, confirmationPassword, passkeyAssertion ?? null);
    return this.services.admin.summary(userId);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => UserSummary, { description: 'Choose the accounts (利用口座) a user may work with' })
  async setUserAccounts(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('accountIds', () => [Int]) accountIds: number[],
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<UserSummary> {
    await this.services.admin.setUserAccounts(ctx, userId, accountIds, confirmationPassword);
    return this.services.admin.summary(userId);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => PasswordResetResult, { description: 'Reset a user’s passwords to temporary ones (also unlocks the user)' })
  async resetUserPasswords(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PasswordResetResult> {
    const temporaryPasswords = await this.services.admin.resetUserPasswords(ctx, userId, confirmationPassword);
    return { user: await this.services.admin.summary(userId), temporaryPasswords };
  }

  @Allow(Access.ADMIN)
  @Mutation(() => UserSummary, { description: 'Suspend a user ID; its session ends at once' })
  async suspendUser(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<UserSummary> {
    await this.services.admin.setUserStatus(ctx, userId, UserStatus.SUSPENDED, confirmationPassword);
    return this.services.admin.summary(userId);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => UserSummary)
  async resumeUser(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<UserSummary> {
    await this.services.admin.setUserStatus(ctx, userId, UserStatus.ACTIVE, confirmationPassword);
    return this.services.admin.summary(userId);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => EnrollmentCodeResult, { description: 'Authorise a user’s certificate (re)issue: a one-time code, shown once' })
  issueEnrollmentCode(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<EnrollmentCodeResult> {
    return this.services.admin.issueEnrollmentCode(ctx, userId, confirmationPassword);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => ApprovalChallengeResult, { description: '取引認証: a passkey challenge bound to this IP allow-list' })
  async beginSetIpAllowList(
    @Ctx() ctx: RequestContext,
    @Arg('entries', () => [String]) entries: string[],
  ): Promise<ApprovalChallengeResult> {
    return toChallengeResult(await this.services.admin.beginSetIpAllowList(ctx, entries));
  }

  @Allow(Access.ADMIN)
  @Mutation(() => ContractView, { description: 'Where your users may connect from (IP addresses or CIDR ranges); empty: anywhere' })
  async setIpAllowList(
    @Ctx() ctx: RequestContext,
    @Arg('entries', () => [String]) entries: string[],
    @Arg('confirmationPassword') confirmationPassword: string,
    @Arg('passkeyAssertion', () => String, PASSKEY_ASSERTION) passkeyAssertion: string | null | undefined,
  ): Promise<ContractView> {
    return toContractView(await this.services.admin.setIpAllowList(ctx, entries, confirmationPassword, passkeyAssertion ?? null));
  }
}
