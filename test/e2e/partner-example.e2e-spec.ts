import fs from 'node:fs';
import { runPartnerExample } from '../../examples/partner/run';
import { issueDemoPartnerCertificate } from '../../examples/partner/demo-certificate';
import { PartnerApiError, PartnerClient, type PartnerClientOptions } from '../../examples/partner/partner-client';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { APPROVE } from '../helpers/banking';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';
import { fetchWith, operatorOf, PARTNER_REDIRECT_URI, REGISTER_PARTNER, RESUME_PARTNER, SUSPEND_PARTNER } from '../helpers/partners';

const APPROVE_CONSENT =
  'mutation($uid: String!, $pw: String!, $accounts: [Int!]!) { approvePartnerConsent(uid: $uid, accountIds: $accounts, confirmationPassword: $pw) { redirectTo } }';
/** Low enough for the last test to reach quickly, far above what the other tests send. */
const REQUESTS_PER_MINUTE = 100;
const STOP = 'mutation($reason: String!) { emergencyStop(reason: $reason) { id status } }';
const RESUME_CONTRACT =
  'mutation($id: Int!, $note: String!, $pw: String!) { resumeContract(contractId: $id, note: $note, confirmationPassword: $pw) { status } }';
const GRANTS = '{ partnerGrants { id partnerName } }';
const REVOKE_GRANT = 'mutation($id: Int!, $pw: String!) { revokePartnerGrant(grantId: $id, confirmationPassword: $pw) { id } }';

/**
 * The example partner in examples/partner, run against a real gateway as docs/partners.md tells a
 * partner to: its certificate issued by the demo script from the bank CA, registered by the
 * operator with the printed mutation's input, then PAR → the customer's consent (user01's browser
 * with user01's certificate; the consent page's own GraphQL calls as user01) → token → statement,
 * a transfer pending approval, a refresh. And the refusals the guide promises.
 */
describe('the example partner (examples/partner)', () => {
  let gw: TestGateway;
  let user01: GraphqlClient;
  let options: PartnerClientOptions;
  let partnerId: number;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none', PARTNER_REQUESTS_PER_MINUTE: String(REQUESTS_PER_MINUTE) });
    // As the demo script does on a development machine: from the CA files under CERTS_DIR.
    const ca = {
      certificatePem: fs.readFileSync(gw.config.pki.caCertPath, 'utf8'),
      privateKeyPem: fs.readFileSync(gw.config.pki.caKeyPath, 'utf8'),
    };
    const issued = issueDemoPartnerCertificate(ca, { commonName: 'demo-partner', organization: 'Demo Partner K.K.' });
    const operator = await operatorOf(gw);
    const registered = await operator.query(REGISTER_PARTNER, {
      i: {
        name: 'デモ会計クラウド',
        redirectUris: [PARTNER_REDIRECT_URI],
        certificateSubjectDn: issued.subjectDn,
        scopes: ['ACCOUNT_INFORMATION', 'PAYMENT_INITIATION'],
      },
      pw: gw.credentials('operator01').confirmationPassword,
    });
    expect(registered.body.errors).toBeUndefined();
    partnerId = registered.body.data.registerPartner.id;
    options = {
      origin: gw.apiOrigin,
      caPem: gw.caPem,
      servername: 'localhost',
      certificatePem: issued.certificatePem,
      privateKeyPem: issued.privateKeyPem,
      clientId: registered.body.data.registerPartner.clientId,
      redirectUri: PARTNER_REDIRECT_URI,
    };
    user01 = await sessionAs(gw, 'user01');
  });
  afterAll(async () => {
    await Promise.all(closers.map((closer) => closer.close()));
    await gw.stop();
  });

  /** user01 in their browser: arrives with their certificate, consents on the page (as its GraphQL calls do), is sent back. */
  async function user01Consents(url: URL, accountIds = [1]): Promise<URL> {
    const browser = fetchWith(gw, gw.demoIdentity('user01'));
    closers.push(browser.agent);
    const arrived = await browser.fetch(url.href, { redirect: 'manual' });
    const uid = /^\/#\/partners\/consent\/([\w-]+)$/.exec(arrived.headers.get('location') ?? '')?.[1];
    if (!uid) throw new Error(`the authorization endpoint answered ${arrived.status} ${arrived.headers.get('location')}`);
    const cookie = arrived.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const approved = await user01.query(APPROVE_CONSENT, { uid, accounts: accountIds, pw: gw.credentials('user01').confirmationPassword });
    if (!approved.body.data?.approvePartnerConsent) throw new Error(JSON.stringify(approved.body.errors));
    const back = await browser.fetch(approved.body.data.approvePartnerConsent.redirectTo, { redirect: 'manual', headers: { cookie } });
    return new URL(back.headers.get('location')!);
  }

  /** A partner client holding a token user01 consented to. */
  async function consentedPartner(log?: (line: string) => void): Promise<PartnerClient> {
    const partner = new PartnerClient({ ...options, log });
    closers.push(partner);
    const pending = await partner.startAuthorization(['account_information', 'payment_initiation']);
    await partner.finishAuthorization(await user01Consents(pending.url), pending);
    return partner;
  }

  it('runs discovery, PAR, the consent, the token, a statement and a transfer pending approval, and a refresh', async () => {
    const result = await runPartnerExample(options, {
      scopes: ['account_information', 'payment_initiation'],
      customerConsents: (url) => user01Consents(url),
      from: '2000-01-01',
      to: '2999-12-31',
      transfer: {
        amount: 1234,
        destinationBankCode: '0009',
        destinationBranchCode: '123',
        destinationAccountType: 'ORDINARY',
        destinationAccountNumber: '7654321',
        payeeName: 'ｶ)ﾃﾞﾓ ｼｮｳｼﾞ',
      },
    });
    expect(result.grantedScope.split(' ').sort()).toEqual(['account_information', 'payment_initiation']);
    // Only the account the customer ticked.
    expect(result.accounts.map((a) => a.id)).toEqual([1]);
    expect(result.statementLines).toBeGreaterThan(0);
    expect(result.transfer).toMatchObject({ status: 'PENDING_APPROVAL', amount: 1234 });
    expect(result.retriedSameTransfer).toBe(true);
    expect(result.refreshed).toBe(true);

    const db = gw.gateway.services.db.writableManager;
    expect(await db.countBy(Transfer, { amount: 1234 })).toBe(1);
    const created = await db.findOneByOrFail(AuditEvent, { action: AuditAction.TRANSFER_CREATED, targetId: String(result.transfer.id) });
    expect(JSON.parse(created.detail ?? '{}').partner).toMatchObject({ clientId: options.clientId, name: 'デモ会計クラウド' });

    // A person approves it in the web app (user02: maker ≠ checker).
    const user02 = await sessionAs(gw, 'user02');
    const approved = await user02.query(APPROVE, { id: result.transfer.id, pw: gw.credentials('user02').confirmationPassword });
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.approveTransfer.status).not.toBe('PENDING_APPROVAL');
  });

  it('is refused, inside an executed operation (HTTP 200), an operation outside PARTNER_OPERATIONS and an account the customer did not tick', async () => {
    const partner = await consentedPartner();
    const notOpen = partner.graphql('{ me { loginId } }');
    await expect(notOpen).rejects.toBeInstanceOf(PartnerApiError);
    await expect(notOpen).rejects.toMatchObject({ status: 200, code: 'FORBIDDEN' });
    // user01 may use account 2 too, but consented with account 1 only.
    await expect(partner.statement(2, '2000-01-01', '2999-12-31')).rejects.toMatchObject({ status: 200, code: 'FORBIDDEN' });
  });

  /** The raw answer of /graphql to `token` on the partner's own certificate, as the guide describes it. */
  async function rawGraphql(token: string) {
    const { fetch, agent } = fetchWith(gw, { certificatePem: options.certificatePem, privateKeyPem: options.privateKeyPem });
    closers.push(agent);
    const response = await fetch(`${gw.apiOrigin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ accounts { id } }' }),
    });
    const body = (await response.json()) as { errors?: Array<{ extensions: { code: string; reason?: string } }> };
    return { status: response.status, challenge: response.headers.get('www-authenticate'), extensions: body.errors?.[0]?.extensions };
  }
  const accessTokenOf = (partner: PartnerClient) => partner.accessToken ?? '';

  it('after the customer revokes the consent (連携先管理): 401 with a Bearer invalid_token challenge, and the refresh token is refused too', async () => {
    const log: string[] = [];
    const partner = await consentedPartner((line) => log.push(line));
    await partner.accounts();
    const grants = await user01.query(GRANTS);
    const grantId = Math.max(...grants.body.data.partnerGrants.map((g: { id: number }) => g.id));
    const revoked = await user01.query(REVOKE_GRANT, { id: grantId, pw: gw.credentials('user01').confirmationPassword });
    expect(revoked.body.errors).toBeUndefined();

    // The revocation drops the grant's tokens from the authorization server at once: the token is unknown.
    expect(await rawGraphql(accessTokenOf(partner))).toEqual({
      status: 401,
      challenge: 'Bearer error="invalid_token"',
      extensions: { code: 'UNAUTHENTICATED', reason: 'NO_SESSION' },
    });
    // The example tries one refresh, which the authorization server refuses: the grant is gone.
    await expect(partner.accounts()).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(log.some((line) => line.startsWith('401 NO_SESSION'))).toBe(true);
  });

  it('revoking its refresh token at /oauth/revoke ends the partner’s access token too, and the consent: 連携先管理 no longer lists it', async () => {
    const partner = await consentedPartner();
    const listed = async () => (await user01.query(GRANTS)).body.data.partnerGrants.map((g: { id: number }) => g.id) as number[];
    const grantId = Math.max(...(await listed()));
    const token = accessTokenOf(partner);
    await partner.revoke();
    expect(await rawGraphql(token)).toMatchObject({ status: 401, extensions: { code: 'UNAUTHENTICATED', reason: 'NO_SESSION' } });
    // The provider tells the gateway after it answered: wait for the consent's row to follow.
    for (let i = 0; i < 50 && (await listed()).includes(grantId); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listed()).not.toContain(grantId);
  });

  it('while the bank suspends the partner: 401 UNAUTHENTICATED / ENDED_BY_ADMINISTRATION; resumed, the same token works', async () => {
    const partner = await consentedPartner();
    const operator = await operatorOf(gw);
    const pw = gw.credentials('operator01').confirmationPassword;
    const suspended = await operator.query(SUSPEND_PARTNER, { id: partnerId, pw });
    expect(suspended.body.errors).toBeUndefined();
    expect(await rawGraphql(accessTokenOf(partner))).toMatchObject({
      status: 401,
      challenge: 'Bearer error="invalid_token"',
      extensions: { code: 'UNAUTHENTICATED', reason: 'ENDED_BY_ADMINISTRATION' },
    });
    await operator.query(RESUME_PARTNER, { id: partnerId, pw });
    expect(await rawGraphql(accessTokenOf(partner))).toMatchObject({ status: 200, extensions: undefined });
  });

  it('during an emergency stop of the contract: 403 CONTRACT_STOPPED; resumed by the bank, the same token works', async () => {
    const partner = await consentedPartner();
    const admin01 = await sessionAs(gw, 'admin01');
    const stopped = await admin01.query(STOP, { reason: 'PC lost' });
    expect(stopped.body.errors).toBeUndefined();
    expect(await rawGraphql(accessTokenOf(partner))).toMatchObject({
      status: 403,
      challenge: null,
      extensions: { code: 'CONTRACT_STOPPED' },
    });
    const operator = await operatorOf(gw);
    const resumed = await operator.query(RESUME_CONTRACT, {
      id: stopped.body.data.emergencyStop.id,
      note: 'verified at branch',
      pw: gw.credentials('operator01').confirmationPassword,
    });
    expect(resumed.body.errors).toBeUndefined();
    expect(await rawGraphql(accessTokenOf(partner))).toMatchObject({ status: 200, extensions: undefined });
    // The stop ended user01's own session: sign in again for the tests after this one.
    user01 = await sessionAs(gw, 'user01');
  });

  // Last: it spends the partner's requests for this minute.
  it('past PARTNER_REQUESTS_PER_MINUTE: HTTP 429 RATE_LIMITED with Retry-After', async () => {
    const partner = await consentedPartner();
    const { fetch, agent } = fetchWith(gw, { certificatePem: options.certificatePem, privateKeyPem: options.privateKeyPem });
    closers.push(agent);
    const ask = () =>
      fetch(`${gw.apiOrigin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessTokenOf(partner)}` },
        body: JSON.stringify({ query: '{ accounts { id } }' }),
      });
    let limited: Response | null = null;
    let answered = 0;
    while (!limited && answered <= REQUESTS_PER_MINUTE) {
      const batch = await Promise.all(Array.from({ length: 20 }, ask));
      answered += batch.filter((response) => response.status === 200).length;
      limited = batch.find((response) => response.status === 429) ?? null;
      await Promise.all(batch.filter((response) => response !== limited).map((response) => response.arrayBuffer()));
    }
    expect(answered).toBeLessThanOrEqual(REQUESTS_PER_MINUTE);
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited!.json()) as { errors: Array<{ extensions: { code: string; retryAfterSeconds: number } }> };
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });
});
