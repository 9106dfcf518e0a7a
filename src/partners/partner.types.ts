import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AccountType } from '../banking/accounts/account.entity';
import { Access, VisibleTo } from '../graphql/access';
import { type Partner, PartnerStatus } from './partner.entity';
import { PartnerScope } from './partner-scopes';

registerEnumType(PartnerStatus, { name: 'PartnerStatus', description: 'ACTIVE: may start flows and use its tokens; SUSPENDED: refused' });
registerEnumType(PartnerScope, {
  name: 'PartnerScope',
  description:
    'What a partner may ask a customer for: ACCOUNT_INFORMATION (balances, statements), PAYMENT_INITIATION (orders that wait for approval)',
});

@InputType({ description: 'A partner (連携先) to register: exactly one of certificateSubjectDn and jwks says how it authenticates' })
export class RegisterPartnerInput {
  @Field({ description: 'The name customers see on the consent page, 1 to 100 characters' })
  name!: string;

  @Field(() => [String], { description: 'Exact https redirect URIs, 1 to 5' })
  redirectUris!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'tls_client_auth: the subject of the partner’s certificate from the bank CA, e.g. "CN=freee-api, O=freee K.K."',
  })
  certificateSubjectDn?: string | null;

  @Field(() => String, { nullable: true, description: 'private_key_jwt: the partner’s public JWK Set, as JSON' })
  jwks?: string | null;

  @Field(() => [PartnerScope], { description: 'What the partner may ask customers for' })
  scopes!: PartnerScope[];
}

@VisibleTo(Access.OPERATOR)
@ObjectType({ description: 'A partner (連携先) registered by the bank, and the OAuth client it is' })
export class PartnerView {
  @Field(() => Int)
  id!: number;

  @Field({ description: 'Its OAuth client_id' })
  clientId!: string;

  @Field()
  name!: string;

  @Field(() => [String])
  redirectUris!: string[];

  @Field(() => String, { nullable: true })
  certificateSubjectDn!: string | null;

  @Field({ description: 'Whether it authenticates with its keys (private_key_jwt)' })
  hasJwks!: boolean;

  @Field(() => [PartnerScope])
  scopes!: PartnerScope[];

  @Field(() => PartnerStatus)
  status!: PartnerStatus;

  @Field()
  createdAt!: Date;
}

export function toPartnerView(partner: Partner): PartnerView {
  return {
    id: partner.id,
    clientId: partner.clientId,
    name: partner.name,
    redirectUris: JSON.parse(partner.redirectUris) as string[],
    certificateSubjectDn: partner.certificateSubjectDn,
    hasJwks: partner.jwks !== null,
    scopes: partner.scopes.split(' ') as PartnerScope[],
    status: partner.status,
    createdAt: partner.createdAt,
  };
}

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'An account a partner would see, as the consent page names it (no balance)' })
export class ConsentAccount {
  @Field(() => Int)
  id!: number;

  @Field()
  branchName!: string;

  @Field(() => AccountType)
  accountType!: AccountType;

  @Field()
  accountNumber!: string;
}

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'What a partner asks the signed-in person to consent to (連携の同意)' })
export class PartnerConsentRequest {
  @Field()
  partnerName!: string;

  @Field(() => [PartnerScope], { description: 'What the partner asked for, cut to what you may do yourself' })
  scopes!: PartnerScope[];

  @Field(() => [ConsentAccount], { description: 'Your accounts' })
  accounts!: ConsentAccount[];
}

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'Where the browser goes after the consent: back through the authorization server to the partner' })
export class PartnerConsentResult {
  @Field()
  redirectTo!: string;
}

@VisibleTo(Access.CUSTOMER)
@ObjectType({ description: 'A consent given to a partner (連携先管理): who gave it, when, for what and which accounts, and its last use' })
export class PartnerGrantView {
  @Field(() => Int)
  id!: number;

  @Field()
  partnerName!: string;

  @Field({ description: 'The login ID of the person who consented' })
  grantedBy!: string;

  @Field({ description: 'Whether you gave it (only its giver renews a consent)' })
  grantedByYou!: boolean;

  @Field(() => [PartnerScope])
  scopes!: PartnerScope[];

  @Field(() => [ConsentAccount])
  accounts!: ConsentAccount[];

  @Field()
  createdAt!: Date;

  @Field({ description: 'From then on the partner is refused until the consent is renewed' })
  expiresAt!: Date;

  @Field()
  expired!: boolean;

  @Field(() => Date, { nullable: true })
  renewedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The partner’s last request with this consent (to the minute)' })
  lastUsedAt!: Date | null;
}
