import { ArrayMaxSize, Length, Matches } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';
import { YenScalar } from '../common/money';
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
@ObjectType({ description: 'Raised limits that take effect at effectiveAt' })
export class PendingLimitRaise {
  @Field(() => YenScalar)
  transferLimitPerTransaction!: number;

  @Field(() => YenScalar)
  dailyTransferLimit!: number;

  @Field()
  effectiveAt!: Date;
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

  @Field(() => PendingLimitRaise, {
    nullable: true,
    description: 'A raise of the limits waiting LIMIT_RAISE_DELAY_HOURS (the limits above apply until then); null: none',
  })
  pendingLimitRaise!: PendingLimitRaise | null;

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

  @Field(() => String, { nullable: true, description: 'Where this user’s e-mail notices go; null: none' })
  emailAddress!: string | null;
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

  @Field(() => String, {
    nullable: true,
    description: 'Where the new user’s e-mail notices go; null or "": none (checked as setUserEmailAddress does)',
  })
  emailAddress?: string | null;
}
