import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';
import { Permission, Role } from '../users/user.entity';
import { PasswordKind } from './password-history.entity';

registerEnumType(PasswordKind, {
  name: 'PasswordKind',
  description: 'LOGIN: the login password (PIN); CONFIRMATION: the confirmation password for transfers and administrative changes',
});

@VisibleTo(Access.CERTIFICATE)
@ObjectType({ description: 'The client certificate presented on this connection' })
export class CertificateSummary {
  @Field()
  serialNumber!: string;

  @Field({ description: 'SHA-256 of the DER certificate, lower-case hex' })
  fingerprint!: string;

  @Field()
  issuer!: string;

  @Field()
  notBefore!: Date;

  @Field()
  notAfter!: Date;
}

@VisibleTo(Access.CERTIFICATE)
@ObjectType({ description: 'The login password expiry (R11)' })
export class PasswordStatus {
  @Field()
  expiresAt!: Date;

  @Field(() => Int, { description: 'Whole days until expiry; negative once expired' })
  daysRemaining!: number;

  @Field()
  expired!: boolean;

  @Field({ description: 'Set by a reset: the passwords must be changed before anything else' })
  temporary!: boolean;

  @Field(() => String, { nullable: true, description: 'Shown to the user inside the warning window, after expiry, or after a reset' })
  warning!: string | null;
}

@VisibleTo(Access.CERTIFICATE)
@ObjectType({ description: 'The presented certificate’s validity, with a renewal warning ahead of expiry' })
export class CertificateStatus {
  @Field()
  notAfter!: Date;

  @Field(() => Int)
  daysRemaining!: number;

  @Field()
  renewalRecommended!: boolean;

  @Field(() => String, { nullable: true })
  warning!: string | null;
}

@VisibleTo(Access.CERTIFICATE)
@ObjectType({ description: 'Who the presented certificate belongs to, and the login state' })
export class Whoami {
  @Field()
  loginId!: string;

  @Field()
  displayName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Null for bank operators' })
  contractCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Null for bank operators' })
  contractName!: string | null;

  @Field(() => CertificateSummary)
  certificate!: CertificateSummary;

  @Field({ description: 'Whether this request carries a valid PIN session for this certificate' })
  loggedIn!: boolean;

  @Field({ description: 'Only changePassword, logout and whoami are allowed until the password is changed' })
  mustChangePassword!: boolean;

  @Field(() => PasswordStatus)
  passwordStatus!: PasswordStatus;

  @Field(() => CertificateStatus)
  certificateStatus!: CertificateStatus;
}

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'The logged-in user' })
export class Me extends Whoami {
  @Field(() => Date, { nullable: true, description: 'The latest successful login (this session’s, once logged in)' })
  lastLoginAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: '前回ログイン日時: the login before this session’s, to show after login so a user spots misuse; null on the first',
  })
  previousLoginAt!: Date | null;

  @Field(() => Int, { description: 'A session ends after this many seconds without a request (for an idle countdown)' })
  idleTimeoutSeconds!: number;

  @Field(() => [Permission], { description: 'Your business permissions (業務権限), to show only what you may use' })
  permissions!: Permission[];

  @Field(() => String, { nullable: true, description: 'Where your e-mail notices go; null: none' })
  emailAddress!: string | null;

  @Field({
    description:
      'Whether your contract has orders approved by a second person (承認あり). Without it, an order a partner made for you waits for your own approval',
  })
  contractRequiresApproval!: boolean;
}

@VisibleTo(Access.CERTIFICATE)
@ObjectType()
export class LoginResult {
  @Field({ description: 'Send as "Authorization: Bearer <token>" (partners); browsers get it as an HttpOnly cookie' })
  token!: string;

  @Field({ description: 'The absolute end of the session' })
  expiresAt!: Date;

  @Field({ description: 'When the session times out without activity' })
  idleExpiresAt!: Date;

  @Field(() => Date, { nullable: true, description: '前回ログイン日時: the login before this one; null on the first' })
  previousLoginAt!: Date | null;

  @Field()
  mustChangePassword!: boolean;

  @Field(() => PasswordStatus)
  passwordStatus!: PasswordStatus;

  @Field(() => CertificateStatus)
  certificateStatus!: CertificateStatus;
}

@VisibleTo(Access.SESSION_ANY_PASSWORD_STATE)
@ObjectType()
export class ChangePasswordResult {
  @Field(() => PasswordKind)
  kind!: PasswordKind;

  @Field()
  mustChangePassword!: boolean;

  @Field(() => PasswordStatus)
  passwordStatus!: PasswordStatus;
}
