import { IsOptional, Matches } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access, Allow, VisibleTo } from '../../graphql/access';
import { YenScalar } from '../../common/money';
import { PageArgs, PageOf } from '../../common/pagination';
import { AccountType } from './account.entity';
import { StatementDirection } from './statement-line.entity';

registerEnumType(AccountType, { name: 'AccountType', description: 'ORDINARY 普通, CURRENT 当座, SAVINGS 貯蓄' });
registerEnumType(StatementDirection, { name: 'StatementDirection', description: 'CREDIT 入金, DEBIT 出金' });

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'A deposit account of your contract' })
export class AccountView {
  @Field(() => Int)
  id!: number;

  @Field()
  branchCode!: string;

  @Field()
  branchName!: string;

  @Field(() => AccountType)
  accountType!: AccountType;

  @Field()
  accountNumber!: string;

  @Field()
  holderName!: string;

  /** A balance is an inquiry (残高照会) wherever it appears: a transfer's account shows it only to ACCOUNT_INQUIRY. */
  @Allow(Access.ACCOUNT_INQUIRY)
  @Field(() => YenScalar, {
    nullable: true,
    description: 'Needs ACCOUNT_INQUIRY: without it the field is null with a FORBIDDEN error, and the rest of the answer stands',
  })
  balance!: number;
}

@VisibleTo(Access.ACCOUNT_INQUIRY)
@ObjectType({ description: '入出金明細: one movement' })
export class StatementLineView {
  @Field(() => Int)
  id!: number;

  @Field()
  occurredAt!: Date;

  @Field({ description: 'YYYY-MM-DD (Asia/Tokyo)' })
  businessDate!: string;

  @Field(() => StatementDirection)
  direction!: StatementDirection;

  @Field(() => YenScalar)
  amount!: number;

  @Field(() => YenScalar)
  balanceAfter!: number;

  @Field()
  description!: string;

  @Field(() => Int, { nullable: true })
  transferId!: number | null;

  @Field(() => Int, { nullable: true, description: 'The bulk transfer (総合振込) whose line this is' })
  bulkTransferId!: number | null;
}

@VisibleTo(Access.ACCOUNT_INQUIRY)
@ObjectType()
export class StatementPage extends PageOf(StatementLineView) {}

@ArgsType()
export class StatementArgs extends PageArgs {
  @Field(() => Int)
  accountId!: number;

  @Field(() => String, { nullable: true, description: 'From this business day (YYYY-MM-DD), inclusive' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be YYYY-MM-DD' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'To this business day (YYYY-MM-DD), inclusive' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be YYYY-MM-DD' })
  to?: string | null;
}
