import { Field, Int, ObjectType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';

@VisibleTo(Access.PUBLIC)
@ObjectType({ description: 'A newly issued client certificate. Import it with your private key (e.g. as a .p12)' })
export class IssuedCertificateResult {
  @Field(() => Int)
  id!: number;

  @Field()
  loginId!: string;

  @Field()
  certificatePem!: string;

  @Field({ description: 'The bank CA certificate, to complete the chain' })
  caCertificatePem!: string;

  @Field()
  serialNumber!: string;

  @Field()
  fingerprint!: string;

  @Field()
  notAfter!: Date;
}

@VisibleTo(Access.ADMIN_OR_OPERATOR)
@ObjectType()
export class RevokedCertificateResult {
  @Field(() => Int)
  id!: number;

  @Field()
  serialNumber!: string;

  @Field()
  status!: string;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@VisibleTo(Access.ADMIN_OR_OPERATOR)
@ObjectType({ description: 'A one-time code to acquire a certificate on the enrollment listener; shown once' })
export class EnrollmentCodeResult {
  @Field()
  loginId!: string;

  @Field()
  code!: string;

  @Field()
  expiresAt!: Date;
}
