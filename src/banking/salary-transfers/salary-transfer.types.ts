import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageOf } from '../../common/pagination';
import { Access, VisibleTo } from '../../graphql/access';
import { OrderListArgsOf } from '../orders/payment-order.types';
import { BulkTransferLineInput, LinePageOf, LinesOrderView, OrderLineFields } from '../lines/order-line.types';
import { SalaryCategory, SalaryTransferStatus } from './salary-transfer.entity';

registerEnumType(SalaryTransferStatus, {
  name: 'SalaryTransferStatus',
  description:
    'All lines together: PENDING_APPROVAL → SCHEDULED (waiting for its debit date) → EXECUTED or FAILED; or REJECTED; or CANCELLED (予約取消)',
});
registerEnumType(SalaryCategory, {
  name: 'SalaryCategory',
  description: 'SALARY (給与振込, 種別コード 11) or BONUS (賞与振込, 種別コード 12)',
});

@InputType({ description: 'A salary or bonus transfer (給与・賞与振込) sent as JSON lines' })
export class CreateSalaryTransferInput {
  @Field(() => Int, { description: 'Your account to pay from (one of your 利用口座)' })
  fromAccountId!: number;

  @Field(() => SalaryCategory)
  category!: SalaryCategory;

  @Field({
    description: '振込指定日: the bank business day the employees are paid, YYYY-MM-DD; your account is debited the business day before',
  })
  payday!: string;

  @Field(() => [BulkTransferLineInput], { description: 'One line per employee, checked like a Zengin data record' })
  lines!: BulkTransferLineInput[];
}

@VisibleTo(Access.SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType({ description: 'One employee’s pay of a salary transfer, with the official bank and branch names' })
export class SalaryTransferLineView extends OrderLineFields {}

@VisibleTo(Access.SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType()
export class SalaryTransferLinePage extends LinePageOf(SalaryTransferLineView) {}

@VisibleTo(Access.SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType({ description: '給与・賞与振込: pay to many employees from one account, confirmed, approved, limited and executed together' })
export class SalaryTransferView extends LinesOrderView {
  @Field(() => SalaryCategory)
  category!: SalaryCategory;

  @Field({ description: '振込指定日: the day the employees are credited, YYYY-MM-DD' })
  payday!: string;

  @Field({ description: 'The debit date: the bank business day before the payday; its total counts against this day’s salary limit' })
  executionDate!: string;

  @Field({
    description: 'It must be approved before this moment (the cut-off, SALARY_SUBMISSION_BUSINESS_DAYS business days before the payday)',
  })
  submissionDeadline!: Date;

  @Field(() => SalaryTransferStatus)
  status!: SalaryTransferStatus;
}

@VisibleTo(Access.SALARY_TRANSFER_OR_APPROVAL)
@ObjectType()
export class SalaryTransferPage extends PageOf(SalaryTransferView) {}

@ArgsType()
export class SalaryTransfersArgs extends OrderListArgsOf(SalaryTransferStatus) {}
