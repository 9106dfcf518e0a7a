import crypto, { X509Certificate } from 'node:crypto';
import * as oauth from 'openid-client';
import type { Page } from 'playwright-core';
import { Agent, fetch as undiciFetch } from 'undici';
import { PartnerStatus } from '../../src/partners/partner.entity';
import { PartnerGrant } from '../../src/partners/partner-grant.entity';
import { subjectDnOf } from '../../src/partners/authorization-server';
import type { GraphqlClient, TlsIdentity } from './client';
import type { DemoLoginId, TestGateway } from './gateway';
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

export const ALL_PARTNER_SCOPES = 'account_information payment_initiation';

/** PAR as a FAPI 2.0 client makes it: PKCE S256 and a state; the URL for the customer's browser, and what the exchange needs. */
export async function pushAuthorization(
  config: oauth.Configuration,
  scope = ALL_PARTNER_SCOPES,
): Promise<{ url: URL; verifier: string; state: string }> {
  const verifier = oauth.randomPKCECodeVerifier();
  const state = oauth.randomState();
  const url = await oauth.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: PARTNER_REDIRECT_URI,
    scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  return { url, verifier, state };
}

const CONSENT_REQUEST = 'query($uid: String!) { partnerConsentRequest(uid: $uid) { partnerName } }';
const APPROVE_CONSENT =
  'mutation($uid: String!, $pw: String!, $accounts: [Int!]!) { approvePartnerConsent(uid: $uid, accountIds: $accounts, confirmationPassword: $pw) { redirectTo } }';

export interface Consent {
  accessToken: string;
  refreshToken: string | undefined;
  /** The consent's row in partner_grants (its id is what 連携先管理 revokes and renews). */
  grant: PartnerGrant;
}

export interface AuthorizedConsent {
  config: oauth.Configuration;
  /** The partner's redirect URI as the customer's browser came back to it, with the code. */
  callback: URL;
  verifier: string;
  state: string;
  close(): Promise<void>;
}

/**
 * A customer's consent as the consent page gives it, through the API: PAR by the partner
 * (openid-client, its own certificate), the customer's browser (their certificate) at the
 * authorization endpoint, approvePartnerConsent in the customer's signed-in session with the
 * chosen accounts, back at the partner's redirect URI with a code (not exchanged yet).
 */
export async function authorizeConsent(
  gw: TestGateway,
  partner: TestPartner,
  customer: { session: GraphqlClient; identity: TlsIdentity; confirmationPassword: string },
  options: { accountIds: number[]; scope?: string },
): Promise<AuthorizedConsent> {
  const { config, agent } = await partnerClient(gw, partner);
  const browser = fetchWith(gw, customer.identity);
  const close = async () => {
    await Promise.all([agent.close(), browser.agent.close()]);
  };
  try {
    const { url, verifier, state } = await pushAuthorization(config, options.scope);
    const arrived = await browser.fetch(url.href, { redirect: 'manual' });
    const uid = /^\/#\/partners\/consent\/([\w-]+)$/.exec(arrived.headers.get('location') ?? '')?.[1];
    if (!uid) throw new Error(`authorization endpoint: ${arrived.status} ${arrived.headers.get('location')}`);
    const cookie = arrived.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const request = await customer.session.query(CONSENT_REQUEST, { uid });
    if (!request.body.data?.partnerConsentRequest) throw new Error(`partnerConsentRequest: ${JSON.stringify(request.body.errors)}`);
    const approved = await customer.session.query(APPROVE_CONSENT, {
      uid,
      pw: customer.confirmationPassword,
      accounts: options.accountIds,
    });
    const redirectTo = approved.body.data?.approvePartnerConsent?.redirectTo;
    if (!redirectTo) throw new Error(`approvePartnerConsent: ${JSON.stringify(approved.body.errors)}`);
    const back = await browser.fetch(redirectTo, { redirect: 'manual', headers: { cookie } });
    return { config, callback: new URL(back.headers.get('location')!), verifier, state, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** authorizeConsent, then the partner's exchange of the code for its certificate-bound tokens. */
export async function giveConsent(
  gw: TestGateway,
  partner: TestPartner,
  customer: { session: GraphqlClient; identity: TlsIdentity; confirmationPassword: string },
  options: { accountIds: number[]; scope?: string },
): Promise<Consent> {
  const authorized = await authorizeConsent(gw, partner, customer, options);
  try {
    const tokens = await oauth.authorizationCodeGrant(authorized.config, authorized.callback, {
      pkceCodeVerifier: authorized.verifier,
      expectedState: authorized.state,
    });
    const stored = await gw.gateway.services.authorizationServer.oidc.AccessToken.find(tokens.access_token);
    const grant = await gw.gateway.services.db.writableManager.findOneByOrFail(PartnerGrant, { grantId: stored!.grantId! });
    return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, grant };
  } finally {
    await authorized.close();
  }
}

/** The partner calling /graphql: its own certificate on the connection, the token as a bearer (on `origin`, another instance say). */
export function partnerApi(gw: TestGateway, partner: TestPartner, accessToken: string, origin = gw.apiOrigin): GraphqlClient {
  const client = gw.withCertificate(partner.identity, origin);
  client.bearer = accessToken;
  return client;
}

/**
 * The customer's browser sent to the authorization URL: signs in with the PIN and waits on the
 * consent page. The partner's own site is not here: its callback is answered in the browser, and
 * the returned function gives the URL it was called with (null until then).
 */
export async function openConsentPage(gw: TestGateway, page: Page, url: URL, loginId: DemoLoginId): Promise<() => URL | null> {
  let callback: URL | null = null;
  await page.route(`${PARTNER_REDIRECT_URI}**`, (route) => {
    callback = new URL(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<p>連携先に戻りました</p>' });
  });
  await page.goto(url.href);
  await page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials(loginId).loginPassword);
  await page.getByRole('button', { name: 'ログイン' }).click();
  // The form, not the heading: the heading shows while the consent's details are still being read.
  await page.getByRole('form', { name: '連携の同意' }).waitFor();
  return () => callback;
}
