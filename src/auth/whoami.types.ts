import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../admin/user.entity';

registerEnumType(Role, { name: 'Role', description: 'OPERATOR: bank staff; ADMIN: the customer administrator; USER: a customer user' });

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

  @Field({ description: 'Whether a PIN session exists for this certificate' })
  loggedIn!: boolean;
}
