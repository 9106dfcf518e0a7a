import crypto, { X509Certificate } from 'node:crypto';
import * as oauth from 'openid-client';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Contract } from '../../src/contract/contract.entity';
import { APPROVE as APPROVE_TRANSFER, CREATE_TRANSFER, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';
import { User, UserStatus } from '../../src/users/user.entity';
import {
  fetchWith,
  operatorOf,
  PARTNER_REDIRECT_URI,
  partnerClient,
  registerPartner,
  RESUME_PARTNER,
  SUSPEND_PARTNER,
  type TestPartner,
  pushAuthorization,
} from '../helpers/partners';

const CONSENT_REQUEST = 'query($uid: String!) { partnerConsentRequest(uid: $uid) { partnerName scopes accounts { id accountNumber } } }';
const APPROVE =
  'mutation($uid: String!, $pw: String!, $accounts: [Int!]! = [1]) { approvePartnerConsent(uid: $uid, accountIds: $accounts, confirmationPassword: $pw) { redirectTo } }';

/**
 * Issue 20, phase 1 step 4 (through the API, not yet the web page): the customer's browser arrives
 * at the authorization endpoint with the customer's certificate, the signed-in customer sees the
 * partner's request and consents with the confirmation password, and the partner — openid-client
 * as a FAPI 2.0 client with its own certificate — exchanges the code for a token bound to that
 * certificate.
 */
describe('a customer’s consent to a partner, to a certificate-bound token', () => {
  let gw: TestGateway;
  let freee: TestPartner & { id: number };
  let user01: GraphqlClient;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    freee = await registerPartner(gw, { name: 'freee' });
    user01 = await sessionAs(gw, 'user01');
  });
  afterAll(async () => {
    await Promise.all(closers.map((closer) => closer.close()));
    await gw.stop();
  });

  /** PAR by the partner, then the customer's browser at the authorization endpoint: the consent page's uid and the browser's cookies. */
  async function startFlow() {
    const { config, agent } = await partnerClient(gw, freee);
    closers.push(agent);
    const { url, verifier, state } = await pushAuthorization(config);
    const browser = fetchWith(gw, gw.demoIdentity('user01'));
    closers.push(browser.agent);
    const arrived = await browser.fetch(url.href, { redirect: 'manual' });
    expect(arrived.status).toBe(303);
    const uid = /^\/#\/partners\/consent\/([\w-]+)$/.exec(arrived.headers.get('location')!)![1];
    const cookies = arrived.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
    return {
      config,
      verifier,
      state,
      uid,
      browser: (href: string) => browser.fetch(href, { redirect: 'manual', headers: { cookie: cookies } }),
    };
  }

  it('runs PAR → consent → code → token, the token bound to the partner’s certificate and limited to what was granted', async () => {
    const flow = await startFlow();
    const request = await user01.query(CONSENT_REQUEST, { uid: flow.uid });
    expect(request.body.errors).toBeUndefined();
    expect(request.body.data.partnerConsentRequest).toMatchObject({
      partnerName: 'freee',
      scopes: ['ACCOUNT_INFORMATION', 'PAYMENT_INITIATION'],
    });
    expect(request.body.data.partnerConsentRequest.accounts.length).toBeGreaterThan(0);

    const approved = await user01.query(APPROVE, { uid: flow.uid, pw: gw.credentials('user01').confirmationPassword });
    expect(approved.body.errors).toBeUndefined();
    const back = await flow.browser(approved.body.data.approvePartnerConsent.redirectTo);
    expect(back.status).toBe(303);
    const callback = new URL(back.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(PARTNER_REDIRECT_URI);
    expect(callback.searchParams.get('iss')).toBe(`${gw.apiOrigin}/oauth`);

    const tokens = await oauth.authorizationCodeGrant(flow.config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope?.split(' ').sort()).toEqual(['account_information', 'payment_initiation']);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const stored = await gw.gateway.services.authorizationServer.oidc.AccessToken.find(tokens.access_token);
    const thumbprint = crypto.createHash('sha256').update(new X509Certificate(freee.identity.certificatePem).raw).digest('base64url');
    expect(stored?.['x5t#S256']).toBe(thumbprint);
    expect(stored?.aud).toBe(`${gw.apiOrigin}/graphql`);

    const audit = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, { action: AuditAction.PARTNER_CONSENT_GIVEN });
    expect(JSON.parse(audit.detail ?? '{}')).toMatchObject({ partner: 'freee', clientId: freee.clientId });

    // The same code again: refused, and the grant it came from is revoked with its tokens.
    await expect(
      oauth.authorizationCodeGrant(flow.config, callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(await gw.gateway.services.authorizationServer.oidc.AccessToken.find(tokens.access_token)).toBeUndefined();
  });

  it('shows the request only to the certificate whose browser started it: another user gets NOT_FOUND and cannot consent', async () => {
    const flow = await startFlow();
    const user02 = await sessionAs(gw, 'user02');
    expect(errorCode(await user02.query(CONSENT_REQUEST, { uid: flow.uid }))).toBe('NOT_FOUND');
    expect(errorCode(await user02.query(APPROVE, { uid: flow.uid, pw: gw.credentials('user02').confirmationPassword }))).toBe('NOT_FOUND');
  });

  it('cuts the request to what the person may do: without TRANSFER, payment initiation is not offered', async () => {
    const flow = await startFlow();
    // user02 may inquire and approve but not create transfers; its own browser starts the request.
    const browser = fetchWith(gw, gw.demoIdentity('user02'));
    closers.push(browser.agent);
    const { config, agent } = await partnerClient(gw, freee);
    closers.push(agent);
    const url = await oauth.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: PARTNER_REDIRECT_URI,
      scope: 'account_information payment_initiation',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const arrived = await browser.fetch(url.href, { redirect: 'manual' });
    const uid = /([\w-]+)$/.exec(arrived.headers.get('location')!)![1];
    const user02 = await sessionAs(gw, 'user02');
    const request = await user02.query(CONSENT_REQUEST, { uid });
    expect(request.body.data.partnerConsentRequest.scopes).toEqual(['ACCOUNT_INFORMATION']);
    expect(flow.uid).not.toBe(uid);
  });

  it('refuses at PAR a scope the bank did not register for the partner', async () => {
    const readOnly = await registerPartner(gw, { name: 'readonly', scopes: ['ACCOUNT_INFORMATION'] });
    const { config, agent } = await partnerClient(gw, readOnly);
    closers.push(agent);
    const pushed = oauth.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: PARTNER_REDIRECT_URI,
      scope: 'account_information payment_initiation',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    await expect(pushed).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('a person who declines sends the browser back to the partner with access_denied, and nothing is granted', async () => {
    const flow = await startFlow();
    const declined = await user01.query('mutation($uid: String!) { declinePartnerConsent(uid: $uid) { redirectTo } }', { uid: flow.uid });
    expect(declined.body.errors).toBeUndefined();
    const back = await flow.browser(declined.body.data.declinePartnerConsent.redirectTo);
    const callback = new URL(back.headers.get('location')!);
    expect([callback.origin + callback.pathname, callback.searchParams.get('error'), callback.searchParams.get('code')]).toEqual([
      PARTNER_REDIRECT_URI,
      'access_denied',
      null,
    ]);
    expect(errorCode(await user01.query(CONSENT_REQUEST, { uid: flow.uid }))).toBe('NOT_FOUND');
  });

  it('asks for the confirmation password: a wrong one gives no grant, and the request stays open', async () => {
    const flow = await startFlow();
    expect(errorCode(await user01.query(APPROVE, { uid: flow.uid, pw: 'wrong-password' }))).toBe('LOGIN_FAILED');
    const still = await user01.query(CONSENT_REQUEST, { uid: flow.uid });
    expect(still.body.data.partnerConsentRequest.partnerName).toBe('freee');
    // Unlock the count for the rest of the file: a correct confirmation resets it.
    const approved = await user01.query(APPROVE, { uid: flow.uid, pw: gw.credentials('user01').confirmationPassword });
    expect(approved.body.errors).toBeUndefined();
  });

  /** A token user01 consented to (account 1), exchanged by freee. */
  async function consentedToken(): Promise<string> {
    const flow = await startFlow();
    const approved = await user01.query(APPROVE, { uid: flow.uid, pw: gw.credentials('user01').confirmationPassword });
    const back = await flow.browser(approved.body.data.approvePartnerConsent.redirectTo);
    const tokens = await oauth.authorizationCodeGrant(flow.config, new URL(back.headers.get('location')!), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
    });
    return tokens.access_token;
  }

  /** POST /graphql as freee, over its own certificate, with `token`. */
  function asPartner(token: string) {
    const partner = fetchWith(gw, freee.identity);
    closers.push(partner.agent);
    return async (query: string, variables: Record<string, unknown> = {}) => {
      const answer = await partner.fetch(`${gw.apiOrigin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: answer.status, body: (await answer.json()) as { data?: any; errors?: Array<{ extensions: { code: string } }> } };
    };
  }

  it('the token works at /graphql from the partner’s connection: the chosen account only, and an order that waits for approval', async () => {
    const graphql = asPartner(await consentedToken());
    const accounts = await graphql('{ accounts { id balance } }');
    expect(accounts.body.data.accounts.map((a: { id: number }) => a.id)).toEqual([1]);
    const made = await graphql(CREATE_TRANSFER, { input: transferInput(1, 1000), pw: '' });
    expect(made.body.errors).toBeUndefined();
    expect([made.body.data.createTransfer.status, made.body.data.createTransfer.maker.loginId]).toEqual(['PENDING_APPROVAL', 'user01']);
    const other = await graphql(CREATE_TRANSFER, { input: transferInput(2, 1000), pw: '' });
    expect(other.body.errors?.[0].extensions.code).toBe('FORBIDDEN'); // as for any account not the caller's
    const refused = await graphql('{ me { loginId } }');
    expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('a partner’s order is approved by another person where the contract has 承認, by its own person where it has none', async () => {
    const db = gw.gateway.services.db;
    const graphql = asPartner(await consentedToken());
    const create =
      'mutation($input: CreateTransferInput!) { createTransfer(input: $input, confirmationPassword: "") { id status partnerName } }';
    const make = async () => (await graphql(create, { input: transferInput(1, 1000) })).body.data.createTransfer;
    const user01Approves = (id: number) => user01.query(APPROVE_TRANSFER, { id, pw: gw.credentials('user01').confirmationPassword });
    await db.transaction((m) =>
      m.update(User, { loginId: 'user01' }, { permissions: ['ACCOUNT_INQUIRY', 'TRANSFER', 'TRANSFER_APPROVAL'] as never }),
    );
    try {
      const withApproval = await make();
      expect(errorCode(await user01Approves(withApproval.id))).toBe('FORBIDDEN');
      await db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false }));
      const withoutApproval = await make();
      expect([withoutApproval.status, withoutApproval.partnerName]).toEqual(['PENDING_APPROVAL', 'freee']);
      const approved = await user01Approves(withoutApproval.id);
      expect(approved.body.errors).toBeUndefined();
      expect(approved.body.data.approveTransfer.status).not.toBe('PENDING_APPROVAL');
    } finally {
      await db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: true }));
      await db.transaction((m) => m.update(User, { loginId: 'user01' }, { permissions: ['ACCOUNT_INQUIRY', 'TRANSFER'] as never }));
    }
  });

  describe('the resource server’s check of a partner token', () => {
    const peerOf = (pem: string) => ({
      fingerprint: crypto.createHash('sha256').update(new X509Certificate(pem).raw).digest('hex'),
      serialNumber: '',
      issuer: '',
    });

    const verify = (token: string, pem = freee.identity.certificatePem) => gw.gateway.services.partnerTokens.verify(token, peerOf(pem));

    it('names partner X on behalf of user U with the granted scopes, from the partner’s own certificate', async () => {
      const { caller, identity } = await verify(await consentedToken());
      expect([caller.partner.clientId, identity.user.loginId, caller.scopes.sort()]).toEqual([
        freee.clientId,
        'user01',
        ['account_information', 'payment_initiation'],
      ]);
    });

    it('refuses the token presented from another certificate (a stolen token), and an unknown one', async () => {
      const token = await consentedToken();
      await expect(verify(token, gw.unregisteredIdentity('thief').certificatePem)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        details: { reason: 'OTHER_CERTIFICATE' },
      });
      await expect(verify(`${token}x`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'NO_SESSION' } });
    });

    it('refuses it once the authorization server forgot the grant and its tokens', async () => {
      const token = await consentedToken();
      const { caller } = await verify(token);
      await gw.gateway.services.partnerGrants.dropFromAuthorizationServer(caller.grant.grantId);
      await expect(verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'NO_SESSION' } });
    });

    it('refuses it while the partner is suspended or the user suspended', async () => {
      const token = await consentedToken();
      const db = gw.gateway.services.db;
      const operator = await operatorOf(gw);
      const pw = gw.credentials('operator01').confirmationPassword;
      await operator.query(SUSPEND_PARTNER, { id: freee.id, pw });
      await expect(verify(token)).rejects.toMatchObject({ details: { reason: 'ENDED_BY_ADMINISTRATION' } });
      await operator.query(RESUME_PARTNER, { id: freee.id, pw });
      await expect(verify(token)).resolves.toMatchObject({ caller: { partner: { status: 'ACTIVE' } } });
      await db.transaction((m) => m.update(User, { loginId: 'user01' }, { status: UserStatus.SUSPENDED }));
      await expect(verify(token)).rejects.toMatchObject({ details: { reason: 'ENDED_BY_ADMINISTRATION' } });
      await db.transaction((m) => m.update(User, { loginId: 'user01' }, { status: UserStatus.ACTIVE }));
      await expect(verify(token)).resolves.toMatchObject({ identity: { user: { loginId: 'user01' } } });
    });
  });
});
