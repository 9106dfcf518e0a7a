import { Arg, Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { boundedText } from '../../common/validation';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import type { Services } from '../../services';
import { PaymentOrderFields } from '../orders/payment-order.resolver';
import { TRANSFER } from './transfer.kind';
import { CreateTransferInput, TransferPage, TransfersArgs, TransferView } from './transfer.types';

@Resolver(() => TransferView)
export class TransferResolver extends PaymentOrderFields(TransferView) {
  constructor(private readonly services: Services) {
    super();
  }

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => TransferPage, { description: 'Transfers of your contract, newest first (makers see their own)' })
  transfers(@Ctx() ctx: RequestContext, @Args() args: TransfersArgs): Promise<TransferPage> {
    return this.services.orders.orders(TRANSFER, ctx, args);
  }

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => TransferView, {
    description: 'One transfer of your contract (makers: their own), e.g. to learn the outcome of a request you were not sure about',
  })
  transfer(@Ctx() ctx: RequestContext, @Arg('id', () => Int) id: number): Promise<TransferView> {
    return this.services.orders.order(TRANSFER, ctx, id);
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
    return this.services.orders.approve(TRANSFER, ctx, transferId, confirmationPassword);
  }

  @Allow(Access.TRANSFER_APPROVAL)
  @Mutation(() => TransferView, { description: 'Reject another user’s pending transfer; its reserved limit is released' })
  rejectTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('transferId', () => Int) transferId: number,
    @Arg('reason') reason: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<TransferView> {
    return this.services.orders.reject(TRANSFER, ctx, transferId, boundedText(reason, 'reason', 1, 200), confirmationPassword);
  }

  @Allow(Access.TRANSFER_OR_ADMIN)
  @Mutation(() => TransferView, {
    description:
      '予約取消: cancel a transfer waiting for approval or for its execution date, before it runs — your own, or (administrator) any of the ' +
      'contract’s; confirmed with your confirmation password. Its reserved limit is released',
  })
  cancelTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('transferId', () => Int) transferId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<TransferView> {
    return this.services.orders.cancel(TRANSFER, ctx, transferId, confirmationPassword);
  }
}
