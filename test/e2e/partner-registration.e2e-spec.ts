import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';
import {
  fetchWith,
  operatorOf,
  PARTNER_REDIRECT_URI,
  REGISTER_PARTNER,
  registerPartner,
  RESUME_PARTNER,
  SUSPEND_PARTNER,
} from '../helpers/partners';

const JWKS = JSON.stringify({
  keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }],
});

/**
 * Issue 20, phase 1 step 3: partners (連携先) are registered by the bank's operators through the
 * API (name, redirect URIs, the certificate subject or the keys, the scopes), with the
 * confirmation password, audited; only what the bank registered is an OAuth client.
 */
describe('partners registered by the bank', () => {
  let gw: TestGateway;
  let pw: string;

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    pw = gw.credentials('operator01').confirmationPassword;
  });
  afterAll(() => gw.stop());

  const input = (overrides: Record<string, unknown> = {}) => ({
    name: 'マネーフォワード',
    redirectUris: [PARTNER_REDIRECT_URI],
    certificateSubjectDn: 'CN=mf-api, O=Money Forward',
    scopes: ['ACCOUNT_INFORMATION'],
    ...overrides,
  });

  it('an operator registers a partner with its certificate subject, and the register and the audit log show it', async () => {
    const operator = await operatorOf(gw);
    const registered = await operator.query(REGISTER_PARTNER, { i: input(), pw });
    expect(registered.body.errors).toBeUndefined();
    const partner = registered.body.data.registerPartner;
    expect(partner).toMatchObject({
      name: 'マネーフォワード',
      redirectUris: [PARTNER_REDIRECT_URI],
      certificateSubjectDn: 'CN=mf-api, O=Money Forward',
      hasJwks: false,
      scopes: ['ACCOUNT_INFORMATION'],
      status: 'ACTIVE',
    });
    expect(partner.clientId).toMatch(/^partner-[0-9a-f-]{36}$/);
    const listed = await operator.query('{ partners { id clientId status } }');
    expect(listed.body.data.partners).toContainEqual({ id: partner.id, clientId: partner.clientId, status: 'ACTIVE' });
    const audit = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, {
      action: AuditAction.PARTNER_REGISTERED,
      targetId: String(partner.id),
    });
    expect(JSON.parse(audit.detail ?? '{}')).toMatchObject({
      clientId: partner.clientId,
      authentication: 'tls_client_auth',
      scopes: 'account_information',
    });
  });

  it('registers a partner that authenticates with its public keys (private_key_jwt)', async () => {
    const registered = await (await operatorOf(gw)).query(REGISTER_PARTNER, { i: input({ certificateSubjectDn: null, jwks: JWKS }), pw });
    expect(registered.body.data.registerPartner).toMatchObject({ certificateSubjectDn: null, hasJwks: true });
  });

  it.each([
    ['no way to authenticate', { certificateSubjectDn: null }, 'certificateSubjectDn'],
    ['both ways', { jwks: JWKS }, 'certificateSubjectDn'],
    ['a private key in the JWKS', { certificateSubjectDn: null, jwks: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }) }, 'jwks'],
    ['a JWKS that is not JSON', { certificateSubjectDn: null, jwks: '{keys' }, 'jwks'],
    ['an http redirect URI', { redirectUris: ['http://partner.example/callback'] }, 'redirectUris'],
    ['a redirect URI with a fragment', { redirectUris: ['https://partner.example/callback#x'] }, 'redirectUris'],
    ['no redirect URI', { redirectUris: [] }, 'redirectUris'],
    ['no scope', { scopes: [] }, 'scopes'],
    ['an empty name', { name: '  ' }, 'name'],
  ])('refuses %s, naming the field, and registers nothing', async (_case, overrides, field) => {
    const operator = await operatorOf(gw);
    const before = (await operator.query('{ partners { id } }')).body.data.partners.length;
    const refused = await operator.query(REGISTER_PARTNER, { i: input(overrides), pw });
    expect([errorCode(refused), refused.body.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    expect((await operator.query('{ partners { id } }')).body.data.partners).toHaveLength(before);
  });

  it('asks for the operator’s confirmation password', async () => {
    const refused = await (await operatorOf(gw)).query(REGISTER_PARTNER, { i: input(), pw: 'wrong-password' });
    expect(errorCode(refused)).toBe('LOGIN_FAILED');
  });

  it('is the bank’s alone: a customer’s administrator cannot list or register partners', async () => {
    const admin = await sessionAs(gw, 'admin01');
    expect(errorCode(await admin.query('{ partners { id } }'))).toBe('FORBIDDEN');
    expect(errorCode(await admin.query(REGISTER_PARTNER, { i: input(), pw: gw.credentials('admin01').confirmationPassword }))).toBe(
      'FORBIDDEN',
    );
  });

  it('a suspended partner is refused by the authorization server at its next request, and served again once resumed', async () => {
    const partner = await registerPartner(gw, { name: 'yayoi' });
    const operator = await operatorOf(gw);
    /** The status of a pushed authorization request from the partner's certificate. */
    const pushRequest = async () => {
      const { fetch, agent } = fetchWith(gw, partner.identity);
      const response = await fetch(`${gw.apiOrigin}/oauth/par`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: partner.clientId,
          response_type: 'code',
          redirect_uri: PARTNER_REDIRECT_URI,
          scope: 'account_information',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        }).toString(),
      });
      await agent.close();
      return response.status;
    };
    expect(await pushRequest()).toBe(201);
    await operator.query(SUSPEND_PARTNER, {
      id: partner.id,
      pw,
    });
    expect(await pushRequest()).toBe(401);
    const resumed = await operator.query(RESUME_PARTNER, { id: partner.id, pw });
    expect(resumed.body.data.resumePartner).toEqual({ status: 'ACTIVE' });
    expect(await pushRequest()).toBe(201);
    const actions = await gw.gateway.services.db.writableManager.findBy(AuditEvent, {
      targetId: String(partner.id),
      targetType: 'Partner',
    });
    expect(actions.map((event) => event.action)).toEqual(['PARTNER_REGISTERED', 'PARTNER_SUSPENDED', 'PARTNER_RESUMED']);
  });
});
