import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { YenScalar } from '../../common/money';
import { AccountType } from '../accounts/account.entity';
import { DestinationInput } from '../accounts/destination.types';
import { IDEMPOTENCY_KEY_ARGUMENT } from '../orders/idempotency-argument';
import { PaymentOrderView } from '../orders/payment-order.types';
import { LinesSource } from './order-line.entity';

registerEnumType(LinesSource, {
  name: 'BulkTransferSource',
  description: 'How the lines came, for a bulk or a salary transfer: ZENGIN_FILE (import…) or JSON (create…)',
});

@InputType({ description: 'One line of a bulk or salary transfer sent as JSON; checked like a Zengin data record' })
export class BulkTransferLineInput extends DestinationInput {
  @Field(() => YenScalar, { description: 'Whole yen, 1 to 9,999,999,999' })
  amount!: number;
}

/** What importing a Zengin file takes, for every kind of order of lines. */
@ArgsType()
export class ImportLinesArgs {
  @Field({ description: 'The file’s bytes, base64-encoded' })
  fileBase64!: string;

  @Field(() => Int, { description: 'Your account to pay from (one of your 利用口座)' })
  fromAccountId!: number;

  @Field()
  confirmationPassword!: string;

  @Field(() => String, IDEMPOTENCY_KEY_ARGUMENT)
  idempotencyKey?: string | null;
}

/** The fields of one line of an order of lines; each kind's view adds who may see it (@VisibleTo). */
@ObjectType()
export abstract class OrderLineFields {
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

/** A page of a kind's line views: `class XLinePage extends LinePageOf(XLineView) {}`. */
export function LinePageOf<Line extends object>(lineType: ClassType<Line>) {
  @ObjectType()
  abstract class LinePage {
    @Field(() => [lineType])
    items!: Line[];

    @Field(() => Int, { nullable: true, description: 'Pass as `after` for the next page; null on the last page' })
    nextCursor!: number | null;
  }
  return LinePage;
}

@ArgsType()
export class OrderLinesArgs {
  @Field(() => Int, { defaultValue: 100 })
  @Min(1)
  @Max(1000)
  first!: number;

  @Field(() => Int, { nullable: true, description: 'Lines after this line number: the previous page’s nextCursor' })
  @IsOptional()
  @Min(0)
  after?: number | null;
}

/** What every order of lines shows besides what every order does (its status enum and lines each kind names itself). */
@ObjectType()
export abstract class LinesOrderView extends PaymentOrderView {
  @Field(() => Int, { description: 'Your account paid from (see accounts)' })
  override accountId!: number;

  @Field(() => LinesSource)
  source!: LinesSource;

  @Field(() => String, { nullable: true, description: '振込依頼人名 of the file’s header' })
  requesterName!: string | null;

  @Field(() => Int)
  lineCount!: number;

  @Field(() => YenScalar)
  totalAmount!: number;
}
