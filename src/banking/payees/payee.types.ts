import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { Access, VisibleTo } from '../../graphql/access';
import { AccountType } from '../accounts/account.entity';
import { DestinationInput } from '../accounts/destination.types';
import { findBank, findBranch } from '../zengin/bank-directory';
import type { Payee } from './payee.entity';
import { extend } from '../../common/extend';

@InputType({ description: 'A payee to register (振込先登録): the account and the name as the bank records it' })
export class CreatePayeeInput extends DestinationInput {
  @Field({ description: '登録名: your own name for the payee, 1 to 30 characters (kanji allowed)' })
  nickname!: string;
}

@InputType({ description: 'What to change of a registered payee; fields left out stay as they are' })
export class UpdatePayeeInput {
  @Field(() => String, { nullable: true })
  nickname?: string | null;

  @Field(() => String, { nullable: true })
  bankCode?: string | null;

  @Field(() => String, { nullable: true })
  branchCode?: string | null;

  @Field(() => AccountType, { nullable: true })
  accountType?: AccountType | null;

  @Field(() => String, { nullable: true })
  accountNumber?: string | null;

  @Field(() => String, { nullable: true })
  payeeName?: string | null;
}

@VisibleTo(Access.TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN)
@ObjectType({ description: 'A registered payee (振込先) of your contract, with the official bank and branch names' })
export class PayeeView {
  @Field(() => Int)
  id!: number;

  @Field({ description: '登録名' })
  nickname!: string;

  @Field()
  bankCode!: string;

  @Field(() => String, { nullable: true, description: 'From the zengin-code directory' })
  bankName!: string | null;

  @Field()
  branchCode!: string;

  @Field(() => String, { nullable: true, description: 'From the zengin-code directory' })
  branchName!: string | null;

  @Field(() => AccountType)
  accountType!: AccountType;

  @Field()
  accountNumber!: string;

  @Field({ description: '受取人名 as the bank records it (full-width katakana; sent half-width in Zengin data)' })
  payeeName!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@VisibleTo(Access.TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN)
@ObjectType()
export class PayeePage {
  @Field(() => [PayeeView])
  items!: PayeeView[];

  @Field(() => Int, { nullable: true, description: 'Pass as `after` for the next page; null on the last page' })
  nextCursor!: number | null;
}

@ArgsType()
export class PayeesArgs {
  @Field(() => Int, { defaultValue: 50 })
  @Min(1)
  @Max(200)
  first!: number;

  @Field(() => Int, { nullable: true, description: 'Payees registered after this id: the previous page’s nextCursor' })
  @IsOptional()
  after?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Part of the nickname or of the 受取人名 (any kana width), or the account number',
  })
  @IsOptional()
  search?: string | null;
}

/** The directory's names are looked up when shown (in memory), so a renamed branch shows its new name. */
export function toPayeeView(payee: Payee): PayeeView {
  return extend(payee, {
    bankName: findBank(payee.bankCode)?.name ?? null,
    branchName: findBranch(payee.bankCode, payee.branchCode)?.name ?? null,
  });
}
