import fs from 'node:fs';
import iconv from 'iconv-lite';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { businessDate } from '../../src/banking/calendar/business-day';
import { ACCOUNTS, CREATE_TRANSFER, bulkLines, monthDay, transferInput, zenginFile } from '../helpers/banking';
import { expectOnlyGateway, latinWords, screenshot } from '../helpers/browser';
import { BrowserPeople, menuLinks, pageFindings, withoutAccounts, type PageFinding } from '../helpers/browser-work';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

// One file on purpose: the tests share one gateway, one certificate policy and run one after another.

/**
 * The daily work of a company's 経理 (maker), 承認者 and 管理者 in headless Chromium, each on their
 * own PC: 総合振込 from a Zengin file, 承認待ち with 一括承認, 振込結果照会 with 予約取消 and the
 * 受付票; every page in Japanese and without serious accessibility findings (axe-core).
 */
describe("a company's daily work in the browser", () => {
  let gw: TestGateway;
  let people: BrowserPeople;

  beforeAll(async () => {
    // An approved order runs at once and any day may be asked for, whatever day and hour the
    // tests run: no cut-off and no closed days (bank-days.e2e-spec.ts covers the calendar).
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    people = new BrowserPeople(gw);
  });
  afterAll(async () => {
    await people?.close();
    await gw?.stop();
  });

  const origins = () => [gw.apiOrigin, gw.enrollOrigin];
  const confirmation = (loginId: DemoLoginId) => gw.credentials(loginId).confirmationPassword;

  const loggedIn = (loginId: DemoLoginId) => people.loggedIn(loginId);

  /** Orders made over the API (as an ERP would), to have something to approve. The maker's API session ends their browser's. */
  async function ordersByApi(maker: GraphqlClient, amounts: number[]): Promise<number[]> {
    const accountId: number = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    const ids: number[] = [];
    for (const amount of amounts) {
      const made = await maker.query(CREATE_TRANSFER, { input: transferInput(accountId, amount), pw: confirmation('user01') });
      expect(made.body.errors).toBeUndefined();
      ids.push(made.body.data.createTransfer.id);
    }
    return ids;
  }

  const today = () => businessDate(gw.clock.now());

  it('a 総合振込 file: every problem by record and field in Japanese, then accepted with the confirmation password, approved from 承認待ち, its lines with bank names and its result file', async () => {
    const lines = bulkLines(25, (n) => 1_000 * n);
    const good = zenginFile(lines, monthDay(today()));
    // The same file with two mistakes: record 2 pays account 0000000, record 4 a bank that does not exist.
    const bad = Buffer.from(good);
    const record = (n: number) => (n - 1) * 122; // 120 bytes and CR LF each
    bad.write('0000000', record(2) + 43, 'latin1');
    bad.write('9999', record(4) + 1, 'latin1');

    const maker = await loggedIn('user01');
    const { page } = maker;
    await page.getByRole('link', { name: '総合振込の作成' }).click();
    await page
      .getByLabel('総合振込ファイル（全銀形式）')
      .setInputFiles({ name: '総合振込（誤りあり）.txt', mimeType: 'text/plain', buffer: bad });
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    const problems = page.getByTestId('bulk-problems');
    await problems.waitFor();
    expect(await page.getByRole('alert').first().locator('p').first().textContent()).toBe(
      '内容に誤りが2件あるため、受け付けませんでした（何も登録していません）。下の一覧の行と項目をご確認ください。',
    );
    const rows = await problems.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['2レコード目', '口座番号', '0000000', '口座番号は7桁の数字です（0000000は使えません）。'],
      ['4レコード目', '金融機関コード', '9999', '金融機関コードは、実在する金融機関の4桁の数字です。'],
    ]);
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'daily-01-bulk-problems');

    // The corrected file: accepted, waiting for approval.
    await page.getByRole('button', { name: '修正する' }).click();
    await page.getByLabel('総合振込ファイル（全銀形式）').setInputFiles({ name: '総合振込.txt', mimeType: 'text/plain', buffer: good });
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByText('総合振込.txt').waitFor();
    await screenshot(page, 'daily-02-bulk-confirm');
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    await page.getByRole('heading', { name: '総合振込の受付' }).waitFor();
    const accepted = (await page.getByText(/総合振込を受け付けました（受付番号 \d+）/).textContent())!;
    const bulkId = Number(accepted.match(/受付番号 (\d+)/)![1]);
    const summary = page.getByTestId(`summary-bulk-${bulkId}`);
    expect(await summary.getByTestId('order-status').textContent()).toBe('承認待ち');
    await summary.getByText('25件').waitFor();
    await summary.getByText('¥325,000').waitFor();
    await screenshot(page, 'daily-03-bulk-accepted');

    // The approver: counted on the top page, listed in 承認待ち with its count and total, approved from its details.
    const approver = await loggedIn('user02');
    const a = approver.page;
    expect(await a.getByTestId('pending-approvals').textContent()).toMatch(/承認待ちの振込が \d+件（うち総合振込 1件） あります。/);
    await a.getByRole('link', { name: '承認待ち一覧へ' }).click();
    const row = a.getByTestId(`order-bulk-${bulkId}`);
    await row.getByText('25件').waitFor();
    await row.getByText('¥325,000').waitFor();
    await row.getByRole('link', { name: `受付番号 ${bulkId} の詳細` }).click();
    await a.getByRole('heading', { name: `総合振込の詳細（受付番号 ${bulkId}）` }).waitFor();
    // The lines, 20 a page, with the directory's bank and branch names.
    const linesTable = a.getByRole('region', { name: '総合振込の明細' });
    await linesTable.getByText('1〜20件目を表示しています。').waitFor();
    expect(await linesTable.locator('tbody tr').count()).toBe(20);
    await screenshot(a, 'daily-04-bulk-detail');
    await linesTable.getByRole('button', { name: '次の明細' }).click();
    await linesTable.getByText('21〜25件目を表示しています。').waitFor();
    await a.getByRole('button', { name: '承認…' }).click();
    await a.getByLabel('確認用パスワード').fill(confirmation('user02'));
    await a.getByRole('button', { name: '承認する' }).click();
    await a.getByText(`受付番号 ${bulkId} を承認しました（状態: 実行済み）。`).waitFor();

    // The result file: a plain link, authorised by the session cookie.
    const [download] = await Promise.all([a.waitForEvent('download'), a.getByRole('link', { name: '結果ファイルをダウンロード' }).click()]);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-result-'));
    await download.saveAs(path.join(folder, 'result.csv'));
    // Shift_JIS with Japanese headers, as accounting software imports it.
    const csv = iconv
      .decode(fs.readFileSync(path.join(folder, 'result.csv')), 'shift_jis')
      .trim()
      .split(/\r?\n/);
    fs.rmSync(folder, { recursive: true });
    expect(csv.length).toBe(26);
    expect(csv[1]).toContain('振込済');
    expectOnlyGateway(maker, origins());
    expectOnlyGateway(approver, origins());
  });

  it('一括承認: several orders with one confirmation password, each decided on its own; a wrong password stops at once', async () => {
    const maker = await sessionAs(gw, 'user01');
    const ids = await ordersByApi(maker, [11_000, 12_000, 13_000]);
    const approver = await loggedIn('user02');
    const { page } = approver;
    await page.getByRole('link', { name: '承認待ち一覧', exact: true }).click();
    const chooseAll = async () => {
      for (const id of ids) await page.getByLabel(`受付番号 ${id}（振込）を選択`).check();
      await page.getByText('選択: 3件（合計 ¥36,000）').waitFor();
    };
    await chooseAll();
    await screenshot(page, 'daily-05-approvals-chosen');

    // A wrong password: the first order is refused, the others are not even tried (one strike, not three).
    await page.getByLabel('確認用パスワード').fill('Wrong-confirmation-1');
    await page.getByRole('button', { name: '選択した3件を承認する' }).click();
    const outcomes = page.getByTestId('approval-outcomes');
    await outcomes.getByText('3件中 0件を承認しました。').waitFor();
    const result = (id: number) => outcomes.getByTestId(`outcome-single-${id}`).locator('td').nth(2).textContent();
    expect(await result(ids[0])).toMatch(/^承認できませんでした: パスワードが正しくありません。あと5回続けて誤ると/);
    expect(await result(ids[1])).toBe('未処理（確認用パスワードの誤りなどにより中止しました）');
    expect(await result(ids[2])).toBe('未処理（確認用パスワードの誤りなどにより中止しました）');
    await page.getByTestId(`order-single-${ids[2]}`).waitFor();

    // Meanwhile the maker withdraws the third, which the approver's page still lists.
    const withdrawn = await maker.query(
      'mutation($id: Int!, $pw: String!) { cancelTransfer(transferId: $id, confirmationPassword: $pw) { status } }',
      { id: ids[2], pw: confirmation('user01') },
    );
    expect(withdrawn.body.data.cancelTransfer.status).toBe('CANCELLED');

    // The right password: each order decided on its own — two approved, the withdrawn one refused in words.
    await chooseAll();
    await page.getByLabel('確認用パスワード').fill(confirmation('user02'));
    await page.getByRole('button', { name: '選択した3件を承認する' }).click();
    await outcomes.getByText('3件中 2件を承認しました。').waitFor();
    expect(await result(ids[0])).toBe('承認しました（状態: 実行済み）');
    expect(await result(ids[1])).toBe('承認しました（状態: 実行済み）');
    expect(await result(ids[2])).toBe(
      '承認できませんでした: この振込は、すでに承認・差戻し・予約取消・実行のいずれかが済んでいるため、この操作はできません。最新の状態をご確認ください。',
    );
    await page.getByText('承認を待っている振込はありません。').waitFor();
    await screenshot(page, 'daily-05-bulk-approval-result');
    expectOnlyGateway(approver, origins());
  });

  it('振込結果照会 by 受付番号, kind and status; 予約取消 by the maker; the 受付票 prints alone', async () => {
    const [pendingId] = await ordersByApi(await sessionAs(gw, 'user01'), [21_000]);
    const maker = await loggedIn('user01');
    const { page } = maker;
    await page.getByRole('link', { name: '振込結果照会' }).click();
    await page.getByRole('button', { name: '検索' }).waitFor();
    // Both kinds are listed by default; 総合振込 only, then 承認待ち only.
    await page.getByTestId(`order-single-${pendingId}`).waitFor();
    await page.getByRole('combobox', { name: '種類' }).selectOption({ label: '総合振込' });
    await page.getByRole('button', { name: '検索' }).click();
    await page.getByTestId(`order-single-${pendingId}`).waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid^="order-bulk-"]').count()).toBe(1);
    await page.getByRole('combobox', { name: '種類' }).selectOption({ label: 'すべて' });
    await page.getByRole('combobox', { name: '状態' }).selectOption({ label: '承認待ち' });
    await page.getByRole('button', { name: '検索' }).click();
    await page.locator('[data-testid^="order-bulk-"]').waitFor({ state: 'detached' });
    expect(await page.locator('table.orders tbody tr').count()).toBe(1);
    await screenshot(page, 'daily-06-search');

    // By 受付番号, typed with the IME on.
    await page.getByRole('combobox', { name: '状態' }).selectOption({ label: 'すべて' });
    await page
      .getByRole('textbox', { name: /^受付番号/ })
      .fill(String(pendingId).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)));
    await page.getByRole('button', { name: '検索' }).click();
    await page.getByText('1件。受付番号を押すと').waitFor();
    await page.getByRole('link', { name: `受付番号 ${pendingId} の詳細` }).click();

    // The 受付票: printed, only the sheet shows.
    const receipt = page.getByRole('region', { name: '受付票' });
    await receipt.getByText('¥21,000').waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await receipt.isVisible()).toBe(true);
    for (const hidden of [page.getByRole('navigation', { name: 'メニュー' }), page.getByRole('button', { name: '受付票を印刷する' })])
      expect(await hidden.isVisible()).toBe(false);
    await screenshot(page, 'daily-07-receipt-print');
    await page.emulateMedia({ media: 'screen' });

    // 予約取消 by the maker, with the confirmation password.
    await page.getByRole('button', { name: '予約取消…' }).click();
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '予約取消する' }).click();
    await page.getByText(`受付番号 ${pendingId} の予約を取り消しました（状態: 予約取消済み）。`).waitFor();
    // The page reads the order again: the 受付票 shows the new status and 予約取消 is no longer offered.
    await receipt.getByTestId('order-status').filter({ hasText: '予約取消済み' }).waitFor();
    await page.getByRole('button', { name: '予約取消…' }).waitFor({ state: 'detached' });
    expectOnlyGateway(maker, origins());
  });

  it("the administrator cancels an order by 受付番号 they cannot list; the operator's list says who stopped a contract and why", async () => {
    const [orderId] = await ordersByApi(await sessionAs(gw, 'user01'), [31_000]);
    const admin = await loggedIn('admin01');
    await admin.page.getByRole('link', { name: '予約取消' }).click();
    await admin.page.getByLabel('受付番号').fill(String(orderId));
    await admin.page.getByLabel('確認用パスワード').fill(confirmation('admin01'));
    await admin.page.getByRole('button', { name: '予約を取り消す' }).click();
    await admin.page.getByText(`受付番号 ${orderId}（振込）の予約を取り消しました（状態: 予約取消済み）。`).waitFor();
    // An order that ran cannot be withdrawn: said in words.
    await admin.page.getByLabel('受付番号').fill(String(orderId));
    await admin.page.getByLabel('確認用パスワード').fill(confirmation('admin01'));
    await admin.page.getByRole('button', { name: '予約を取り消す' }).click();
    await admin.page.getByText('この振込は、すでに承認・差戻し・予約取消・実行のいずれかが済んでいるため').waitFor();

    // The IP allow-list page names the address this session logged in from.
    await admin.page.getByRole('link', { name: '接続元IPアドレス制限' }).click();
    const address = admin.page.getByTestId('current-address');
    await address.filter({ hasText: '127.0.0.1' }).waitFor();
    expect(await address.textContent()).toBe('現在の接続元: 127.0.0.1（今回ログインした時のアドレス）');

    // 緊急停止 by the administrator (over the API), then the bank's list.
    const stopped = await (await sessionAs(gw, 'admin01')).query('mutation { emergencyStop(reason: "端末の紛失") { status } }');
    expect(stopped.body.data.emergencyStop.status).toBe('STOPPED');
    const operator = await loggedIn('operator01');
    await operator.page.getByRole('link', { name: '契約一覧', exact: true }).click();
    const row = operator.page.getByTestId('contract-DEMO0001');
    expect(await row.getByTestId('stop-facts').textContent()).toBe('停止した人: admin01／理由: 端末の紛失');
    await screenshot(operator.page, 'daily-08-operator-stop-facts');
    const operatorApi = await sessionAs(gw, 'operator01');
    const contractId: number = (await operatorApi.query('{ contracts { id code } }')).body.data.contracts.find(
      (c: any) => c.code === 'DEMO0001',
    ).id;
    const resumed = await operatorApi.query(
      'mutation($id: Int!, $pw: String!) { resumeContract(contractId: $id, note: "来店確認済み", confirmationPassword: $pw) { status } }',
      { id: contractId, pw: confirmation('operator01') },
    );
    expect(resumed.body.data.resumeContract.status).toBe('ACTIVE');
  });

  it('a login elsewhere with the same ID is named as such, not as a timeout', async () => {
    const first = await loggedIn('user02');
    await sessionAs(gw, 'user02');
    await first.page.getByRole('link', { name: '口座一覧・残高' }).click();
    await first.page.getByText('別の場所で同じIDでログインされました。').waitFor();
    await first.page.getByRole('heading', { name: 'ログイン' }).waitFor();
    expect(await first.page.title()).toBe('ログイン — 法人インターネットバンキング');
  });

  it('keyboard only: a transfer typed with the IME on (full-width digits, hyphens) and its approval', async () => {
    const maker = await loggedIn('user01');
    const { page } = maker;
    const tabTo = (name: string) => tabUntil(page, name);
    // The skip link first, then the menu.
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('本文へ移動');
    await tabTo('振込の作成');
    await page.keyboard.press('Enter');
    // Focus moves to the new page's heading, not left in the menu.
    await page.getByRole('heading', { name: '振込の作成' }).waitFor();
    expect(await focusedName(page)).toBe('振込の作成');
    expect(await page.title()).toBe('振込の作成 — 法人インターネットバンキング');
    // The bank by its reading: typed, then its candidate chosen with Tab and Enter.
    await tabTo('金融機関名で検索');
    await page.keyboard.type('みついすみとも');
    await page.getByRole('button', { name: '0009 三井住友（ミツイスミトモ）' }).waitFor();
    await tabTo('0009 三井住友（ミツイスミトモ）');
    await page.keyboard.press('Enter');
    await page.getByTestId('bank-name').filter({ hasText: '三井住友（ミツイスミトモ）' }).waitFor();
    await tabTo('支店番号');
    await page.keyboard.type('１２３');
    await page.getByTestId('branch-name').filter({ hasText: '立売堀（イタチボリ）' }).waitFor();
    await tabTo('口座番号');
    await page.keyboard.type('765-4321');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ｶ)ﾃﾞﾓ ｼｮｳｼﾞ');
    // 振込指定日 stays today; the amount next.
    await tabTo('振込金額（円）');
    await page.keyboard.type('４１，０００');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '振込内容の確認' }).waitFor();
    expect(await page.getByTestId('summary-bank').textContent()).toBe('三井住友（0009）');
    expect(await page.getByTestId('summary-branch').textContent()).toBe('立売堀（123）');
    expect(await page.getByTestId('summary-account').textContent()).toBe('普通 7654321');
    expect(await page.getByTestId('summary-payee-name').textContent()).toBe('カ)デモ シヨウジ');
    await page.getByText('¥41,000').waitFor();
    await tabTo('確認用パスワード');
    await page.keyboard.type(confirmation('user01'));
    await page.keyboard.press('Enter');
    const id = Number(
      (await page
        .getByText(/受付番号 \d+/)
        .first()
        .textContent())!.match(/受付番号 (\d+)/)![1],
    );

    const approver = await loggedIn('user02');
    const a = approver.page;
    await a.keyboard.press('Tab');
    await tabUntil(a, '承認待ち一覧');
    await a.keyboard.press('Enter');
    await a.getByTestId(`order-single-${id}`).waitFor();
    await tabUntil(a, `受付番号 ${id}（振込）を選択`);
    await a.keyboard.press('Space');
    await tabUntil(a, '確認用パスワード');
    await a.keyboard.type(confirmation('user02'));
    await a.keyboard.press('Enter');
    await a.getByTestId(`outcome-single-${id}`).getByText('承認しました（状態: 実行済み）').waitFor();
    expectOnlyGateway(maker, origins());
    expectOnlyGateway(approver, origins());
  });

  it('every page, as every role: a title, Japanese only (no English word that is not a code or ID) and no serious or critical axe-core finding', async () => {
    const findings: PageFinding[] = [];
    for (const loginId of ['user01', 'user02', 'admin01', 'operator01'] as const) {
      const { page } = await loggedIn(loginId);
      const links = await menuLinks(page);
      // An order's details too, for those who may read orders.
      if (loginId === 'user01' || loginId === 'user02') links.push('#/transfers/bulk/1');
      findings.push(...(await pageFindings(page, gw.apiOrigin, loginId, links)));
    }
    expect(findings).toEqual([]);
  });

  it('a user without 利用口座 is told why the lists are empty and whom to ask', async () => {
    await withoutAccounts(gw, 'user01', async () => {
      const { page } = await loggedIn('user01');
      await page.getByTestId('no-accounts').waitFor();
      for (const name of ['振込の作成', '総合振込の作成', '口座一覧・残高']) {
        await page.getByRole('link', { name, exact: true }).click();
        await page.getByRole('heading', { name, exact: true }).waitFor();
        expect(await page.getByRole('main').getByTestId('no-accounts').textContent()).toBe(
          '利用口座が設定されていません。管理者にご依頼ください。',
        );
      }
      await screenshot(page, 'daily-09-no-accounts');
    });
  });
});

/** The accessible name of the focused element (its label, or its text). */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as any).document.activeElement;
    if (!el) return '';
    const label = el.labels?.[0]?.querySelector('.label')?.textContent;
    return (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim();
  });
}

/** Presses Tab until the element with this accessible name has the focus (at most 60 times). */
async function tabUntil(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await focusedName(page)) === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}; last focused: ${await focusedName(page)}`);
}
