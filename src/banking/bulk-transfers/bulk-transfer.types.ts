import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { YenScalar } from '../../common/money';
import { PageArgs, PageOf } from '../../common/pagination';
import { Access, VisibleTo } from '../../graphql/access';
import { AccountType } from '../accounts/account.entity';
import { PaymentOrderView } from '../orders/payment-order.types';
import { BulkTransferSource, BulkTransferStatus } from './bulk-transfer.entity';

registerEnumType(BulkTransferStatus, {
  name: 'BulkTransferStatus',
  description:
    'All lines together: PENDING_APPROVAL → SCHEDULED (予約: waiting for its execution date) → EXECUTED or FAILED; or REJECTED; ' +
    'or CANCELLED (予約取消) before it ran',
});
registerEnumType(BulkTransferSource, {
  name: 'BulkTransferSource',
  description: 'ZENGIN_FILE (importBulkTransfer) or JSON (createBulkTransfer)',
});

@InputType({ description: 'One transfer of a bulk transfer sent as JSON; checked like a Zengin data record' })
export class BulkTransferLineInput {
  @Field({ description: '金融機関コード: four digits, a bank of the Zengin directory' })
  bankCode!: string;

  @Field({ description: '支店番号: three digits, a branch of that bank' })
  branchCode!: string;

  @Field(() => AccountType)
  accountType!: AccountType;

  @Field({ description: '口座番号: seven digits' })
  accountNumber!: string;

  @Field({ description: '受取人名 in katakana (half- or full-width, or hiragana), at most 30 half-width characters' })
  payeeName!: string;

  @Field(() => YenScalar, { description: 'Whole yen, 1 to 9,999,999,999' })
  amount!: number;
}

@VisibleTo(Access.TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType({ description: 'One line of a bulk transfer, with the official bank and branch names' })
export class BulkTransferLineView {
  @Field(() => Int, { description: '1 to lineCount, in the order given (in a file: the data record numbered lineNumber + 1)' })
  lineNumber!: number;

  @Field()
  bankCode!: string;

  @Field({ description: 'From the zengin-code directory' })
  bankName!: string;

  @Field()
  branchCode!: string;

  @Field({ description: 'From the zengin-code directory' })
  branchName!: string;

  @Field(() => AccountType)
  accountType!: AccountType;

  @Field()
  accountNumber!: string;

  @Field({ description: 'As the bank stores it (full-width katakana)' })
  payeeName!: string;

  @Field(() => YenScalar)
  amount!: number;

  @Field(() => String, { nullable: true, description: '顧客コード1' })
  customerCode1!: string | null;

  @Field(() => String, { nullable: true, description: '顧客コード2' })
  customerCode2!: string | null;

  @Field(() => String, { nullable: true, description: 'EDI情報' })
  ediInfo!: string | null;
}

@VisibleTo(Access.TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType()
export class BulkTransferLinePage {
  @Field(() => [BulkTransferLineView])
  items!: BulkTransferLineView[];

  @Field(() => Int, { nullable: true, description: 'Pass as `after` for the next page; null on the last page' })
  nextCursor!: number | null;
}

@ArgsType()
export class BulkTransferLinesArgs {
  @Field(() => Int, { defaultValue: 100 })
  @Min(1)
  @Max(1000)
  first!: number;

  @Field(() => Int, { nullable: true, description: 'Lines after this line number: the previous page’s nextCursor' })
  @IsOptional()
  @Min(0)
  after?: number | null;
}

@VisibleTo(Access.TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType({ description: '総合振込: many transfers from one account, confirmed, approved, limited and executed together' })
export class BulkTransferView extends PaymentOrderView {
  @Field(() => Int, { description: 'Your account paid from (see accounts)' })
  override accountId!: number;

  @Field(() => BulkTransferSource)
  source!: BulkTransferSource;

  @Field(() => String, { nullable: true, description: '振込依頼人名 of the file’s header' })
  requesterName!: string | null;

  @Field(() => Int)
  lineCount!: number;

  @Field(() => YenScalar)
  totalAmount!: number;

  @Field({ description: 'The bank business day it runs on; its total counts against this day’s limits' })
  executionDate!: string;

  @Field(() => BulkTransferStatus)
  status!: BulkTransferStatus;
}

@VisibleTo(Access.TRANSFER_OR_APPROVAL)
@ObjectType()
export class BulkTransferPage extends PageOf(BulkTransferView) {}

@ArgsType()
export class BulkTransfersArgs extends PageArgs {
  @Field(() => BulkTransferStatus, { nullable: true })
  @IsOptional()
  status?: BulkTransferStatus | null;
}
