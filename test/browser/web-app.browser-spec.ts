import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { demoPaths } from '../../src/demo/demo-data';
import { CertificatePolicy, Pc, expectOnlyGateway, openBrowser, screenshot, tokyoText, type Session } from '../helpers/browser';
import type { DemoLoginId } from '../helpers/gateway';
import { TestGateway } from '../helpers/gateway';
import { CREATE_USER, sessionAs } from '../helpers/lifecycle';
import { loginAsPartner } from '../helpers/auth';

// One file on purpose: the tests share one certificate policy and run one after another.

/**
 * The customer web app and 電子証明書取得 as people use them: headless Chromium, each person on
 * their own "PC" (an NSS store holding their .p12), the gateway's CA trusted, the certificate
 * chosen by policy. Screenshots go to test-artifacts/browser.
 */
describe('the web app in a browser holding the certificate', () => {
  let gw: TestGateway;
  let policy: CertificatePolicy;
  const pcs: Pc[] = [];
  const sessions: Session[] = [];

  beforeAll(async () => {
    // An approved transfer runs at once (実行済み) whatever day and hour the tests run: no cut-off
    // and no closed days (bank-days.e2e-spec.ts covers the calendar). The clock cannot be moved to
    // a business morning instead: the certificate issued in the browser later must be valid now.
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    policy = CertificatePolicy.install();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.browser.close().catch(() => undefined)));
    pcs.forEach((pc) => pc.remove());
    policy?.remove();
    await gw?.stop();
  });

  const origins = () => [gw.apiOrigin, gw.enrollOrigin];

  /** A PC whose store holds this demo person's .p12 (or nothing). */
  function pcOf(loginId: DemoLoginId | null): Pc {
    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    if (loginId) pc.importP12(demoPaths(gw.config.pki.certsDir, loginId).p12, gw.credentials(loginId).p12Password);
    return pc;
  }

  async function browse(pc: Pc): Promise<Session> {
    const session = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    sessions.push(session);
    return session;
  }

  async function logIn(page: Page, pin: string): Promise<void> {
    await page.goto(`${gw.apiOrigin}/`);
    await page.getByLabel('ログインパスワード', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'ログイン' }).click();
  }

  it('successful: PIN login shows the previous login time in Japan time, the idle countdown and the logout button', async () => {
    // An earlier login (over the API) is the one the page must show.
    const earlier = gw.asUser('user01');
    await loginAsPartner(earlier, gw.credentials('user01').loginPassword);
    const previous: string = (await earlier.query('{ me { lastLoginAt } }')).body.data.me.lastLoginAt;

    const session = await browse(pcOf('user01'));
    const { page } = session;
    await page.goto(`${gw.apiOrigin}/`);
    await page.getByText('電子証明書: user01').waitFor();
    const pin = page.getByLabel('ログインパスワード', { exact: true });
    expect(await pin.getAttribute('type')).toBe('password');
    await screenshot(page, '01-login');
    await pin.fill(gw.credentials('user01').loginPassword);
    await page.getByRole('button', { name: 'ログイン' }).click();

    await page.getByRole('heading', { name: 'トップ' }).waitFor();
    expect(await page.getByTestId('previous-login').textContent()).toBe(`前回ログイン日時: ${tokyoText(previous)}`);
    expect(await page.getByTestId('previous-login-home').textContent()).toBe(tokyoText(previous));
    await page.getByText(/自動ログアウトまで 1[45]:\d\d/).waitFor();
    await page.getByRole('button', { name: 'ログアウト' }).waitFor();
    // Balances as yen: ¥1,234,567.
    expect(await page.locator('td.num').first().textContent()).toMatch(/^¥\d{1,3}(,\d{3})*$/);
    await screenshot(page, '02-home');

    await page.getByRole('link', { name: '入出金明細' }).click();
    await page.getByRole('button', { name: '照会' }).click();
    await page.getByRole('columnheader', { name: '摘要' }).waitFor();
    await screenshot(page, '03-statement');

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByText('ログアウトしました。').waitFor();
    expectOnlyGateway(session, origins());
  });

  it('successful: when the idle countdown reaches zero the page logs out by itself and says why', async () => {
    const session = await browse(pcOf('user02'));
    const { page } = session;
    // The page's own clock, moved forward instead of waiting 15 minutes.
    await page.clock.install();
    await logIn(page, gw.credentials('user02').loginPassword);
    await page.getByText(/自動ログアウトまで 1[45]:\d\d/).waitFor();
    // Every answer restarts the countdown, so the top page's own queries must be in before the
    // clock moves (a late balance answer on a slow database restarted it after the jump).
    await page.locator('td.num').first().waitFor();
    await page.waitForLoadState('networkidle');
    // Fourteen minutes later at most one is left (real time passes too, so not exactly one).
    await page.clock.fastForward('14:00');
    await page.getByText(/自動ログアウトまで [01]:\d\d/).waitFor();
    await page.clock.fastForward('02:00');
    await page.getByText('一定時間操作がなかったため、自動的にログアウトしました。').waitFor();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    // The session is over on the server too: the page logged out, it did not just hide itself.
    expect(session.requests.filter((url) => url.endsWith('/graphql')).length).toBeGreaterThan(0);
    const audit = await (await sessionAs(gw, 'admin01')).query('{ auditEvents(action: LOGOUT, first: 5) { items { actorLoginId } } }');
    expect(audit.body.data.auditEvents.items.map((e: any) => e.actorLoginId)).toContain('user02');
    expectOnlyGateway(session, origins());
  });

  it('successful: a transfer created by one user in the browser is approved by another in theirs', async () => {
    const maker = await browse(pcOf('user01'));
    await logIn(maker.page, gw.credentials('user01').loginPassword);
    await maker.page.getByRole('link', { name: '振込の作成', exact: true }).click();
    await maker.page.getByLabel('金融機関コード').fill('0009');
    await maker.page.getByLabel('支店番号').fill('123');
    await maker.page.getByLabel('口座番号').fill('7654321');
    await maker.page.getByLabel('受取人名（カナ）').fill('ｶ)ﾃﾞﾓ ｼｮｳｼﾞ');
    await maker.page.getByLabel('振込金額（円）').fill('250000');
    await screenshot(maker.page, '04-transfer-input');
    await maker.page.getByRole('button', { name: '確認画面へ' }).click();
    await maker.page.getByText('¥250,000').waitFor();
    await screenshot(maker.page, '04-transfer-confirm');
    await maker.page.getByLabel('確認用パスワード').fill(gw.credentials('user01').confirmationPassword);
    await maker.page.getByRole('button', { name: '実行' }).click();
    expect(await maker.page.getByTestId('transfer-status').textContent()).toBe('承認待ち');
    const id = Number((await maker.page.getByText(/受付番号 \d+/).textContent())!.match(/受付番号 (\d+)/)![1]);
    await screenshot(maker.page, '05-transfer-created');

    const approver = await browse(pcOf('user02'));
    await logIn(approver.page, gw.credentials('user02').loginPassword);
    await approver.page.getByText('承認待ちの振込が').waitFor();
    await approver.page.getByRole('link', { name: '承認待ち一覧', exact: true }).click();
    const row = approver.page.getByTestId(`order-single-${id}`);
    await row.getByText('カ)デモ シヨウジ').waitFor();
    await screenshot(approver.page, '06-approvals');
    await row.getByRole('link', { name: `受付番号 ${id} の詳細` }).click();
    await approver.page.getByRole('button', { name: '承認…' }).click();
    await approver.page.getByLabel('確認用パスワード').fill(gw.credentials('user02').confirmationPassword);
    await approver.page.getByRole('button', { name: '承認する' }).click();
    await approver.page.getByText(`受付番号 ${id} を承認しました（状態: 実行済み）。`).waitFor();
    await screenshot(approver.page, '07-approved');

    // The maker sees it executed.
    await maker.page.getByRole('link', { name: '受付票・状況を見る' }).click();
    await maker.page.getByRole('region', { name: '受付票' }).getByText('実行済み').waitFor();
    expectOnlyGateway(maker, origins());
    expectOnlyGateway(approver, origins());
  });

  it('successful: a new user gets a certificate in the browser, imports the .p12 into a fresh store and logs in with it', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const created = await admin.query(CREATE_USER, {
      input: {
        loginId: 'acme-clerk1',
        displayName: '経理 花子',
        permissions: ['ACCOUNT_INQUIRY'],
        transferLimitPerTransaction: 0,
        dailyTransferLimit: 0,
      },
      confirmationPassword: gw.credentials('admin01').confirmationPassword,
    });
    expect(created.body.errors).toBeUndefined();
    const { temporaryPasswords, enrollmentCode } = created.body.data.createUser;

    // A PC without any certificate: the API listener cannot even answer; the enrollment page can.
    const bare = pcOf(null);
    const enrolling = await browse(bare);
    const apiTab = await enrolling.context.newPage();
    const refused = await apiTab.goto(`${gw.apiOrigin}/`).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    // The handshake fails (Chromium names it ERR_BAD_SSL_CLIENT_AUTH_CERT, ERR_SOCKET_NOT_CONNECTED, ...): no page at all.
    expect(refused).toMatch(/net::ERR_[A-Z_]+/);
    await apiTab.close();
    await enrolling.page.goto(`${gw.enrollOrigin}/`);
    await enrolling.page.getByRole('heading', { name: '電子証明書の取得' }).waitFor();
    await screenshot(enrolling.page, '08-enroll');
    await enrolling.page.getByLabel('ログインID').fill('acme-clerk1');
    await enrolling.page.getByLabel('証明書取得コード').fill(enrollmentCode.code);
    await enrolling.page.getByLabel('ログインパスワード').fill(temporaryPasswords.loginPassword);
    await enrolling.page.getByRole('button', { name: '電子証明書を取得する' }).click();
    await enrolling.page.getByText('電子証明書が発行されました').waitFor();
    const p12Password = 'Import-pass-2025';
    await enrolling.page.getByLabel('.p12ファイルのパスワード', { exact: true }).fill(p12Password);
    await enrolling.page.getByLabel('.p12ファイルのパスワード（確認）').fill(p12Password);
    await enrolling.page.getByRole('button', { name: '.p12ファイルを作成' }).click();
    const [download] = await Promise.all([
      enrolling.page.waitForEvent('download'),
      enrolling.page.getByRole('link', { name: 'acme-clerk1.p12 をダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('acme-clerk1.p12');
    const p12File = path.join(bare.home, 'acme-clerk1.p12');
    await download.saveAs(p12File);
    await enrolling.page.getByRole('heading', { name: '電子証明書のインポート手順' }).waitFor();
    await screenshot(enrolling.page, '09-enrolled');
    // Only the CSR went to the bank: no request carried a private key.
    expectOnlyGateway(enrolling, origins());

    // A fresh store, as on the person's PC: import the download and log in with it.
    const fresh = pcOf(null);
    fresh.importP12(p12File, p12Password);
    expect(fresh.certificates()).toContain('acme-clerk1');
    expect(fs.readFileSync(p12File).length).toBeGreaterThan(1000);
    const clerk = await browse(fresh);
    await clerk.page.goto(`${gw.apiOrigin}/`);
    await clerk.page.getByText('電子証明書: acme-clerk1').waitFor();
    await clerk.page.getByLabel('ログインパスワード', { exact: true }).fill(temporaryPasswords.loginPassword);
    await clerk.page.getByRole('button', { name: 'ログイン' }).click();

    // Temporary passwords: both must be changed before anything else.
    await clerk.page.getByText('仮パスワードでログインしました').waitFor();
    await screenshot(clerk.page, '10-forced-change');
    await changePassword(clerk.page, 'ログインパスワード', temporaryPasswords.loginPassword, 'Hanako-login-2025');
    await changePassword(clerk.page, '確認用パスワード', temporaryPasswords.confirmationPassword, 'Hanako-confirm-2025', false);
    // Both changed: the app opens.
    await clerk.page.getByRole('heading', { name: 'トップ' }).waitFor();
    expect(await clerk.page.getByTestId('previous-login').textContent()).toBe('前回ログイン日時: （初めてのログインです）');
    await clerk.page.getByText('経理 花子 様').waitFor();
    expectOnlyGateway(clerk, origins());
  });

  async function changePassword(page: Page, name: string, current: string, next: string, waitForNotice = true) {
    const form = page.getByRole('form', { name: `${name}の変更` });
    await form.getByLabel(`現在の${name}`).fill(current);
    await form.getByLabel(`新しい${name}`, { exact: true }).fill(next);
    await form.getByLabel(`新しい${name}（確認）`).fill(next);
    await form.getByRole('button', { name: `${name}を変更する` }).click();
    if (waitForNotice) await page.getByText(`${name}を変更しました。`).waitFor();
  }
});

describe('expiry banners and renewing the certificate in a browser', () => {
  let gw: TestGateway;
  let policy: CertificatePolicy;
  const pcs: Pc[] = [];
  const sessions: Session[] = [];

  beforeAll(async () => {
    // Every password and certificate is inside its warning window from the start.
    gw = await TestGateway.start({ PASSWORD_EXPIRY_WARNING_DAYS: '90', CERTIFICATE_RENEWAL_WARNING_DAYS: '365' });
    policy = CertificatePolicy.install();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.browser.close().catch(() => undefined)));
    pcs.forEach((pc) => pc.remove());
    policy?.remove();
    await gw?.stop();
  });

  async function loggedIn(pc: Pc, loginId: DemoLoginId): Promise<Session> {
    const session = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    sessions.push(session);
    await session.page.goto(`${gw.apiOrigin}/`);
    await session.page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials(loginId).loginPassword);
    await session.page.getByRole('button', { name: 'ログイン' }).click();
    return session;
  }

  function pcWith(loginId: DemoLoginId): Pc {
    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    pc.importP12(demoPaths(gw.config.pki.certsDir, loginId).p12, gw.credentials(loginId).p12Password);
    return pc;
  }

  it('successful: the page says how many days the password and the certificate have left, with links to change and renew', async () => {
    const session = await loggedIn(pcWith('user02'), 'user02');
    const { page } = session;
    const banner = page.getByTestId('password-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^ログインパスワードの有効期限まであと89日です（\d{4}\/\d\d\/\d\dまで）。/);
    expect(await page.getByTestId('certificate-banner').textContent()).toMatch(/^電子証明書の有効期限まであと364日です/);
    await screenshot(page, '11-expiry-banners');
    await banner.getByRole('link', { name: /パスワードを変更する/ }).click();
    await page.getByRole('heading', { name: 'パスワード変更' }).waitFor();
    expectOnlyGateway(session, [gw.apiOrigin]);
  });

  it('successful: a user renews the certificate in the browser; the new .p12 logs in from a fresh store and the old certificate is refused', async () => {
    const oldPc = pcWith('user01');
    const session = await loggedIn(oldPc, 'user01');
    const { page } = session;
    await page
      .getByTestId('certificate-banner')
      .getByRole('link', { name: /電子証明書を更新する/ })
      .click();
    await page.getByRole('heading', { name: '電子証明書', exact: true }).waitFor();
    await page.getByRole('button', { name: '電子証明書を更新する' }).click();
    const issued = (await page.getByText(/新しい証明書（シリアル番号 [0-9A-F]+/).textContent())!;
    const serial = issued.match(/シリアル番号 ([0-9A-F]+)/)![1];
    await page.getByLabel('.p12ファイルのパスワード', { exact: true }).fill('Renewed-p12-2025');
    await page.getByLabel('.p12ファイルのパスワード（確認）').fill('Renewed-p12-2025');
    await page.getByRole('button', { name: '.p12ファイルを作成' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'user01.p12 をダウンロード' }).click(),
    ]);
    const file = path.join(oldPc.home, 'renewed.p12');
    await download.saveAs(file);
    await screenshot(page, '23-renewed');
    expectOnlyGateway(session, [gw.apiOrigin]);

    // The old certificate was revoked with the renewal: its page now says so, in words.
    await page.goto(`${gw.apiOrigin}/`);
    await page.getByText('このパソコンの電子証明書はご利用いただけません').waitFor();

    const fresh = Pc.create(gw.caPem);
    pcs.push(fresh);
    fresh.importP12(file, 'Renewed-p12-2025');
    const renewed = await loggedIn(fresh, 'user01');
    await renewed.page.getByRole('heading', { name: 'トップ' }).waitFor();
    await renewed.page.getByRole('link', { name: '電子証明書', exact: true }).click();
    await renewed.page.getByText(serial, { exact: true }).waitFor();
    expectOnlyGateway(renewed, [gw.apiOrigin]);
  });
});

describe("the administrator's menu and the operator's console in a browser", () => {
  let gw: TestGateway;
  let policy: CertificatePolicy;
  const pcs: Pc[] = [];
  const sessions: Session[] = [];

  beforeAll(async () => {
    gw = await TestGateway.start();
    policy = CertificatePolicy.install();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.browser.close().catch(() => undefined)));
    pcs.forEach((pc) => pc.remove());
    policy?.remove();
    await gw?.stop();
  });

  const origins = () => [gw.apiOrigin, gw.enrollOrigin];

  async function loggedIn(loginId: DemoLoginId, pin = gw.credentials(loginId).loginPassword): Promise<Session> {
    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    pc.importP12(demoPaths(gw.config.pki.certsDir, loginId).p12, gw.credentials(loginId).p12Password);
    const session = await openBrowser(pc);
    sessions.push(session);
    await session.page.goto(`${gw.apiOrigin}/`);
    await session.page.getByLabel('ログインパスワード', { exact: true }).fill(pin);
    await session.page.getByRole('button', { name: 'ログイン' }).click();
    return session;
  }

  it('successful: only what the role may call is in the menu', async () => {
    const menus: Record<string, string[]> = {};
    for (const loginId of ['user02', 'admin01', 'operator01'] as const) {
      const { page } = await loggedIn(loginId);
      await page.getByRole('heading', { name: 'トップ' }).waitFor();
      menus[loginId] = await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link').allTextContents();
      // ログイン履歴: this very login, first, in words.
      await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: 'ログイン履歴' }).click();
      const history = page.getByTestId('login-history');
      await history.waitFor();
      expect(await history.locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('成功');
      await page.getByRole('button', { name: 'ログアウト' }).click();
    }
    expect(menus).toEqual({
      user02: [
        'トップ',
        '口座一覧・残高',
        '入出金明細',
        '承認待ち一覧',
        '振込結果照会',
        'パスワード変更',
        '電子証明書',
        'パスキー管理',
        'ログイン履歴',
        '連携先管理',
        'メールアドレス',
      ],
      admin01: [
        'トップ',
        '口座一覧・残高',
        '入出金明細',
        '予約取消',
        'IDメンテナンス（利用者一覧）',
        '利用者の登録',
        '接続元IPアドレス制限',
        'メール通知設定',
        '緊急停止',
        '操作履歴',
        'パスワード変更',
        '電子証明書',
        'パスキー管理',
        'ログイン履歴',
        '連携先管理',
        'メールアドレス',
        'GraphiQL（API を直接操作）',
      ],
      operator01: [
        'トップ',
        '契約一覧',
        '契約の登録',
        '保留中の取引',
        '連携先',
        '操作履歴',
        'パスワード変更',
        '電子証明書',
        'パスキー管理',
        'ログイン履歴',
        'メールアドレス',
        'GraphiQL（API を直接操作）',
      ],
    });
  });

  it("successful: GraphiQL opens from an administrator's menu with the app's session and answers a query", async () => {
    const session = await loggedIn('admin01');
    const { page, context } = session;
    await page.getByRole('heading', { name: 'トップ' }).waitFor();
    const [graphiql] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /GraphiQL/ }).click()]);
    await graphiql.waitForLoadState();
    await graphiql.locator('.graphiql-container').waitFor();
    await graphiql.getByRole('button', { name: /Execute query/i }).click();
    await graphiql.locator('.result-window').getByText('"loggedIn": true').waitFor();
    await screenshot(graphiql, '22-graphiql');
    expect(session.requests.filter((url) => !url.startsWith(`${gw.apiOrigin}/`))).toEqual([]);
  });

  it('successful: a user locked by wrong passwords is told so in words; the administrator resets them and they log in again', async () => {
    const user = await loggedIn('user02', 'Wrong-pin-1');
    await user.page.getByText('パスワードが正しくありません。あと5回続けて誤ると').waitFor();
    await screenshot(user.page, '12-login-failed');
    for (let attempt = 2; attempt <= 6; attempt++) {
      await user.page.getByLabel('ログインパスワード', { exact: true }).fill(`Wrong-pin-${attempt}`);
      await user.page.getByRole('button', { name: 'ログイン' }).click();
      if (attempt < 6) await user.page.getByText(`あと${6 - attempt}回続けて誤ると`).waitFor();
    }
    await user.page.getByText('このIDはロックされています').waitFor();
    await screenshot(user.page, '13-locked');

    const admin = await loggedIn('admin01');
    await admin.page.getByRole('link', { name: 'IDメンテナンス（利用者一覧）' }).click();
    const row = admin.page.getByTestId('user-user02');
    await row.getByText('ロック中').waitFor();
    await screenshot(admin.page, '14-admin-users');
    await row.getByRole('link', { name: '詳細・変更' }).click();
    await admin.page.getByLabel('確認用パスワード（管理者）').fill(gw.credentials('admin01').confirmationPassword);
    await admin.page.getByRole('button', { name: 'パスワードを再設定する' }).click();
    const sheet = admin.page.getByRole('region', { name: /仮パスワード/ });
    await sheet.waitFor();
    const temporaryLogin = (await sheet.locator('dd').nth(0).textContent())!;
    const temporaryConfirmation = (await sheet.locator('dd').nth(1).textContent())!;
    expect(await admin.page.getByTestId('user-state').textContent()).toBe('利用中・仮パスワード');
    await screenshot(admin.page, '15-admin-reset');

    await user.page.getByLabel('ログインパスワード', { exact: true }).fill(temporaryLogin);
    await user.page.getByRole('button', { name: 'ログイン' }).click();
    await user.page.getByText('仮パスワードでログインしました').waitFor();
    // Both forms sent one right after the other, as a quick person does: the app opens once both are changed.
    for (const [name, current, next] of [
      ['ログインパスワード', temporaryLogin, 'Reset-login-2025'],
      ['確認用パスワード', temporaryConfirmation, 'Reset-confirm-2025'],
    ]) {
      const form = user.page.getByRole('form', { name: `${name}の変更` });
      await form.getByLabel(`現在の${name}`).fill(current);
      await form.getByLabel(`新しい${name}`, { exact: true }).fill(next);
      await form.getByLabel(`新しい${name}（確認）`).fill(next);
      await form.getByRole('button', { name: `${name}を変更する` }).click();
    }
    await user.page.getByRole('heading', { name: 'トップ' }).waitFor();
    expectOnlyGateway(user, origins());
    expectOnlyGateway(admin, origins());
  });

  it('successful: the administrator creates a user, shown once and printable, sets the IP allow-list and reads the audit log and downloads it', async () => {
    const { page, ...rest } = await loggedIn('admin01');
    await page.getByRole('link', { name: '利用者の登録' }).click();
    await page.getByLabel('ログインID').fill('acme-payer1');
    await page.getByLabel('氏名').fill('支払 次郎');
    await page.getByLabel('振込（作成）', { exact: true }).check();
    await page.getByLabel('利用限度額（1回あたり・円）').fill('500000');
    await page.getByLabel('利用限度額（1日あたり・円）').fill('2000000');
    await page.getByLabel('確認用パスワード（管理者）').fill(gw.credentials('admin01').confirmationPassword);
    await page.getByRole('button', { name: '登録する' }).click();
    const sheet = page.getByRole('region', { name: /支払 次郎（acme-payer1）様 ご利用開始のご案内/ });
    await sheet.waitFor();
    expect(await sheet.locator('dd').nth(3).textContent()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    await sheet.getByRole('button', { name: '印刷する' }).waitFor();
    await screenshot(page, '16-admin-created-user');

    await page.getByRole('link', { name: '接続元IPアドレス制限' }).click();
    await page.getByLabel('許可するIPアドレス').fill('127.0.0.1\n203.0.113.0/24');
    await page.getByLabel('確認用パスワード（管理者）').fill(gw.credentials('admin01').confirmationPassword);
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('接続元IPアドレス制限を保存しました（2件）。').waitFor();

    await page.getByRole('link', { name: '操作履歴' }).click();
    await page.getByRole('combobox', { name: /^操作/ }).selectOption({ label: '利用者登録' });
    await page.getByRole('combobox', { name: /^利用者/ }).selectOption({ label: 'admin01（総務 花子）' });
    await page.getByRole('button', { name: '検索' }).click();
    // Filtered: only user creations by admin01 remain (the earlier reset of user02 is left out).
    await page.waitForFunction(() => {
      // Runs in the page (the tests' own tsconfig has no DOM types).
      const cells: Array<{ textContent: string | null }> = [
        ...(globalThis as any).document.querySelectorAll('table.audit tbody tr td:nth-child(2)'),
      ];
      const actions = cells.map((td) => td.textContent);
      return actions.length > 0 && actions.every((action) => action === '利用者登録');
    });
    await screenshot(page, '17-audit-log');
    // The period's log as a file: a plain link, authorised by the session cookie like /graphql.
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '期間の操作履歴をダウンロード' }).click(),
    ]);
    expect(exported.suggestedFilename()).toMatch(/^audit-log-contract-\d+\.jsonl$/);
    const exportedFile = path.join(os.tmpdir(), `cibg-audit-${crypto.randomUUID()}.jsonl`);
    await exported.saveAs(exportedFile);
    const exportedLines = fs.readFileSync(exportedFile, 'utf8').trimEnd().split('\n');
    fs.rmSync(exportedFile);
    expect(JSON.parse(exportedLines.at(-1)!)).toMatchObject({ action: 'AUDIT_LOG_DOWNLOADED', actorLoginId: 'admin01' });
    expectOnlyGateway({ page, ...rest }, origins());
  });

  it("successful: the emergency stop, confirmed once more, refuses a user's very next click; the bank resumes it from its console", async () => {
    const user = await loggedIn('user01');
    await user.page.getByRole('link', { name: '口座一覧・残高' }).click();
    await user.page.getByRole('heading', { name: '口座一覧・残高' }).waitFor();

    const admin = await loggedIn('admin01');
    await admin.page.getByRole('link', { name: '緊急停止' }).click();
    await admin.page.getByLabel('停止の理由').fill('不正送金の疑い');
    await admin.page.getByRole('button', { name: '緊急停止…' }).click();
    await admin.page.getByRole('alertdialog', { name: '緊急停止の確認' }).waitFor();
    await screenshot(admin.page, '18-emergency-stop-confirm');
    await admin.page.getByRole('button', { name: '緊急停止を実行する' }).click();
    await admin.page.getByText(/に緊急停止しました/).waitFor();

    await user.page.getByRole('button', { name: '最新の情報に更新' }).click();
    await user.page.getByText('緊急停止中のため、この契約ではご利用いただけません').waitFor();
    await screenshot(user.page, '19-stopped');

    const operator = await loggedIn('operator01');
    await operator.page.getByRole('link', { name: '契約一覧', exact: true }).click();
    const row = operator.page.getByTestId('contract-DEMO0001');
    await row.getByText('緊急停止中').waitFor();
    await row.getByRole('button', { name: '操作' }).click();
    await operator.page.getByLabel('本人確認の記録').fill('来店、代表者の運転免許証で確認（本店 山田）');
    await operator.page.getByLabel('確認用パスワード（オペレーター）').fill(gw.credentials('operator01').confirmationPassword);
    await screenshot(operator.page, '20-operator-contracts');
    await operator.page.getByRole('button', { name: '利用を再開する' }).click();
    await operator.page.getByText('利用を再開しました。').waitFor();
    await row.getByText('利用中').waitFor();

    await user.page.goto(`${gw.apiOrigin}/`);
    await user.page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials('user01').loginPassword);
    await user.page.getByRole('button', { name: 'ログイン' }).click();
    await user.page.getByRole('heading', { name: 'トップ' }).waitFor();
    for (const session of [user, admin, operator]) expectOnlyGateway(session, origins());
  });

  it("successful: the bank's console creates a contract with its master administrator, issues the administrator's code and terminates it after a second confirmation", async () => {
    const { page, ...rest } = await loggedIn('operator01');
    const confirmation = gw.credentials('operator01').confirmationPassword;
    await page.getByRole('link', { name: '契約の登録' }).click();
    await page.getByLabel('契約番号').fill('C0009001');
    await page.getByLabel('契約者名').fill('株式会社テスト商事');
    await page.getByLabel('マスター管理者のログインID').fill('test-admin1');
    await page.getByLabel('マスター管理者の氏名').fill('管理 一郎');
    await page.getByLabel('確認用パスワード（オペレーター）').fill(confirmation);
    await page.getByRole('button', { name: '登録する' }).click();
    const sheet = page.getByRole('region', { name: /株式会社テスト商事（C0009001）管理者 ご利用開始のご案内/ });
    await sheet.waitFor();
    expect(await sheet.locator('dd').first().textContent()).toBe('test-admin1');
    await screenshot(page, '21-operator-created-contract');

    await page.getByRole('link', { name: '契約一覧', exact: true }).click();
    const row = page.getByTestId('contract-C0009001');
    await row.getByRole('button', { name: '操作' }).click();
    await page.getByLabel('本人確認の記録').fill('来店、管理者の社員証と運転免許証で確認');
    await page.getByLabel('管理者のログインID').fill('test-admin1');
    await page.getByLabel('確認用パスワード（オペレーター）').fill(confirmation);
    await page.getByRole('button', { name: '管理者の証明書取得コードを発行' }).click();
    await page.getByRole('region', { name: 'test-admin1 様 証明書取得コード' }).waitFor();

    await page.getByLabel('確認用パスワード（オペレーター）').fill(confirmation);
    await page.getByRole('button', { name: '解約…' }).click();
    await page.getByRole('alertdialog', { name: '解約の確認' }).waitFor();
    await page.getByRole('button', { name: '解約を実行する' }).click();
    await page.getByText('解約しました。').waitFor();
    await row.getByText('解約済み').waitFor();
    expectOnlyGateway({ page, ...rest }, origins());
  });

  it("successful: the bank's console registers a partner (連携先) and suspends it after the operator's confirmation password", async () => {
    const { page, ...rest } = await loggedIn('operator01');
    const confirmation = gw.credentials('operator01').confirmationPassword;
    await page.getByRole('link', { name: '連携先', exact: true }).click();
    const form = page.getByRole('form', { name: '連携先の登録' });
    await form.getByLabel('連携先名').fill('やよい会計');
    await form.getByLabel('戻り先').fill('https://yayoi.example/callback');
    await form.getByLabel('証明書のサブジェクト').fill('CN=yayoi-api, O=Yayoi');
    await form.getByLabel('口座の残高・入出金明細の照会').check();
    await form.getByLabel('確認用パスワード（オペレーター）').fill(confirmation);
    await form.getByRole('button', { name: '登録する' }).click();
    await page.getByText(/連携先「やよい会計」を登録しました。クライアントID: /).waitFor();
    const row = page.getByRole('row', { name: /やよい会計/ });
    expect(await row.textContent()).toContain('利用中');
    await screenshot(page, '22-operator-partners');

    await row.getByRole('button', { name: '停止' }).click();
    const suspend = page.getByRole('form', { name: '連携先「やよい会計」の停止' });
    await suspend.getByLabel('確認用パスワード（オペレーター）').fill(confirmation);
    await suspend.getByRole('button', { name: '停止する' }).click();
    await page.getByText('連携先「やよい会計」を停止しました。').waitFor();
    expect(await page.getByRole('row', { name: /やよい会計/ }).textContent()).toContain('停止中');
    const operatorApi = await sessionAs(gw, 'operator01');
    const partners = (await operatorApi.query('{ partners { name status redirectUris scopes } }')).body.data.partners;
    expect(partners.find((p: { name: string }) => p.name === 'やよい会計')).toEqual({
      name: 'やよい会計',
      status: 'SUSPENDED',
      redirectUris: ['https://yayoi.example/callback'],
      scopes: ['ACCOUNT_INFORMATION'],
    });
    expectOnlyGateway({ page, ...rest }, origins());
  });
});
