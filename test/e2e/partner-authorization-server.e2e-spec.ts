import { createHash } from 'node:crypto';
import * as oauth from 'openid-client';
import { OAuthAdapter } from '../../src/partners/oauth-adapter';
import { OAuthRecord } from '../../src/partners/oauth-record.entity';
import { PartnerStatus } from '../../src/partners/partner.entity';
import { TestGateway } from '../helpers/gateway';
import { fetchWith, PARTNER_REDIRECT_URI, partnerClient, registerPartner, type TestPartner } from '../helpers/partners';

/**
 * Issue 20, phase 1 step 2: the authorization server for partners at /oauth on the API listener,
 * configured to the FAPI 2.0 Security Profile, its state in our database. openid-client plays the
 * partner, over TLS with the partner's certificate from the bank CA.
 */
describe('the partners’ authorization server (FAPI 2.0)', () => {
  let gw: TestGateway;
  let freee: TestPartner;
  const agents: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    freee = await registerPartner(gw, { name: 'freee' });
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
    await gw.stop();
  });

  const clientOf = async (partner: TestPartner) => {
    const { config, agent } = await partnerClient(gw, partner);
    agents.push(agent);
    return config;
  };
  /** A raw request to the API listener with a certificate, redirects not followed. */
  const rawFetch = (partner: TestPartner) => {
    const { fetch, agent } = fetchWith(gw, partner.identity);
    agents.push(agent);
    return fetch;
  };
  const pkce = async (method = 'S256') => {
    const verifier = oauth.randomPKCECodeVerifier();
    return { verifier, challenge: method === 'S256' ? await oauth.calculatePKCECodeChallenge(verifier) : verifier };
  };
  const pushForm = (partner: TestPartner, params: Record<string, string>) =>
    rawFetch(partner)(`${gw.apiOrigin}/oauth/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: partner.clientId, response_type: 'code', ...params }).toString(),
    });

  it('publishes its metadata: PAR required, PKCE S256 only, mTLS or private_key_jwt client authentication, bound tokens, iss in the response, mTLS aliases', async () => {
    const metadata = (await clientOf(freee)).serverMetadata();
    const issuer = `${gw.apiOrigin}/oauth`;
    expect(metadata).toMatchObject({
      issuer,
      require_pushed_authorization_requests: true,
      pushed_authorization_request_endpoint: `${issuer}/par`,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      tls_client_certificate_bound_access_tokens: true,
      authorization_response_iss_parameter_supported: true,
      mtls_endpoint_aliases: { token_endpoint: `${issuer}/token`, pushed_authorization_request_endpoint: `${issuer}/par` },
    });
    expect([...(metadata.token_endpoint_auth_methods_supported ?? [])].sort()).toEqual(['private_key_jwt', 'tls_client_auth']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['account_information', 'payment_initiation']));
    expect(metadata.registration_endpoint).toBeUndefined();
  });

  it('takes a pushed request from the registered partner’s certificate, keeps it in the database under a hash, and sends the browser to the consent page', async () => {
    const config = await clientOf(freee);
    const { challenge } = await pkce();
    const url = await oauth.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: PARTNER_REDIRECT_URI,
      scope: 'account_information',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const requestUri = url.searchParams.get('request_uri')!;
    expect(requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const stored = await gw.gateway.services.db.writableManager.getRepository(OAuthRecord).findBy({ model: 'PushedAuthorizationRequest' });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(requestUri.split(':').at(-1));

    // The customer's browser, with the customer's certificate, follows the link.
    const customer = { clientId: '', identity: gw.demoIdentity('user01') };
    const response = await rawFetch(customer)(url.href, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/#\/partners\/consent\/[\w-]+$/);
    expect(await gw.gateway.services.db.writableManager.getRepository(OAuthRecord).countBy({ model: 'Interaction' })).toBe(1);
  });

  it('refuses an authorization request that was not pushed first (PAR required)', async () => {
    const { challenge } = await pkce();
    const query = new URLSearchParams({
      client_id: freee.clientId,
      response_type: 'code',
      redirect_uri: PARTNER_REDIRECT_URI,
      scope: 'account_information',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const response = await rawFetch(freee)(`${gw.apiOrigin}/oauth/authorize?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(PARTNER_REDIRECT_URI);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      error: 'invalid_request',
      error_description: 'Pushed Authorization Request must be used',
      iss: `${gw.apiOrigin}/oauth`,
    });
  });

  it('shows the browser a Japanese error page, with the code only, when the request names no registered partner', async () => {
    const customer = { clientId: '', identity: gw.demoIdentity('user01') };
    const response = await rawFetch(customer)(`${gw.apiOrigin}/oauth/authorize?client_id=nobody&response_type=code`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('連携を開始できません');
    expect(page).toContain('<code>invalid_client</code>');
    expect(page).not.toContain('nobody');
  });

  it('refuses a pushed request with plain PKCE, or none', async () => {
    const plain = await pkce('plain');
    const withPlain = await pushForm(freee, {
      redirect_uri: PARTNER_REDIRECT_URI,
      scope: 'account_information',
      code_challenge: plain.challenge,
      code_challenge_method: 'plain',
    });
    expect(withPlain.status).toBe(400);
    expect(await withPlain.json()).toEqual({ error: 'invalid_request', error_description: 'not supported value of code_challenge_method' });

    const without = await pushForm(freee, { redirect_uri: PARTNER_REDIRECT_URI, scope: 'account_information' });
    expect(without.status).toBe(400);
    expect(await without.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Authorization Server policy requires PKCE to be used for this request',
    });
  });

  it('refuses a redirect_uri the bank did not register for the partner', async () => {
    const { challenge } = await pkce();
    const response = await pushForm(freee, {
      redirect_uri: 'https://attacker.example/callback',
      scope: 'account_information',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: "redirect_uri did not match any of the client's registered redirect_uris",
    });
  });

  it('refuses a partner presenting another certificate than the one registered, and a suspended partner', async () => {
    const { challenge } = await pkce();
    const params = {
      redirect_uri: PARTNER_REDIRECT_URI,
      scope: 'account_information',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const impostor = { clientId: freee.clientId, identity: gw.unregisteredIdentity('someone-else') };
    const wrongCertificate = await pushForm(impostor, params);
    expect(wrongCertificate.status).toBe(401);
    expect(await wrongCertificate.json()).toMatchObject({ error: 'invalid_client' });

    const suspended = await registerPartner(gw, { name: 'suspended', status: PartnerStatus.SUSPENDED });
    const response = await pushForm(suspended, params);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers no cross-origin request: no CORS grant on the authorization, PAR or token endpoint', async () => {
    const fetch = rawFetch(freee);
    const origin = 'https://attacker.example';
    for (const path of ['/oauth/authorize', '/oauth/par', '/oauth/token']) {
      const preflight = await fetch(`${gw.apiOrigin}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      const request = await fetch(`${gw.apiOrigin}${path}`, { method: path === '/oauth/authorize' ? 'GET' : 'POST', headers: { origin } });
      const granted = [preflight, request].map((response) => response.headers.get('access-control-allow-origin'));
      expect([path, granted]).toEqual([path, [null, null]]);
    }
  });

  describe('its storage (the adapter over our database)', () => {
    it('lets one exchange of a code win when two race, on two adapters as on two instances', async () => {
      const db = gw.gateway.services.db;
      const [a, b] = [new OAuthAdapter(db, 'AuthorizationCode'), new OAuthAdapter(db, 'AuthorizationCode')];
      await a.upsert('code-1', { jti: 'code-1', grantId: 'grant-1', kind: 'AuthorizationCode' }, 60);
      const results = await Promise.allSettled([a.consume('code-1'), b.consume('code-1')]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await b.find('code-1')).toMatchObject({ jti: 'code-1', consumed: expect.any(Number) });
    });

    it('removes every code and token of a grant when the grant is revoked, and nothing else', async () => {
      const db = gw.gateway.services.db;
      const code = new OAuthAdapter(db, 'AuthorizationCode');
      const token = new OAuthAdapter(db, 'AccessToken');
      await code.upsert('code-2', { jti: 'code-2', grantId: 'grant-2' }, 60);
      await token.upsert('token-2', { jti: 'token-2', grantId: 'grant-2' }, 60);
      await token.upsert('token-3', { jti: 'token-3', grantId: 'grant-3' }, 60);
      await token.revokeByGrantId('grant-2');
      expect([await code.find('code-2'), await token.find('token-2')]).toEqual([undefined, undefined]);
      expect(await token.find('token-3')).toMatchObject({ jti: 'token-3', grantId: 'grant-3' });
    });

    it('finds nothing once a record’s time is over, and purges it', async () => {
      const db = gw.gateway.services.db;
      let now = new Date('2026-01-05T01:00:00Z');
      const adapter = new OAuthAdapter(db, 'AccessToken', () => now);
      await adapter.upsert('token-4', { jti: 'token-4' }, 60);
      expect(await adapter.find('token-4')).toMatchObject({ jti: 'token-4' });
      now = new Date(now.getTime() + 60_000);
      expect(await adapter.find('token-4')).toBeUndefined();
      const tokens = () => db.writableManager.getRepository(OAuthRecord).countBy({ model: 'AccessToken' });
      const before = await tokens();
      expect(await OAuthAdapter.purgeExpired(db, now)).toBe(1);
      expect(await tokens()).toBe(before - 1);
    });

    it('is purged of expired records by the scheduled run, on the real clock the provider uses', async () => {
      const db = gw.gateway.services.db;
      const past = new OAuthAdapter(db, 'AccessToken', () => new Date(Date.now() - 3600_000));
      await past.upsert('token-5', { jti: 'token-5' }, 60);
      // Stored under the SHA-256 of its id (oauth-adapter.ts).
      const row = () =>
        db.writableManager
          .getRepository(OAuthRecord)
          .existsBy({ model: 'AccessToken', id: createHash('sha256').update('token-5').digest('hex') });
      expect(await row()).toBe(true);
      await gw.gateway.services.scheduler.runDue();
      expect(await row()).toBe(false);
    });
  });
});
