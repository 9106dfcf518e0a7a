import { Arg, Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import type { Services } from '../../services';
import { PASSKEY_ASSERTION, toChallengeResult } from '../../auth/passkeys/change-arguments';
import { ApprovalChallengeResult } from '../../auth/passkeys/passkey.types';
import { CreatePayeeInput, PayeePage, PayeesArgs, PayeeView, toPayeeView, UpdatePayeeInput } from './payee.types';

const PAYEE_ID = { description: 'A payee of your contract (see payees)' } as const;

@Resolver(() => PayeeView)
export class PayeeResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN)
  @Query(() => PayeePage, { description: '振込先: the registered payees of your contract, in the order registered' })
  async payees(@Ctx() ctx: RequestContext, @Args() args: PayeesArgs): Promise<PayeePage> {
    const page = await this.services.payees.payees(ctx, args);
    return { items: page.items.map(toPayeeView), nextCursor: page.nextCursor };
  }

  @Allow(Access.PAYEE_MANAGEMENT)
  @Mutation(() => ApprovalChallengeResult, { description: '取引認証: a passkey challenge bound to registering this payee' })
  async beginCreatePayee(@Ctx() ctx: RequestContext, @Arg('input') input: CreatePayeeInput): Promise<ApprovalChallengeResult> {
    return toChallengeResult(await this.services.payees.beginPayeeChange(ctx, null, input));
  }

  @Allow(Access.PAYEE_MANAGEMENT)
  @Mutation(() => PayeeView, { description: '振込先登録: register a payee for your contract (PAYEE_MANAGEMENT); audited' })
  async createPayee(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: CreatePayeeInput,
    @Arg('passkeyAssertion', () => String, PASSKEY_ASSERTION) passkeyAssertion: string | null | undefined,
  ): Promise<PayeeView> {
    return toPayeeView(await this.services.payees.createPayee(ctx, input, passkeyAssertion ?? null));
  }

  @Allow(Access.PAYEE_MANAGEMENT)
  @Mutation(() => ApprovalChallengeResult, { description: '取引認証: a passkey challenge bound to this payee’s new destination' })
  async beginUpdatePayee(
    @Ctx() ctx: RequestContext,
    @Arg('payeeId', () => Int, PAYEE_ID) payeeId: number,
    @Arg('input') input: UpdatePayeeInput,
  ): Promise<ApprovalChallengeResult> {
    return toChallengeResult(await this.services.payees.beginPayeeChange(ctx, payeeId, input));
  }

  @Allow(Access.PAYEE_MANAGEMENT)
  @Mutation(() => PayeeView, { description: 'Change a registered payee; transfers already made from it keep what they copied; audited' })
  async updatePayee(
    @Ctx() ctx: RequestContext,
    @Arg('payeeId', () => Int, PAYEE_ID) payeeId: number,
    @Arg('input') input: UpdatePayeeInput,
    @Arg('passkeyAssertion', () => String, PASSKEY_ASSERTION) passkeyAssertion: string | null | undefined,
  ): Promise<PayeeView> {
    return toPayeeView(await this.services.payees.updatePayee(ctx, payeeId, input, passkeyAssertion ?? null));
  }

  @Allow(Access.PAYEE_MANAGEMENT)
  @Mutation(() => PayeeView, {
    description: 'Delete a registered payee (answers it as it was); transfers made from it are unchanged; audited',
  })
  async deletePayee(@Ctx() ctx: RequestContext, @Arg('payeeId', () => Int, PAYEE_ID) payeeId: number): Promise<PayeeView> {
    return toPayeeView(await this.services.payees.deletePayee(ctx, payeeId));
  }
}
