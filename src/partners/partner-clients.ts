import type { Adapter, AdapterPayload, JWKS } from 'oidc-provider';
import type { Database } from '../db/database';
import { Partner, PartnerStatus } from './partner.entity';

/**
 * The provider's 'Client' model, read from the partners the bank registered: read on every use,
 * so a partner suspended by the bank is refused at its next request on every instance. The
 * metadata is the gateway's, never the partner's: FAPI 2.0 code flow only, tokens bound to the
 * certificate, and how the partner proves itself (its certificate's subject or its keys).
 */
export class PartnerClients implements Adapter {
  constructor(private readonly db: Database) {}

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    const partner = await this.db.manager.getRepository(Partner).findOneBy({ clientId });
    return partner && partner.status === PartnerStatus.ACTIVE ? clientMetadataOf(partner) : undefined;
  }

  // Partners are registered through the bank's GraphQL API, never through the provider.
  async upsert(): Promise<void> {
    throw new Error('partners are registered by the bank, not through the authorization server');
  }
  async destroy(): Promise<void> {}
  async consume(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
}

export function clientMetadataOf(partner: Partner): AdapterPayload {
  const authentication: AdapterPayload = partner.certificateSubjectDn
    ? { token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: partner.certificateSubjectDn }
    : { token_endpoint_auth_method: 'private_key_jwt', jwks: JSON.parse(partner.jwks ?? '{"keys":[]}') as JWKS };
  return {
    client_id: partner.clientId,
    client_name: partner.name,
    redirect_uris: JSON.parse(partner.redirectUris) as string[],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: partner.scopes,
    tls_client_certificate_bound_access_tokens: true,
    // The server's one signing key is ES256 (oauth-keys.ts); FAPI 2.0 would otherwise ask for PS256.
    id_token_signed_response_alg: 'ES256',
    ...authentication,
  };
}
