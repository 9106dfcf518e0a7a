import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import { IDEMPOTENCY_KEY_ARGUMENT } from '../orders/idempotency-argument';
import { PaymentOrderResolver } from '../orders/payment-order.resolver';
import { BULK_TRANSFER } from './bulk-transfer.kind';
import { BulkTransferLineInput, ImportLinesArgs, OrderLinesArgs } from '../lines/order-line.types';
import { BulkTransferLinePage, BulkTransferPage, BulkTransfersArgs, BulkTransferView } from './bulk-transfer.types';

@Resolver(() => BulkTransferView)
export class BulkTransferResolver extends PaymentOrderResolver({
  kind: BULK_TRANSFER,
  view: BulkTransferView,
  page: BulkTransferPage,
  listArgs: BulkTransfersArgs,
  list: 'bulkTransfers',
  read: 'bulkTransfer',
  suffix: 'BulkTransfer',
  describe: {
    list: 'Bulk transfers (総合振込) of your contract, newest first (makers see their own)',
    read: 'One bulk transfer with its status; its lines page by page',
    approve: 'Approve another user’s bulk transfer, all lines at once (maker ≠ checker)',
    reject: 'Reject another user’s bulk transfer; its reserved limits are released',
    cancel:
      '予約取消: cancel a bulk transfer waiting for approval or for its execution date, all lines at once, before it runs — your own, ' +
      'or (administrator) any of the contract’s; confirmed with your confirmation password. Its reserved limits are released',
  },
}) {
  @Allow(Access.TRANSFER)
  @Mutation(() => BulkTransferView, {
    description:
      'Import a Zengin 総合振込 file (種別コード 21; 120-byte records in Shift_JIS, with or without CR LF) as one bulk transfer, ' +
      'confirmed with your confirmation password. Every record is checked; problems come back by record and field in extensions.problems',
  })
  importBulkTransfer(@Ctx() ctx: RequestContext, @Args() args: ImportLinesArgs): Promise<BulkTransferView> {
    const { fileBase64, fromAccountId, confirmationPassword, idempotencyKey } = args;
    return this.services.bulkTransfers.importBulkTransfer(ctx, fileBase64, fromAccountId, confirmationPassword, idempotencyKey);
  }

  @Allow(Access.TRANSFER)
  @Mutation(() => BulkTransferView, {
    description: 'A bulk transfer from lines sent as JSON (send them as a variable), checked and handled like an imported file',
  })
  createBulkTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('fromAccountId', () => Int, { description: 'Your account to pay from (one of your 利用口座)' }) fromAccountId: number,
    @Arg('lines', () => [BulkTransferLineInput]) lines: BulkTransferLineInput[],
    @Arg('confirmationPassword') confirmationPassword: string,
    @Arg('transferDate', () => String, {
      nullable: true,
      description: 'A later business day to run on (YYYY-MM-DD); by default the first one possible',
    })
    transferDate: string | null | undefined,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY_ARGUMENT) idempotencyKey: string | null | undefined,
  ): Promise<BulkTransferView> {
    return this.services.bulkTransfers.createBulkTransfer(ctx, fromAccountId, lines, transferDate, confirmationPassword, idempotencyKey);
  }

  @FieldResolver(() => BulkTransferLinePage, { description: 'The lines, in order, page by page' })
  lines(@Root() bulk: BulkTransferView, @Ctx() ctx: RequestContext, @Args() args: OrderLinesArgs): Promise<BulkTransferLinePage> {
    return ctx.loaders.bulkTransferLines.load({ orderId: bulk.id, first: args.first, after: args.after ?? 0 });
  }
}
