import { IsOptional } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs, PageOf } from '../common/pagination';
import { Access, VisibleTo } from '../graphql/access';
import { AuditAction } from './audit-action';

registerEnumType(AuditAction, { name: 'AuditAction', description: 'What an audit event records' });

@VisibleTo(Access.ADMIN_OR_OPERATOR)
@ObjectType({ description: 'A security-relevant event. Never holds a password, PIN, code or key' })
export class AuditEventView {
  @Field(() => Int)
  id!: number;

  @Field()
  occurredAt!: Date;

  @Field(() => AuditAction)
  action!: AuditAction;

  @Field()
  outcome!: string;

  @Field(() => Int, { nullable: true })
  contractId!: number | null;

  @Field(() => String, { nullable: true })
  actorLoginId!: string | null;

  @Field(() => String, { nullable: true })
  certificateFingerprint!: string | null;

  @Field(() => String, { nullable: true })
  targetType!: string | null;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => String, { nullable: true })
  sourceAddress!: string | null;

  @Field(() => String, { nullable: true, description: 'JSON of non-secret facts (reason, remaining attempts, ...)' })
  detail!: string | null;
}

@VisibleTo(Access.ADMIN_OR_OPERATOR)
@ObjectType()
export class AuditEventPage extends PageOf(AuditEventView) {}

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => Int, { nullable: true, description: 'Operators only: one contract (administrators always see their own)' })
  @IsOptional()
  contractId?: number | null;

  @Field(() => Int, { nullable: true, description: 'Events by this user' })
  @IsOptional()
  userId?: number | null;

  @Field(() => AuditAction, { nullable: true })
  @IsOptional()
  action?: AuditAction | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  to?: Date | null;
}

@VisibleTo(Access.OPERATOR)
@ObjectType({ description: 'The result of checking a tamper-evident audit chain link by link' })
export class AuditChainVerification {
  @Field({ description: '"contract:<id>", or "bank" for events of no contract' })
  chain!: string;

  @Field()
  ok!: boolean;

  @Field(() => Int, { description: 'Events found intact before the first problem (all of them when ok)' })
  checkedEvents!: number;

  @Field(() => Int, { nullable: true, description: 'The first event that does not fit (null when the problem is a missing event)' })
  brokenAtEventId!: number | null;

  @Field(() => Int, { nullable: true, description: 'The place in the chain where it breaks' })
  brokenAtSequence!: number | null;

  @Field(() => String, { nullable: true })
  problem!: string | null;

  @Field(() => Int, {
    description: 'Events up to this place were archived and pruned by retention (0: none); the first event in the database follows it',
  })
  prunedThroughSequence!: number;

  @Field({ description: 'The hash of the last event retention archived and pruned (all zeros: none); the archive’s last line carries it' })
  prunedThroughHash!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether this instance’s archive of the chain ends at the last pruned event (null: nothing pruned, or no archive here)',
  })
  archiveEndsAtAnchor!: boolean | null;
}
