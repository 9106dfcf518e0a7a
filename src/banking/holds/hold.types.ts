import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { YenScalar } from '../../common/money';
import { Access, VisibleTo } from '../../graphql/access';
import { AccountType } from '../accounts/account.entity';
import { TransferStatus } from '../transfers/transfer.entity';
import { HoldRule } from './hold-rule';

/**
 * A held transfer as the bank's operator sees it in the queue (保留中の取引): whose, to whom, how
 * much and why, with the contract named so the operator can call the customer back on the number
 * the bank holds (本人確認), never one the caller gives.
 */
@VisibleTo(Access.OPERATOR)
@ObjectType()
export class HeldTransferView {
  @Field(() => Int)
  id!: number;

  @Field(() => Int)
  contractId!: number;

  @Field({ description: 'The contract number' })
  contractCode!: string;

  @Field()
  contractName!: string;

  @Field({ description: 'The maker’s user ID' })
  makerLoginId!: string;

  @Field(() => HoldRule)
  holdRule!: HoldRule;

  @Field()
  heldAt!: Date;

  @Field()
  createdAt!: Date;

  @Field({ description: 'The bank business day it would run on (YYYY-MM-DD)' })
  executionDate!: string;

  @Field(() => YenScalar)
  amount!: number;

  @Field()
  destinationBankCode!: string;

  @Field(() => String, { nullable: true })
  destinationBankName!: string | null;

  @Field()
  destinationBranchCode!: string;

  @Field(() => String, { nullable: true })
  destinationBranchName!: string | null;

  @Field(() => AccountType)
  destinationAccountType!: AccountType;

  @Field()
  destinationAccountNumber!: string;

  @Field()
  payeeName!: string;

  @Field(() => Int, { nullable: true, description: 'The registered payee it was made from, if any' })
  payeeId!: number | null;
}

/** A bank operator's decision on a held order. */
@VisibleTo(Access.OPERATOR)
@ObjectType()
export class HoldDecision {
  @Field(() => Int)
  transferId!: number;

  @Field(() => TransferStatus, {
    description: 'After a release SCHEDULED, or EXECUTED when its day has come; after a cancellation CANCELLED',
  })
  status!: TransferStatus;
}

/** One page of the queue, oldest first. */
@VisibleTo(Access.OPERATOR)
@ObjectType()
export class HeldTransferPage {
  @Field(() => [HeldTransferView])
  items!: HeldTransferView[];

  @Field(() => Int, { nullable: true, description: 'Pass as `after` for the next (newer) page; null on the last page' })
  nextCursor!: number | null;
}

@ArgsType()
export class HeldTransfersArgs {
  @Field(() => Int, { defaultValue: 50 })
  @Min(1)
  @Max(200)
  first!: number;

  @Field(() => Int, { nullable: true, description: 'Held transfers newer than this id: the previous page’s nextCursor' })
  @IsOptional()
  after?: number | null;
}
