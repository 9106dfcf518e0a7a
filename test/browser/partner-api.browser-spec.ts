import path from 'node:path';
import * as oauth from 'openid-client';
import { Contract } from '../../src/contract/contract.entity';
import { demoPaths, type DemoCredentials } from '../../src/demo/demo-data';
import { CertificatePolicy, Pc, openBrowser, screenshot, type Session } from '../helpers/browser';
import { transferInput } from '../helpers/banking';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { openConsentPage, partnerClient, pushAuthorization, registerPartner } from '../helpers/partners';

const STATEMENT = 'query($a: Int!) { statement(accountId: $a, first: 10) { items { id amount direction } } }';
const CREATE_TRANSFER =
  'mutation($i: CreateTransferInput!) { createTransfer(input: $i, confirmationPassword: "") { id status amount maker { loginId } } }';

/**
 * Issue 20's acceptance test: openid-client as a strict FAPI 2.0 client (over undici, with the
 * partner's certificate) runs PAR → the authorization in Chromium, where the customer signs in
 * with the certificate from their NSS store and consents to one account → the token → /graphql
 * over the partner's own TLS connection with the certificate-bound token: the chosen account's
 * statement, and transfers that wait for approval even where the contract needs none, which the
 * approver then finds in the web app's 承認待ち.
 */
describe('a partner, with a customer’s consent given in the browser, reads a statement and creates transfers', () => {
  let gw: TestGateway;
  let policy: CertificatePolicy;
  const pcs: Pc[] = [];
  const sessions: Session[] = [];
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    policy = CertificatePolicy.install();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.browser.close().catch(() => undefined)));
    await Promise.all(closers.map((closer) => closer.close()));
    pcs.forEach((pc) => pc.remove());
    policy?.remove();
    await gw?.stop();
  });

  /** The person's PC with their certificate in its NSS store, and Chromium on it. */
  async function browserOf(loginId: DemoLoginId): Promise<Session> {
    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    const credentials: DemoCredentials = gw.credentials(loginId);
    pc.importP12(demoPaths(gw.config.pki.certsDir, loginId).p12, credentials.p12Password);
    const session = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    sessions.push(session);
    return session;
  }

  it('PAR → consent in Chromium → token → statement and transfers PENDING_APPROVAL → seen in 承認待ち', async () => {
    const partner = await registerPartner(gw, { name: 'フリー会計' });
    const { config, agent } = await partnerClient(gw, partner);
    closers.push(agent);
    const { url, verifier, state } = await pushAuthorization(config);

    // The customer: signs in on the consent page, chooses 本店 普通 1234567 only, confirms.
    const { page } = await browserOf('user01');
    const callback = await openConsentPage(gw, page, url, 'user01');
    await page.getByLabel('本店 普通 1234567').check();
    expect(await page.getByLabel('新宿支店 当座 7654321').isChecked()).toBe(false);
    await page.getByLabel('確認用パスワード', { exact: true }).fill(gw.credentials('user01').confirmationPassword);
    await page.getByRole('button', { name: '同意して連携先に戻る' }).click();
    await page.getByText('連携先に戻りました').waitFor();
    expect(callback()).not.toBeNull();

    // The partner: the code for a token bound to its certificate, then the API over its own TLS connection.
    const tokens = await oauth.authorizationCodeGrant(config, callback()!, { pkceCodeVerifier: verifier, expectedState: state });
    const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await oauth.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(`${gw.apiOrigin}/graphql`),
        'POST',
        JSON.stringify({ query, variables }),
        new Headers({ 'content-type': 'application/json' }),
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const { accounts } = await graphql('{ accounts { id accountNumber branchName } }');
    expect(accounts).toEqual([{ id: expect.any(Number), accountNumber: '1234567', branchName: '本店' }]);
    const accountId: number = accounts[0].id;
    const { statement } = await graphql(STATEMENT, { a: accountId });
    expect(statement.items.length).toBeGreaterThan(0);

    const first = (await graphql(CREATE_TRANSFER, { i: transferInput(accountId, 12_345) })).createTransfer;
    expect(first).toMatchObject({ status: 'PENDING_APPROVAL', amount: 12_345, maker: { loginId: 'user01' } });
    // Where the contract needs no approval, a partner's order still waits for one.
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false }));
    const second = (await graphql(CREATE_TRANSFER, { i: transferInput(accountId, 23_456) })).createTransfer;
    expect(second).toMatchObject({ status: 'PENDING_APPROVAL', amount: 23_456 });
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: true }));

    // The approver, in the web app: both in 承認待ち, made by user01.
    const approver = (await browserOf('user02')).page;
    await approver.goto(`${gw.apiOrigin}/`);
    await approver.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials('user02').loginPassword);
    await approver.getByRole('button', { name: 'ログイン' }).click();
    await approver.getByRole('heading', { name: 'トップ' }).waitFor();
    await approver.getByRole('link', { name: '承認待ち一覧へ' }).click();
    for (const [order, amount] of [
      [first, '¥12,345'],
      [second, '¥23,456'],
    ] as const) {
      await approver.getByTestId(`order-single-${order.id}`).getByText(amount).waitFor();
    }
    await screenshot(approver, 'partner-orders-pending-approval');
  });
});
