import { Field, Int, ObjectType } from 'type-graphql';

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

  @Field({ description: 'The day it was accepted (受付日), YYYY-MM-DD in Asia/Tokyo' })
  businessDate!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was approved, rejected or cancelled' })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true })
  rejectionReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the money moved' })
  executedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it FAILED on its execution date, as an error code: INSUFFICIENT_FUNDS, CONTRACT_STOPPED',
  })
  failureCode!: string | null;
}
