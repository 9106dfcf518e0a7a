import fs from 'node:fs';
import iconv from 'iconv-lite';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { SALARY_FILE_RULE } from '../../web/src/common/labels';
import { bulkLines, monthDay, zenginFile } from '../helpers/banking';
import { expectOnlyGateway, latinWords, screenshot } from '../helpers/browser';
import { BrowserPeople, menuLinks, pageFindings, withoutAccounts } from '../helpers/browser-work';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

// One file on purpose: the tests share one gateway, one certificate policy and run one after another.

const SET_PERMISSIONS = `mutation($u: Int!, $p: [Permission!]!, $pw: String!) {
  setUserPermissions(userId: $u, permissions: $p, confirmationPassword: $pw) { id }
}`;
const SET_SETTINGS = `mutation($c: Int!, $s: ContractTransferSettingsInput!, $pw: String!) {
  setContractTransferSettings(contractId: $c, settings: $s, note: "給与振込契約", confirmationPassword: $pw) { dailySalaryTransferLimit }
}`;

/**
 * Issue 18, items 1 and 5: 給与・賞与振込 in the browser — made by 経理 (SALARY_TRANSFER) from a
 * Zengin 種別 11 file or from lines, approved by the 承認者 (SALARY_APPROVAL) in 承認待ち with
 * 一括承認, found in 振込結果照会, withdrawn (予約取消) — and the files of the pages that show the
 * data: 入出金明細 as CSV (Shift_JIS, UTF-8) and 全銀形式, a 総合振込's or 給与・賞与振込's result as CSV, fetched
 * through the page's own link. The payday is five bank business days ahead of the gateway's day,
 * so its deadline (three business days before it) is still ahead whatever day and hour this runs.
 */
describe('給与・賞与振込 and downloads in the browser', () => {
  let gw: TestGateway;
  let people: BrowserPeople;
  let payday: string;

  beforeAll(async () => {
    // No cut-off: an approved 総合振込 runs at once, and the deadline is the end of its day.
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    people = new BrowserPeople(gw);
    payday = [1, 2, 3, 4, 5].reduce((day) => nextBusinessDay(day), businessDate(gw.clock.now()));
    // The payroll staff: 経理 太郎 makes salary runs too, 経理部長 次郎 approves them.
    const admin = await sessionAs(gw, 'admin01');
    const users: Array<{ id: number; loginId: string }> = (await admin.query('{ users { id loginId } }')).body.data.users;
    const grant = async (loginId: string, permissions: string[]) => {
      const id = users.find((u) => u.loginId === loginId)!.id;
      const set = await admin.query(SET_PERMISSIONS, { u: id, p: permissions, pw: confirmation('admin01') });
      expect(set.body.errors).toBeUndefined();
    };
    await grant('user01', ['ACCOUNT_INQUIRY', 'TRANSFER', 'SALARY_TRANSFER']);
    await grant('user02', ['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL', 'SALARY_APPROVAL']);
    // The bank opens the 給与振込 service for the contract, with its own daily limit.
    const operator = await sessionAs(gw, 'operator01');
    const contract = (await operator.query('{ contracts { id code dailyTransferLimit requiresApproval } }')).body.data.contracts.find(
      (c: { code: string }) => c.code === 'DEMO0001',
    );
    const settings = { dailyTransferLimit: contract.dailyTransferLimit, requiresApproval: contract.requiresApproval };
    const opened = await operator.query(SET_SETTINGS, {
      c: contract.id,
      s: { ...settings, dailySalaryTransferLimit: 50_000_000 },
      pw: confirmation('operator01'),
    });
    expect(opened.body.data.setContractTransferSettings.dailySalaryTransferLimit).toBe(50_000_000);
  });
  afterAll(async () => {
    await people?.close();
    await gw?.stop();
  });

  const origins = () => [gw.apiOrigin, gw.enrollOrigin];
  const confirmation = (loginId: DemoLoginId) => gw.credentials(loginId).confirmationPassword;
  const salaryIds: number[] = [];

  /** The 受付番号 the page has just accepted. */
  const acceptedId = async (page: Page) =>
    Number((await page.getByText(/給与・賞与振込を受け付けました（受付番号 \d+）/).textContent())!.match(/受付番号 (\d+)/)![1]);

  it('a 給与振込 file: a 総合振込 file is refused in words naming 種別コード, the 種別 11 file is accepted with its payday, debit date and deadline', async () => {
    const lines = bulkLines(3, (n) => 200_000 + n);
    const maker = await people.loggedIn('user01');
    const { page } = maker;
    await page.getByRole('link', { name: '給与・賞与振込の作成' }).click();
    await page.getByRole('heading', { name: '給与・賞与振込の作成' }).waitFor();
    // The payday, the debit date and the deadline are explained before anything is chosen.
    const rules = (await page.getByTestId('payday-rules').textContent())!;
    expect(rules).toContain('振込指定日の前営業日に合計額を引き落とします');
    expect(rules).toContain('受付期限');
    await screenshot(page, 'salary-01-new');

    // A 総合振込 file (種別 21) here: nothing registered, the problem said for a salary file.
    await page.getByLabel('給与・賞与振込ファイル（全銀形式）').setInputFiles({
      name: '総合振込.txt',
      mimeType: 'text/plain',
      buffer: zenginFile(lines, monthDay(payday), '21'),
    });
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    const problems = page.getByTestId('bulk-problems');
    const rows = async () =>
      problems.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    await problems.waitFor();
    expect(await rows()).toEqual([['1レコード目', '種別コード', '21', SALARY_FILE_RULE.typeCode]]);
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'salary-02-problems');

    // The 給与振込 file: accepted, waiting for approval, with the dates of its payday.
    await page.getByRole('button', { name: '修正する' }).click();
    await page.getByLabel('給与・賞与振込ファイル（全銀形式）').setInputFiles({
      name: '給与振込.txt',
      mimeType: 'text/plain',
      buffer: zenginFile(lines, monthDay(payday), '11'),
    });
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    await page.getByRole('heading', { name: '給与・賞与振込の受付' }).waitFor();
    const id = await acceptedId(page);
    salaryIds.push(id);
    const summary = page.getByTestId(`summary-salary-${id}`);
    const row = async (term: string) =>
      summary
        .locator('div', { has: page.locator('dt', { hasText: term }) })
        .locator('dd')
        .textContent();
    expect(await row('区分')).toBe('給与');
    expect(await row('振込指定日（支給日）')).toBe(payday.replaceAll('-', '/'));
    // The debit date: the business day before the payday.
    const before = [1, 2, 3, 4].reduce((day) => nextBusinessDay(day), businessDate(gw.clock.now()));
    expect(await row('引落日（前営業日）')).toBe(before.replaceAll('-', '/'));
    expect(await row('受付期限（承認の締切）')).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await summary.getByTestId('order-status').textContent()).toBe('承認待ち');
    await summary.getByText('¥600,006').waitFor();
    await screenshot(page, 'salary-03-accepted');
    expectOnlyGateway(maker, origins());
  });

  it('a 賞与振込 typed as lines; the approver counts both on the top page, approves them together and finds them in 振込結果照会; the maker withdraws one', async () => {
    const maker = await people.loggedIn('user01');
    const { page } = maker;
    await page.getByRole('link', { name: '給与・賞与振込の作成' }).click();
    await page.getByLabel('画面で入力する').check();
    await page.getByRole('combobox', { name: '区分' }).selectOption({ label: '賞与' });
    await page.getByLabel('振込指定日（支給日）').fill(payday);
    await page
      .getByLabel('明細（1行に1件）')
      .fill('0009, 123, 普通, 7654321, ｶﾞｲｺｸ ﾀﾛｳ, 500000\n0009, 123, 普通, 7654322, ｹｲﾘ ﾊﾅｺ, 450000');
    await page.getByTestId('lines-summary').getByText('2件、合計 ¥950,000').waitFor();
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByRole('heading', { name: '給与・賞与振込の確認' }).waitFor();
    await page.getByText(payday.replaceAll('-', '/')).waitFor();
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    await page.getByRole('heading', { name: '給与・賞与振込の受付' }).waitFor();
    const bonusId = await acceptedId(page);
    salaryIds.push(bonusId);
    expect(await page.getByTestId(`summary-salary-${bonusId}`).locator('dd').nth(4).textContent()).toBe(payday.replaceAll('-', '/'));

    const approver = await people.loggedIn('user02');
    const a = approver.page;
    expect(await a.getByTestId('pending-approvals').textContent()).toBe(
      '承認待ちの振込が 2件（うち給与・賞与振込 2件） あります。 承認待ち一覧へ',
    );
    await a.getByRole('link', { name: '承認待ち一覧へ' }).click();
    for (const id of salaryIds) await a.getByLabel(`受付番号 ${id}（給与・賞与振込）を選択`).check();
    await a.getByText('選択: 2件（合計 ¥1,550,006）').waitFor();
    await screenshot(a, 'salary-04-approvals');
    await a.getByLabel('確認用パスワード').fill(confirmation('user02'));
    await a.getByRole('button', { name: '選択した2件を承認する' }).click();
    const outcomes = a.getByTestId('approval-outcomes');
    await outcomes.getByText('2件中 2件を承認しました。').waitFor();
    for (const id of salaryIds) {
      expect(await outcomes.getByTestId(`outcome-salary-${id}`).locator('td').nth(2).textContent()).toBe(
        '承認しました（状態: 予約中（指定日に実行））',
      );
    }

    // 振込結果照会, 給与・賞与振込 only: both, waiting for the debit date.
    await a.getByRole('link', { name: '振込結果照会' }).click();
    await a.getByRole('combobox', { name: '種類' }).selectOption({ label: '給与・賞与振込' });
    await a.getByRole('button', { name: '検索' }).click();
    await a.getByText('2件。受付番号を押すと').waitFor();
    expect(await a.locator('table.orders tbody tr').count()).toBe(2);
    await screenshot(a, 'salary-05-search');

    // The maker withdraws the bonus run from its details; its lines show the directory's names.
    await page.getByRole('link', { name: '明細と受付票を見る' }).click();
    await page.getByRole('heading', { name: `給与・賞与振込の詳細（受付番号 ${bonusId}）` }).waitFor();
    const lines = page.getByRole('region', { name: '給与・賞与振込の明細' });
    await lines.getByText('1〜2件目を表示しています。').waitFor();
    expect(await lines.locator('tbody tr').first().locator('td').nth(5).textContent()).toBe('ガイコク タロウ');
    await screenshot(page, 'salary-06-detail');
    // Its result file, through the page's link: the payday as 振込指定日, waiting for its debit date.
    const result = iconv
      .decode(await downloaded(page, page.getByRole('link', { name: '結果ファイルをダウンロード' })), 'shift_jis')
      .trim()
      .split('\r\n');
    expect(result.slice(1).map((row) => row.split(',').slice(7, 14))).toEqual([
      ['ガイコク タロウ', '500000', '', '', '', '予約中', payday.replaceAll('-', '/')],
      ['ケイリ ハナコ', '450000', '', '', '', '予約中', payday.replaceAll('-', '/')],
    ]);
    await page.getByRole('button', { name: '予約取消…' }).click();
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '予約取消する' }).click();
    await page.getByText(`受付番号 ${bonusId} の予約を取り消しました（状態: 予約取消済み）。`).waitFor();
    expectOnlyGateway(maker, origins());
    expectOnlyGateway(approver, origins());
  });

  it('入出金明細 as CSV (Shift_JIS, UTF-8) and 全銀形式, and a 総合振込 result, each through the link on its page', async () => {
    // A 総合振込 that ran today: a movement on the statement and a result to fetch.
    const bulkId = await executedBulkTransfer(await sessionAs(gw, 'user01'), await sessionAs(gw, 'user02'));
    const { page } = await people.loggedIn('user01');
    await page.getByRole('link', { name: '入出金明細' }).click();
    const files = page.getByRole('group', { name: '入出金明細のダウンロード' });
    const fetchFile = async (format: string, link: string) => {
      await files.getByRole('combobox', { name: 'ファイルの形式' }).selectOption({ label: format });
      return downloaded(page, page.getByRole('link', { name: link }));
    };
    await screenshot(page, 'download-01-statement');

    const shiftJis = iconv
      .decode(await fetchFile('CSV（シフトJIS・表計算ソフトや会計ソフト向け）', '入出金明細をダウンロード'), 'shift_jis')
      .split('\r\n');
    expect(shiftJis[0]).toBe('日付,摘要,お支払金額,お預り金額,残高,照会番号');
    expect(shiftJis.some((row) => row.includes('総合振込') && row.includes(',3000,'))).toBe(true);
    const utf8 = (await fetchFile('CSV（UTF-8）', '入出金明細をダウンロード')).toString('utf8').split('\r\n');
    expect(utf8).toEqual(shiftJis);
    const zengin = iconv.decode(await fetchFile('全銀形式（入出金取引明細）', '入出金明細をダウンロード'), 'shift_jis');
    const records = zengin.split('\r\n').filter(Boolean);
    expect(records.map((r) => r.length)).toEqual(records.map(() => 200));
    expect(records[0].slice(0, 3)).toBe('103');
    expect(records.at(-1)![0]).toBe('9');

    // The 総合振込's result, in UTF-8 this time.
    await page.goto(`${gw.apiOrigin}/#/transfers/bulk/${bulkId}`);
    const result = page.getByRole('group', { name: '結果ファイルのダウンロード' });
    await result.getByRole('combobox', { name: 'ファイルの形式' }).selectOption({ label: 'CSV（UTF-8）' });
    await screenshot(page, 'download-02-result');
    const csv = (await downloaded(page, page.getByRole('link', { name: '結果ファイルをダウンロード' })))
      .toString('utf8')
      .trim()
      .split('\r\n');
    expect(csv[0].startsWith('明細番号,銀行コード,銀行名')).toBe(true);
    expect(csv.slice(1).map((row) => row.split(',')[12])).toEqual(['振込済', '振込済', '振込済']);
  });

  it('the salary pages, as the maker and the approver: a title, Japanese only and no serious or critical axe-core finding', async () => {
    const findings = [];
    for (const loginId of ['user01', 'user02'] as const) {
      const { page } = await people.loggedIn(loginId);
      const links = [...(await menuLinks(page)), `#/transfers/salary/${salaryIds[0]}`];
      expect(links).toContain(loginId === 'user01' ? '#/salary-transfers/new' : '#/approvals');
      findings.push(...(await pageFindings(page, gw.apiOrigin, loginId, links)));
    }
    expect(findings).toEqual([]);
  });

  it("a payroll clerk without 利用口座 is told why, on the salary page and the statement; the new user's sheet names the 電子証明書取得 page", async () => {
    await withoutAccounts(gw, 'user01', async () => {
      const { page } = await people.loggedIn('user01');
      for (const name of ['給与・賞与振込の作成', '入出金明細']) {
        await page.getByRole('link', { name, exact: true }).click();
        await page.getByRole('heading', { name, exact: true }).waitFor();
        expect(await page.getByRole('main').getByTestId('no-accounts').textContent()).toBe(
          '利用口座が設定されていません。管理者にご依頼ください。',
        );
      }
      // No file to offer for an account the user does not have.
      expect(await page.getByRole('group', { name: '入出金明細のダウンロード' }).count()).toBe(0);
    });

    const { page } = await people.loggedIn('admin01');
    await page.getByRole('link', { name: '利用者の登録' }).click();
    await page.getByLabel('ログインID').fill('payroll01');
    await page.getByLabel('氏名').fill('給与 担当');
    await page.getByLabel('給与・賞与振込（作成）').check();
    await page.getByLabel('確認用パスワード（管理者）').fill(confirmation('admin01'));
    await page.getByRole('button', { name: '登録する' }).click();
    const sheet = page.getByRole('region', { name: '給与 担当（payroll01）様 ご利用開始のご案内' });
    const enrollment = sheet.locator('div', { has: page.locator('dt', { hasText: '電子証明書取得ページ' }) }).locator('dd');
    expect(await enrollment.textContent()).toBe(`${gw.enrollOrigin}/`);
  });

  /** A 総合振込 of three lines (¥1,000 + ¥2,000 + ¥3,000) made over the API and approved: it runs at once. */
  async function executedBulkTransfer(maker: GraphqlClient, approver: GraphqlClient): Promise<number> {
    const accountId: number = (await maker.query('{ accounts { id } }')).body.data.accounts[0].id;
    const made = await maker.query(
      'mutation($l: [BulkTransferLineInput!]!, $a: Int!, $pw: String!) { createBulkTransfer(lines: $l, fromAccountId: $a, confirmationPassword: $pw) { id } }',
      { l: bulkLines(3, (n) => 1_000 * n), a: accountId, pw: confirmation('user01') },
    );
    const id: number = made.body.data.createBulkTransfer.id;
    const approved = await approver.query(
      'mutation($id: Int!, $pw: String!) { approveBulkTransfer(bulkTransferId: $id, confirmationPassword: $pw) { status } }',
      { id, pw: confirmation('user02') },
    );
    expect(approved.body.data.approveBulkTransfer.status).toBe('EXECUTED');
    return id;
  }
});

/** Clicks a download link and returns the file's bytes as the browser saved them. */
async function downloaded(page: Page, link: ReturnType<Page['getByRole']>): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-download-'));
  try {
    await download.saveAs(path.join(folder, 'file'));
    return fs.readFileSync(path.join(folder, 'file'));
  } finally {
    fs.rmSync(folder, { recursive: true });
  }
}
