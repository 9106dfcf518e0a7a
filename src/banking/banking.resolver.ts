import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { boundedText } from '../common/validation';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import type { Account } from './account.entity';
import { AccountView, CreateTransferInput, StatementArgs, StatementPage, TransferPage, TransfersArgs, TransferView } from './banking.types';
import { toUserRef, UserRef } from '../users/user.types';

export function toAccountView(account: Account): AccountView {
  const { id, branchCode, branchName, accountType, accountNumber, holderName, balance } = account;
  return { id, branchCode, branchName, accountType, accountNumber, holderName, balance };
}

@Resolver()
export class AccountResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.ACCOUNT_INQUIRY)
  @Query(() => [AccountView], { description: 'Your accounts (利用口座) with balances' })
  async accounts(@Ctx() ctx: RequestContext): Promise<AccountView[]> {
    return (await this.services.accounts.accounts(ctx)).map(toAccountView);
  }

  @Allow(Access.ACCOUNT_INQUIRY)
  @Query(() => StatementPage, { description: '入出金明細 of one of your accounts, newest first' })
  statement(@Ctx() ctx: RequestContext, @Args() args: StatementArgs): Promise<StatementPage> {
    return this.services.accounts.statement(ctx, args);
  }
}

@Resolver(() => TransferView)
export class TransferResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => TransferPage, { description: 'Transfers of your contract, newest first (makers see their own)' })
  transfers(@Ctx() ctx: RequestContext, @Args() args: TransfersArgs): Promise<TransferPage> {
    return this.services.transfers.transfers(ctx, args);
  }

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => TransferView, {
    description: 'One transfer of your contract (makers: their own), e.g. to learn the outcome of a request you were not sure about',
  })
  transfer(@Ctx() ctx: RequestContext, @Arg('id', () => Int) id: number): Promise<TransferView> {
    return this.services.transfers.transfer(ctx, id);
  }

  @Allow(Access.TRANSFER)
  @Mutation(() => TransferView, {
    description: 'Create a transfer, confirmed with your confirmation password. Waits for approval when the contract requires it.',
  })
  createTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: CreateTransferInput,
    @Arg('confirmationPassword') confirmationPassword: string,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description:
        'Your own key for this request (1–64 visible ASCII characters, e.g. a UUID), unique in your contract for 24 hours: ' +
        'a retry with the same key and input returns the original transfer and moves nothing; the same key with other input is IDEMPOTENCY_KEY_REUSED',
    })
    idempotencyKey: string | null | undefined,
  ): Promise<TransferView> {
    return this.services.transfers.createTransfer(ctx, input, confirmationPassword, idempotencyKey);
  }

  @Allow(Access.TRANSFER_APPROVAL)
  @Mutation(() => TransferView, { description: 'Approve and execute another user’s pending transfer (maker ≠ checker)' })
  approveTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('transferId', () => Int) transferId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<TransferView> {
    return this.services.transfers.approveTransfer(ctx, transferId, confirmationPassword);
  }

  @Allow(Access.TRANSFER_APPROVAL)
  @Mutation(() => TransferView, { description: 'Reject another user’s pending transfer; its reserved limit is released' })
  rejectTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('transferId', () => Int) transferId: number,
    @Arg('reason') reason: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<TransferView> {
    return this.services.transfers.rejectTransfer(ctx, transferId, boundedText(reason, 'reason', 1, 200), confirmationPassword);
  }

  @FieldResolver(() => UserRef)
  async maker(@Root() transfer: TransferView, @Ctx() ctx: RequestContext): Promise<UserRef> {
    return toUserRef((await ctx.loaders.userById.load(transfer.makerUserId))!);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  async approver(@Root() transfer: TransferView, @Ctx() ctx: RequestContext): Promise<UserRef | null> {
    if (transfer.approverUserId === null) return null;
    const user = await ctx.loaders.userById.load(transfer.approverUserId);
    return user ? toUserRef(user) : null;
  }

  @FieldResolver(() => AccountView, { description: 'The account paid from' })
  async account(@Root() transfer: TransferView, @Ctx() ctx: RequestContext): Promise<AccountView> {
    return toAccountView((await ctx.loaders.accountById.load(transfer.accountId))!);
  }
}
