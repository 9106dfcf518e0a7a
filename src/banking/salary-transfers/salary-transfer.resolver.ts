import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import { ImportLinesArgs, OrderLinesArgs } from '../lines/order-line.types';
import { IDEMPOTENCY_KEY_ARGUMENT } from '../orders/idempotency-argument';
import { PaymentOrderResolver } from '../orders/payment-order.resolver';
import { SALARY_TRANSFER } from './salary-transfer.kind';
import {
  CreateSalaryTransferInput,
  SalaryTransferLinePage,
  SalaryTransferPage,
  SalaryTransfersArgs,
  SalaryTransferView,
} from './salary-transfer.types';

@Resolver(() => SalaryTransferView)
export class SalaryTransferResolver extends PaymentOrderResolver({
  kind: SALARY_TRANSFER,
  view: SalaryTransferView,
  page: SalaryTransferPage,
  listArgs: SalaryTransfersArgs,
  list: 'salaryTransfers',
  read: 'salaryTransfer',
  suffix: 'SalaryTransfer',
  describe: {
    list: 'Salary and bonus transfers (給与・賞与振込) of your contract, newest first (makers see their own, SALARY_APPROVAL all)',
    read: 'One salary or bonus transfer with its status; its lines page by page',
    approve: 'Approve another user’s salary transfer, all lines at once, before its submission deadline (maker ≠ checker)',
    reject: 'Reject another user’s salary transfer; its reserved salary limit is released',
    cancel:
      '予約取消: cancel a salary transfer waiting for approval or for its debit date — your own, or (administrator) any of the ' +
      'contract’s; confirmed with your confirmation password. Its reserved salary limit is released',
  },
  access: { read: Access.SALARY_TRANSFER_OR_APPROVAL, decide: Access.SALARY_APPROVAL, cancel: Access.SALARY_TRANSFER_OR_ADMIN },
}) {
  @Allow(Access.SALARY_TRANSFER)
  @Mutation(() => SalaryTransferView, {
    description:
      'Import a Zengin 給与振込 (種別コード 11) or 賞与振込 (12) file as one salary transfer, confirmed with your confirmation password; ' +
      'its 振込指定日 is the payday. Every record is checked; problems come back by record and field in extensions.problems',
  })
  importSalaryTransfer(@Ctx() ctx: RequestContext, @Args() args: ImportLinesArgs): Promise<SalaryTransferView> {
    const { fileBase64, fromAccountId, confirmationPassword, idempotencyKey } = args;
    return this.services.salaryTransfers.importSalaryTransfer(ctx, fileBase64, fromAccountId, confirmationPassword, idempotencyKey);
  }

  @Allow(Access.SALARY_TRANSFER)
  @Mutation(() => SalaryTransferView, {
    description: 'A salary or bonus transfer from lines sent as JSON, checked and handled like an imported file',
  })
  createSalaryTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: CreateSalaryTransferInput,
    @Arg('confirmationPassword') confirmationPassword: string,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY_ARGUMENT) idempotencyKey: string | null | undefined,
  ): Promise<SalaryTransferView> {
    return this.services.salaryTransfers.createSalaryTransfer(ctx, input, confirmationPassword, idempotencyKey);
  }

  @FieldResolver(() => SalaryTransferLinePage, { description: 'The lines, in order, page by page' })
  lines(@Root() salary: SalaryTransferView, @Ctx() ctx: RequestContext, @Args() args: OrderLinesArgs): Promise<SalaryTransferLinePage> {
    return ctx.loaders.salaryTransferLines.load({ orderId: salary.id, first: args.first, after: args.after ?? 0 });
  }
}
