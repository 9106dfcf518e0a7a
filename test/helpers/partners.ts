import crypto, { X509Certificate } from 'node:crypto';
import * as oauth from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { PartnerStatus } from '../../src/partners/partner.entity';
import { subjectDnOf } from '../../src/partners/authorization-server';
import type { GraphqlClient, TlsIdentity } from './client';
import type { TestGateway } from './gateway';
import { sessionAs } from './lifecycle';

export const PARTNER_REDIRECT_URI = 'https://partner.example/callback';

export interface TestPartner {
  clientId: string;
  identity: TlsIdentity;
}

const operators = new WeakMap<TestGateway, Promise<GraphqlClient>>();

/** operator01's session, one per gateway (a second login would end the first). */
export function operatorOf(gw: TestGateway): Promise<GraphqlClient> {
  let operator = operators.get(gw);
  if (!operator) operators.set(gw, (operator = sessionAs(gw, 'operator01')));
  return operator;
}

export const REGISTER_PARTNER = `mutation($i: RegisterPartnerInput!, $pw: String!) {
  registerPartner(input: $i, confirmationPassword: $pw) { id clientId name redirectUris certificateSubjectDn hasJwks scopes status }
}`;
export const SUSPEND_PARTNER = 'mutation($id: Int!, $pw: String!) { suspendPartner(partnerId: $id, confirmationPassword: $pw) { status } }';
export const RESUME_PARTNER = 'mutation($id: Int!, $pw: String!) { resumePartner(partnerId: $id, confirmationPassword: $pw) { status } }';

/**
 * A partner (連携先) as the bank registers it (operator01, through GraphQL), with a client
 * certificate from the bank CA that belongs to no user; suspended afterwards when asked.
 */
export async function registerPartner(
  gw: TestGateway,
  options: { name?: string; scopes?: string[]; status?: PartnerStatus } = {},
): Promise<TestPartner & { id: number }> {
  const name = options.name ?? 'freee';
  // The certificate names the partner in ASCII (node-forge writes a subject as such).
  const identity = gw.unregisteredIdentity(`partner-${crypto.randomBytes(4).toString('hex')}`);
  const operator = await operatorOf(gw);
  const pw = gw.credentials('operator01').confirmationPassword;
  const input = {
    name,
    redirectUris: [PARTNER_REDIRECT_URI],
    certificateSubjectDn: subjectDnOf(new X509Certificate(identity.certificatePem)),
    scopes: options.scopes ?? ['ACCOUNT_INFORMATION', 'PAYMENT_INITIATION'],
  };
  const registered = await operator.query(REGISTER_PARTNER, { i: input, pw });
  const partner = registered.body.data?.registerPartner;
  if (!partner) throw new Error(`registerPartner: ${JSON.stringify(registered.body.errors)}`);
  if (options.status === PartnerStatus.SUSPENDED) {
    const suspended = await operator.query(SUSPEND_PARTNER, { id: partner.id, pw });
    if (!suspended.body.data?.suspendPartner) throw new Error(`suspendPartner: ${JSON.stringify(suspended.body.errors)}`);
  }
  return { id: partner.id, clientId: partner.clientId, identity };
}

/** fetch over TLS connections presenting `identity` (a partner's or a customer's certificate). */
export function fetchWith(gw: TestGateway, identity: TlsIdentity): { fetch: typeof undiciFetch; agent: Agent } {
  const agent = new Agent({
    connect: { ca: gw.caPem, cert: identity.certificatePem, key: identity.privateKeyPem, servername: 'localhost' },
  });
  const fetch = ((url: string, init: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(url, { ...init, dispatcher: agent })) as typeof undiciFetch;
  return { fetch, agent };
}

/** openid-client as a FAPI 2.0 client: discovery, then tls_client_auth on the mTLS endpoint aliases. */
export async function partnerClient(gw: TestGateway, partner: TestPartner): Promise<{ config: oauth.Configuration; agent: Agent }> {
  const { fetch, agent } = fetchWith(gw, partner.identity);
  const config = await oauth.discovery(
    new URL(`${gw.apiOrigin}/oauth`),
    partner.clientId,
    { use_mtls_endpoint_aliases: true, tls_client_certificate_bound_access_tokens: true },
    oauth.TlsClientAuth(),
    { [oauth.customFetch]: fetch as unknown as oauth.CustomFetch },
  );
  return { config, agent };
}
