import path from 'node:path';
import * as oauth from 'openid-client';
import { demoPaths } from '../../src/demo/demo-data';
import { CertificatePolicy, Pc, latinWords, openBrowser, screenshot, type Session } from '../helpers/browser';
import { TestGateway } from '../helpers/gateway';
import { openConsentPage, partnerClient, pushAuthorization, registerPartner } from '../helpers/partners';

/**
 * Issue 20, phase 1: the consent in the web app, in headless Chromium with the customer's
 * certificate from the NSS store. The partner (openid-client, its own certificate) pushes its
 * request; the customer's browser follows the link, signs in with the PIN, reads the partner and
 * what it may do in Japanese, consents with the confirmation password and lands back at the
 * partner with a code the partner exchanges for a token.
 */
describe('a customer consents to a partner in the browser', () => {
  let gw: TestGateway;
  let policy: CertificatePolicy;
  let pc: Pc | null = null;
  let session: Session | null = null;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    policy = CertificatePolicy.install();
  });
  afterAll(async () => {
    await session?.browser.close().catch(() => undefined);
    await Promise.all(closers.map((closer) => closer.close()));
    pc?.remove();
    policy?.remove();
    await gw?.stop();
  });

  it('PAR → sign-in and consent in the web app → back at the partner with a code → a token', async () => {
    const partner = await registerPartner(gw, { name: 'フリー会計' });
    const { config, agent } = await partnerClient(gw, partner);
    closers.push(agent);
    const { url, verifier, state } = await pushAuthorization(config);

    pc = Pc.create(gw.caPem);
    pc.importP12(demoPaths(gw.config.pki.certsDir, 'user01').p12, gw.credentials('user01').p12Password);
    session = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    const { page } = session;
    const callback = await openConsentPage(gw, page, url, 'user01');
    const main = page.locator('main');
    const text = (await main.textContent())!;
    expect(text).toContain('連携先「フリー会計」');
    expect(text).toContain('口座の残高・入出金明細の照会');
    expect(text).toContain('振込の作成（実行には、この画面とは別に承認が必要です）');
    expect(latinWords(text)).toEqual([]);
    await screenshot(page, 'partner-consent');

    await page.getByLabel('本店 普通 1234567').check();
    await page.getByLabel('確認用パスワード', { exact: true }).fill(gw.credentials('user01').confirmationPassword);
    await page.getByRole('button', { name: '同意して連携先に戻る' }).click();
    await page.getByText('連携先に戻りました').waitFor();
    expect(callback()).not.toBeNull();
    const tokens = await oauth.authorizationCodeGrant(config, callback()!, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.scope?.split(' ').sort()).toEqual(['account_information', 'payment_initiation']);
  });
});
