import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { boundedText } from '../../common/validation';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import type { Services } from '../../services';
import { PaymentOrderFields } from '../orders/payment-order.resolver';
import { BULK_TRANSFER } from './bulk-transfer.kind';
import {
  BulkTransferLineInput,
  BulkTransferLinePage,
  BulkTransferLinesArgs,
  BulkTransferPage,
  BulkTransferResultFile,
  BulkTransfersArgs,
  BulkTransferView,
} from './bulk-transfer.types';

const IDEMPOTENCY_KEY = {
  nullable: true,
  description:
    'Your own key for this request (1–64 visible ASCII characters), unique in your contract for 24 hours: a retry with the same key ' +
    'and the same lines returns the original bulk transfer and does nothing again; the same key with anything else is IDEMPOTENCY_KEY_REUSED',
} as const;

@Resolver(() => BulkTransferView)
export class BulkTransferResolver extends PaymentOrderFields(BulkTransferView) {
  constructor(private readonly services: Services) {
    super();
  }

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => BulkTransferPage, { description: 'Bulk transfers (総合振込) of your contract, newest first (makers see their own)' })
  bulkTransfers(@Ctx() ctx: RequestContext, @Args() args: BulkTransfersArgs): Promise<BulkTransferPage> {
    return this.services.orders.orders(BULK_TRANSFER, ctx, args);
  }

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => BulkTransferView, { description: 'One bulk transfer with its status; its lines page by page' })
  bulkTransfer(@Ctx() ctx: RequestContext, @Arg('id', () => Int) id: number): Promise<BulkTransferView> {
    return this.services.orders.order(BULK_TRANSFER, ctx, id);
  }

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => BulkTransferResultFile, {
    description: 'The result of a bulk transfer as a CSV file (UTF-8 with BOM): every line with its bank and branch names and outcome',
  })
  async bulkTransferResultFile(@Ctx() ctx: RequestContext, @Arg('id', () => Int) id: number): Promise<BulkTransferResultFile> {
    const file = await this.services.bulkTransfers.resultFile(ctx, id);
    return {
      fileName: file.fileName,
      contentType: file.contentType,
      contentBase64: file.content.toString('base64'),
      lineCount: file.lineCount,
    };
  }

  @Allow(Access.TRANSFER)
  @Mutation(() => BulkTransferView, {
    description:
      'Import a Zengin 総合振込 file (種別コード 21; 120-byte records in Shift_JIS, with or without CR LF) as one bulk transfer, ' +
      'confirmed with your confirmation password. Every record is checked; problems come back by record and field in extensions.problems',
  })
  importBulkTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('fileBase64', { description: 'The file’s bytes, base64-encoded' }) fileBase64: string,
    @Arg('fromAccountId', () => Int, { description: 'Your account to pay from (one of your 利用口座)' }) fromAccountId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string | null | undefined,
  ): Promise<BulkTransferView> {
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
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string | null | undefined,
  ): Promise<BulkTransferView> {
    return this.services.bulkTransfers.createBulkTransfer(ctx, fromAccountId, lines, transferDate, confirmationPassword, idempotencyKey);
  }

  @Allow(Access.TRANSFER_APPROVAL)
  @Mutation(() => BulkTransferView, { description: 'Approve another user’s bulk transfer, all lines at once (maker ≠ checker)' })
  approveBulkTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('bulkTransferId', () => Int) bulkTransferId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<BulkTransferView> {
    return this.services.orders.approve(BULK_TRANSFER, ctx, bulkTransferId, confirmationPassword);
  }

  @Allow(Access.TRANSFER_APPROVAL)
  @Mutation(() => BulkTransferView, { description: 'Reject another user’s bulk transfer; its reserved limits are released' })
  rejectBulkTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('bulkTransferId', () => Int) bulkTransferId: number,
    @Arg('reason') reason: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<BulkTransferView> {
    return this.services.orders.reject(BULK_TRANSFER, ctx, bulkTransferId, boundedText(reason, 'reason', 1, 200), confirmationPassword);
  }

  @Allow(Access.TRANSFER_OR_ADMIN)
  @Mutation(() => BulkTransferView, {
    description:
      '予約取消: cancel a bulk transfer waiting for approval or for its execution date, all lines at once, before it runs — your own, ' +
      'or (administrator) any of the contract’s; confirmed with your confirmation password. Its reserved limits are released',
  })
  cancelBulkTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('bulkTransferId', () => Int) bulkTransferId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<BulkTransferView> {
    return this.services.orders.cancel(BULK_TRANSFER, ctx, bulkTransferId, confirmationPassword);
  }

  @FieldResolver(() => BulkTransferLinePage, { description: 'The lines, in order, page by page' })
  lines(@Root() bulk: BulkTransferView, @Ctx() ctx: RequestContext, @Args() args: BulkTransferLinesArgs): Promise<BulkTransferLinePage> {
    return ctx.loaders.bulkTransferLines.load({ bulkTransferId: bulk.id, first: args.first, after: args.after ?? 0 });
  }
}
