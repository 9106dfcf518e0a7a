import { IsOptional, Matches } from 'class-validator';
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access, VisibleTo } from '../../graphql/access';
import { YenScalar } from '../../common/money';
import { PageOf } from '../../common/pagination';
import { AccountType } from '../accounts/account.entity';
import { OrderListArgsOf, PaymentOrderView } from '../orders/payment-order.types';
import { TransferStatus } from './transfer.entity';

registerEnumType(TransferStatus, {
  name: 'TransferStatus',
  description:
    'PENDING_APPROVAL → SCHEDULED (予約: waiting for its execution date) → EXECUTED or FAILED; or REJECTED; or CANCELLED (予約取消) before it ran',
});

@InputType({
  description:
    'A transfer (振込) to any bank account in Japan: to a registered payee (payeeId), or to the destination fields and payeeName — exactly one of the two',
})
export class CreateTransferInput {
  @Field(() => Int, { description: 'Your account to pay from (one of your 利用口座)' })
  fromAccountId!: number;

  @Field(() => Int, { nullable: true, description: 'A registered payee (see payees) whose account and name the transfer copies' })
  payeeId?: number | null;

  @Field(() => String, { nullable: true, description: '金融機関コード: four digits' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'destinationBankCode must be four digits' })
  destinationBankCode?: string | null;

  @Field(() => String, { nullable: true, description: '支店番号: three digits' })
  @IsOptional()
  @Matches(/^\d{3}$/, { message: 'destinationBranchCode must be three digits' })
  destinationBranchCode?: string | null;

  @Field(() => AccountType, { nullable: true })
  destinationAccountType?: AccountType | null;

  @Field(() => String, { nullable: true, description: '口座番号: seven digits' })
  @IsOptional()
  @Matches(/^\d{7}$/, { message: 'destinationAccountNumber must be seven digits' })
  destinationAccountNumber?: string | null;

  @Field(() => String, { nullable: true, description: '受取人名 in katakana; half-width input is normalised' })
  payeeName?: string | null;

  @Field(() => YenScalar, { description: 'Whole yen, at least 1' })
  amount!: number;

  @Field(() => String, {
    nullable: true,
    description:
      '振込指定日: the bank business day to run on (YYYY-MM-DD), from the first possible day to TRANSFER_DATE_HORIZON_DAYS ahead. ' +
      'Kept as asked or refused (INVALID_EXECUTION_DATE), never moved. Omitted: the first day possible',
  })
  transferDate?: string | null;
}

@VisibleTo(Access.TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType()
export class TransferView extends PaymentOrderView {
  @Field()
  destinationBankCode!: string;

  @Field()
  destinationBranchCode!: string;

  @Field(() => String, { nullable: true, description: 'The bank’s name from the zengin-code directory when it was made (e.g. 三井住友)' })
  destinationBankName!: string | null;

  @Field(() => String, { nullable: true, description: 'The bank’s name in katakana, as the directory reads it' })
  destinationBankNameKana!: string | null;

  @Field(() => String, { nullable: true, description: 'The branch’s name from the zengin-code directory when it was made (e.g. 立売堀)' })
  destinationBranchName!: string | null;

  @Field(() => String, { nullable: true, description: 'The branch’s name in katakana, as the directory reads it' })
  destinationBranchNameKana!: string | null;

  @Field(() => AccountType)
  destinationAccountType!: AccountType;

  @Field()
  destinationAccountNumber!: string;

  @Field()
  payeeName!: string;

  @Field(() => YenScalar)
  amount!: number;

  @Field(() => Int, { nullable: true, description: 'The registered payee it was made from, if any (its account as it was then)' })
  payeeId!: number | null;

  @Field({
    description:
      'The bank business day it runs on (YYYY-MM-DD): the transfer date asked for (requestedDate), or later than the day it was made ' +
      'after the cut-off or on a closed day (予約扱い: see scheduledReason). Daily limits count against this day',
  })
  executionDate!: string;

  @Field(() => TransferStatus)
  status!: TransferStatus;
}

@VisibleTo(Access.TRANSFER_OR_APPROVAL)
@ObjectType()
export class TransferPage extends PageOf(TransferView) {}

@ArgsType()
export class TransfersArgs extends OrderListArgsOf(TransferStatus) {}
