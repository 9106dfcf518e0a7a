import { IsOptional } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../common/pagination';
import { HoldRule } from '../holds/hold-rule';
import { ScheduledReason } from './execution-date';
import type { OrderStatus } from './order-status';

registerEnumType(ScheduledReason, {
  name: 'ScheduledReason',
  description:
    'Why an order runs on a later day than it was made (予約扱い): REQUESTED_DATE (asked for), AFTER_CUTOFF (made or approved after ' +
    'the cut-off), CLOSED_DAY (made on a day banks are closed)',
});

/**
 * The fields every kind's GraphQL view shows alike (its status enum and execution date each kind
 * names itself). maker, approver and account are served by the shared field resolvers
 * (payment-order.resolver.ts) from the ids kept here.
 */
@ObjectType()
export abstract class PaymentOrderView {
  @Field(() => Int)
  id!: number;

  /** Loaded through the request's DataLoaders (never one query per row): maker, approver, account. */
  makerUserId!: number;
  approverUserId!: number | null;
  accountId!: number;

  @Field(() => String, {
    nullable: true,
    description: 'The partner (連携先) that made it on the maker’s behalf, as named then; null: made in person',
  })
  partnerName!: string | null;

  @Field({ description: 'The day it was accepted (受付日), YYYY-MM-DD in Asia/Tokyo' })
  businessDate!: string;

  @Field()
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description:
      'The transfer date asked for (振込指定日: transferDate, or a Zengin file’s header), YYYY-MM-DD: it runs on this day or not at all. ' +
      'Null: on the first day possible',
  })
  requestedDate!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved, rejected or cancelled' })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true })
  rejectionReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the money moved' })
  executedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it FAILED on its execution date, as an error code: INSUFFICIENT_FUNDS, CONTRACT_STOPPED, APPROVAL_BINDING_MISMATCH ' +
      '(the order as stored was no longer what was approved)',
  })
  failureCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      '取引認証: SHA-256 (hex) of the order as approved — account, payee, amount, date, lines (docs/passkeys.md); computed again at execution. ' +
      'Null until approved',
  })
  approvalBinding!: string | null;
  @Field(() => HoldRule, {
    nullable: true,
    description:
      'The fraud-control rule that holds it (status HELD: 保留中, waiting for the bank’s 本人確認), or held it; null: never held. ' +
      'An order waiting for approval with a rule is held once approved',
  })
  holdRule!: HoldRule | null;

  @Field(() => Date, { nullable: true, description: 'When it was held' })
  heldAt!: Date | null;
}

/** A kind's list arguments: a page, optionally of one status, named by the kind's own status enum (`class TransfersArgs extends OrderListArgsOf(TransferStatus) {}`). */
export function OrderListArgsOf(statusEnum: object) {
  @ArgsType()
  abstract class OrderListArgs extends PageArgs {
    @Field(() => statusEnum, { nullable: true })
    @IsOptional()
    status?: OrderStatus | null;
  }
  return OrderListArgs;
}
