import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { boundedText } from '../common/validation';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { toUserRef, UserRef } from '../users/user.types';
import {
  BulkTransferLineInput,
  BulkTransferLinePage,
  BulkTransferLinesArgs,
  BulkTransferPage,
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
export class BulkTransferResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => BulkTransferPage, { description: 'Bulk transfers (総合振込) of your contract, newest first (makers see their own)' })
  bulkTransfers(@Ctx() ctx: RequestContext, @Args() args: BulkTransfersArgs): Promise<BulkTransferPage> {
    return this.services.bulkTransfers.bulkTransfers(ctx, args);
  }

  @Allow(Access.TRANSFER_OR_APPROVAL)
  @Query(() => BulkTransferView, { description: 'One bulk transfer with its status; its lines page by page' })
  bulkTransfer(@Ctx() ctx: RequestContext, @Arg('id', () => Int) id: number): Promise<BulkTransferView> {
    return this.services.bulkTransfers.bulkTransfer(ctx, id);
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
    return this.services.bulkTransfers.approveBulkTransfer(ctx, bulkTransferId, confirmationPassword);
  }

  @Allow(Access.TRANSFER_APPROVAL)
  @Mutation(() => BulkTransferView, { description: 'Reject another user’s bulk transfer; its reserved limits are released' })
  rejectBulkTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('bulkTransferId', () => Int) bulkTransferId: number,
    @Arg('reason') reason: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<BulkTransferView> {
    return this.services.bulkTransfers.rejectBulkTransfer(ctx, bulkTransferId, boundedText(reason, 'reason', 1, 200), confirmationPassword);
  }

  @FieldResolver(() => BulkTransferLinePage, { description: 'The lines, in order, page by page' })
  lines(@Root() bulk: BulkTransferView, @Ctx() ctx: RequestContext, @Args() args: BulkTransferLinesArgs): Promise<BulkTransferLinePage> {
    return ctx.loaders.bulkTransferLines.load({ bulkTransferId: bulk.id, first: args.first, after: args.after ?? 0 });
  }

  @FieldResolver(() => UserRef)
  async maker(@Root() bulk: BulkTransferView, @Ctx() ctx: RequestContext): Promise<UserRef> {
    return toUserRef((await ctx.loaders.userById.load(bulk.makerUserId))!);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  async approver(@Root() bulk: BulkTransferView, @Ctx() ctx: RequestContext): Promise<UserRef | null> {
    if (bulk.approverUserId === null) return null;
    const user = await ctx.loaders.userById.load(bulk.approverUserId);
    return user ? toUserRef(user) : null;
  }
}
