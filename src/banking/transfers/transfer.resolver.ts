import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import { PaymentOrderResolver } from '../orders/payment-order.resolver';
import { TRANSFER } from './transfer.kind';
import { CreateTransferInput, TransferPage, TransfersArgs, TransferView } from './transfer.types';

@Resolver(() => TransferView)
export class TransferResolver extends PaymentOrderResolver({
  kind: TRANSFER,
  view: TransferView,
  page: TransferPage,
  listArgs: TransfersArgs,
  list: 'transfers',
  read: 'transfer',
  suffix: 'Transfer',
  describe: {
    list: 'Transfers of your contract, newest first (makers see their own)',
    read: 'One transfer of your contract (makers: their own), e.g. to learn the outcome of a request you were not sure about',
    approve: 'Approve and execute another user’s pending transfer (maker ≠ checker)',
    reject: 'Reject another user’s pending transfer; its reserved limit is released',
    cancel:
      '予約取消: cancel a transfer waiting for approval or for its execution date, before it runs — your own, or (administrator) any of the ' +
      'contract’s; confirmed with your confirmation password. Its reserved limit is released',
  },
}) {
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
}
