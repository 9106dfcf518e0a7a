import { ArrayMaxSize, IsOptional, Length, Matches } from 'class-validator';
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';
import { YenScalar } from '../common/money';
import { PageArgs, PageOf } from '../common/pagination';
import { Permission, Role, UserStatus } from '../users/user.entity';
import { LOGIN_ID_PATTERN, LOGIN_ID_RULE, UserRef } from '../users/user.types';
import { TemporaryPasswordsResult } from '../auth/credential.types';
import { EnrollmentCodeResult } from '../pki/certificate.types';



@VisibleTo(Access.ADMIN)
@ObjectType({ description: 'The certificate a user may use now' })
export class ActiveCertificate {
  @Field(() => Int)
  id!: number;

  @Field()
  serialNumber!: string;

  @Field()
  fingerprint!: string;

  @Field()
  notAfter!: Date;
}

@VisibleTo(Access.ADMIN)
@ObjectType({ description: 'A user ID of the contract, as the administrator’s menu lists it' })
export class UserSummary extends UserRef {
  @Field(() => Role)
  role!: Role;

  @Field(() => UserStatus)
  status!: UserStatus;

  @Field({ description: 'Locked after consecutive wrong passwords; cleared by a password reset' })
  locked!: boolean;

  @Field(() => Int)
  failedAttempts!: number;

  @Field(() => [Permission])
  permissions!: Permission[];

  @Field(() => YenScalar)
  transferLimitPerTransaction!: number;

  @Field(() => YenScalar)
  dailyTransferLimit!: number;

  @Field(() => ActiveCertificate, { nullable: true })
  activeCertificate!: ActiveCertificate | null;

  @Field(() => Date, { nullable: true })
  lastLoginAt!: Date | null;

  @Field({ description: 'When the login password expires' })
  passwordExpiresAt!: Date;

  @Field({ description: 'Temporary passwords not yet changed' })
  passwordTemporary!: boolean;

  @Field(() => [Int], { description: '利用口座: the accounts this user may work with' })
  accountIds!: number[];
}

@VisibleTo(Access.ADMIN)
@ObjectType()
export class PasswordResetResult {
  @Field(() => UserSummary)
  user!: UserSummary;

  @Field(() => TemporaryPasswordsResult)
  temporaryPasswords!: TemporaryPasswordsResult;
}

@VisibleTo(Access.ADMIN)
@ObjectType()
export class CreatedUser extends PasswordResetResult {
  @Field(() => EnrollmentCodeResult)
  enrollmentCode!: EnrollmentCodeResult;
}

@InputType()
export class UserLimitsInput {
  @Field(() => YenScalar, { description: '利用限度額 per transfer' })
  transferLimitPerTransaction!: number;

  @Field(() => YenScalar, { description: '利用限度額 per business day' })
  dailyTransferLimit!: number;
}

@InputType()
export class CreateUserInput extends UserLimitsInput {
  @Field({ description: LOGIN_ID_RULE })
  @Matches(LOGIN_ID_PATTERN, { message: LOGIN_ID_RULE })
  loginId!: string;

  @Field()
  @Length(1, 100)
  displayName!: string;

  @Field(() => [Permission])
  @ArrayMaxSize(10)
  permissions!: Permission[];
}

@VisibleTo(Access.ADMIN_OR_OPERATOR)
@ObjectType({ description: 'A security-relevant event. Never holds a password, PIN, code or key' })
export class AuditEventView {
  @Field(() => Int)
  id!: number;

  @Field()
  occurredAt!: Date;

  @Field()
  action!: string;

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

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 64)
  action?: string | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  to?: Date | null;
}
