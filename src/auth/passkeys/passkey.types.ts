import { Field, Int, ObjectType } from 'type-graphql';
import { Access, VisibleTo } from '../../graphql/access';
import type { Passkey } from './passkey.entity';

/** A registered passkey as its user and the administrator see it: never its key or credential ID. */
@VisibleTo(Access.SESSION)
@ObjectType({ description: 'A passkey (WebAuthn credential) registered for 取引認証' })
export class PasskeyView {
  @Field(() => Int)
  id!: number;

  @Field({ description: 'The name its user gave it' })
  name!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it last proved a decision' })
  lastUsedAt!: Date | null;
}

export function toPasskeyView(passkey: Passkey): PasskeyView {
  return { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt, lastUsedAt: passkey.lastUsedAt };
}

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'A single-use passkey challenge: the options to hand to the browser (@simplewebauthn/browser)' })
export class PasskeyChallengeResult {
  @Field({
    description:
      'PublicKeyCredentialCreationOptionsJSON or …RequestOptionsJSON, as JSON: startRegistration / startAuthentication({ optionsJSON })',
  })
  publicKeyOptions!: string;

  @Field({ description: 'The challenge must be answered before this' })
  expiresAt!: Date;
}

@VisibleTo(Access.SESSION)
@ObjectType({ description: '取引認証: a passkey challenge bound to one order as it stands, or to one risky change (docs/passkeys.md)' })
export class ApprovalChallengeResult extends PasskeyChallengeResult {
  @Field({ description: 'SHA-256 (hex) of the order (or change) as the decision would bind it; the challenge is made from it' })
  binding!: string;
}
