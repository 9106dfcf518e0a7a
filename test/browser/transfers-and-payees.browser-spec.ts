import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { addDays } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { demoPaths } from '../../src/demo/demo-data';
import { CertificatePolicy, Pc, expectOnlyGateway, latinWords, openBrowser, screenshot, type Session } from '../helpers/browser';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

// One file on purpose: the tests share one gateway and one certificate policy and run one after another.

/**
 * 振込の作成 as a company's 経理 does it in headless Chromium: to a payee from 振込先登録, or typed
 * by hand with 金融機関検索 by name or reading and digits typed with the IME on; the confirmation
 * page shows what will be sent; a refused 振込指定日 is said in Japanese. And 振込先登録 itself:
 * register, change, delete, every problem next to its field.
 */
describe('振込の作成 and 振込先登録 in the browser', () => {
  let gw: TestGateway;
  let policy: CertificatePolicy;
  let admin: GraphqlClient;
  const pcs: Pc[] = [];
  const sessions: Session[] = [];
  const PAYEES = '{ payees(first: 100) { items { id nickname bankCode branchCode accountType accountNumber payeeName } } }';

  beforeAll(async () => {
    // Any day may be asked for, whatever day and hour the tests run: no cut-off and no closed days.
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    policy = CertificatePolicy.install();
    // 経理 太郎 (user01) is also given 振込先登録, as an administrator does for the person who keeps the payees.
    admin = await sessionAs(gw, 'admin01');
    const users: Array<{ id: number; loginId: string; permissions: string[] }> = (await admin.query('{ users { id loginId permissions } }'))
      .body.data.users;
    const user01 = users.find((u) => u.loginId === 'user01')!;
    const granted = await admin.query(
      'mutation($u: Int!, $p: [Permission!]!, $pw: String!) { setUserPermissions(userId: $u, permissions: $p, confirmationPassword: $pw) { id } }',
      { u: user01.id, p: [...user01.permissions, 'PAYEE_MANAGEMENT'], pw: gw.credentials('admin01').confirmationPassword },
    );
    expect(granted.body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.browser.close().catch(() => undefined)));
    pcs.forEach((pc) => pc.remove());
    policy?.remove();
    await gw?.stop();
  });

  const origins = () => [gw.apiOrigin, gw.enrollOrigin];
  const confirmation = (loginId: DemoLoginId) => gw.credentials(loginId).confirmationPassword;
  const today = () => businessDate(gw.clock.now());
  const slashed = (day: string) => day.replaceAll('-', '/');

  async function loggedIn(loginId: DemoLoginId): Promise<Session> {
    const pc = Pc.create(gw.caPem);
    pcs.push(pc);
    pc.importP12(demoPaths(gw.config.pki.certsDir, loginId).p12, gw.credentials(loginId).p12Password);
    const session = await openBrowser(pc);
    sessions.push(session);
    await session.page.goto(`${gw.apiOrigin}/`);
    await session.page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials(loginId).loginPassword);
    await session.page.getByRole('button', { name: 'ログイン' }).click();
    await session.page.getByRole('heading', { name: 'トップ' }).waitFor();
    return session;
  }

  /** The page has a title, shows no English word and has no serious or critical axe-core finding. */
  async function expectJapaneseAndAccessible(page: Page, where: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    expect({ where, english: latinWords(await page.locator('body').innerText()) }).toEqual({ where, english: [] });
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations: Array<{ id: string; impact: string | null }> = await page.evaluate(async () => {
      const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({ id: v.id, impact: v.impact }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    expect({ where, serious }).toEqual({ where, serious: [] });
  }

  /** The approver's API session, who reads every transfer of the contract (the maker's own would end their browser's). */
  let approverClient: GraphqlClient | null = null;
  const approver = async () => (approverClient ??= await sessionAs(gw, 'user02'));

  /** The transfer the page says it accepted, as the API has it. */
  async function acceptedTransfer(page: Page) {
    const text = (await page.getByText(/振込を受け付けました（受付番号 \d+）/).textContent())!;
    const id = Number(text.match(/受付番号 (\d+)/)![1]);
    const answer = await (
      await approver()
    ).query(
      `query($id: Int!) { transfer(id: $id) { id payeeId destinationBankCode destinationBranchCode destinationAccountType
        destinationAccountNumber payeeName requestedDate amount } }`,
      { id },
    );
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data.transfer;
  }

  it('振込先登録: registered with 金融機関検索 by reading, each problem said next to its field, found, changed and deleted after a second look', async () => {
    const { page } = await loggedIn('user01');
    await page.getByRole('link', { name: '振込先の登録' }).click();
    await page.getByRole('heading', { name: '振込先の登録' }).waitFor();
    await expectJapaneseAndAccessible(page, 'payee form');

    await page.getByLabel('登録名').fill('東京商事');
    await page.getByLabel('金融機関名で検索').fill('みついすみとも');
    await page.getByRole('list', { name: '金融機関の候補' }).getByRole('button', { name: '0009 三井住友（ミツイスミトモ）' }).click();
    await page.getByTestId('bank-name').filter({ hasText: '三井住友（ミツイスミトモ）' }).waitFor();
    expect(await page.getByLabel('金融機関コード').inputValue()).toBe('0009');
    await page.getByLabel('支店名で検索').fill('ｲﾀﾁﾎﾞﾘ');
    await page.getByRole('button', { name: '123 立売堀（イタチボリ）' }).click();
    await page.getByTestId('branch-name').filter({ hasText: '立売堀（イタチボリ）' }).waitFor();
    await page.getByLabel('口座番号').fill('１２３－４５６７');
    // ー is not a Zengin character: said at once, next to the field, before anything is sent.
    await page.getByLabel('受取人名（カナ）').fill('トウキョウ サービス');
    await page.getByText('長音「ー」は「-」').waitFor();
    await page.getByLabel('受取人名（カナ）').fill('ﾄｳｷｮｳ ｼｮｳｼﾞ');
    await page.getByText('金融機関に届く受取人名: トウキヨウ シヨウジ').waitFor();
    await screenshot(page, 'payee-form');
    await page.getByRole('button', { name: '登録する' }).click();
    expect(await page.getByTestId('payee-saved').textContent()).toBe('振込先「東京商事」を登録しました（受取人名: トウキヨウ シヨウジ）。');
    let payees = (await admin.query(PAYEES)).body.data.payees.items;
    expect(payees).toEqual([
      expect.objectContaining({
        nickname: '東京商事',
        bankCode: '0009',
        branchCode: '123',
        accountType: 'ORDINARY',
        accountNumber: '1234567',
        payeeName: 'トウキヨウ シヨウジ',
      }),
    ]);
    const id: number = payees[0].id;

    // The same account again: the server's refusal is said next to 口座番号, and nothing is registered.
    await page.getByRole('button', { name: '続けて登録する' }).click();
    await page.getByLabel('登録名').fill('東京商事（二重）');
    await page.getByLabel('金融機関コード').fill('０００９');
    await page.getByTestId('bank-name').filter({ hasText: '三井住友' }).waitFor();
    await page.getByLabel('支店番号').fill('１２３');
    await page.getByLabel('口座番号').fill('1234567');
    await page.getByLabel('受取人名（カナ）').fill('とうきょう しょうじ');
    await page.getByRole('button', { name: '登録する' }).click();
    const accountField = page.locator('label.field', { has: page.getByLabel('口座番号') });
    await accountField.locator('.field-error').filter({ hasText: 'まだ振込先に登録されていない口座かご確認ください' }).waitFor();
    await screenshot(page, 'payee-form-refused');
    expect((await admin.query(PAYEES)).body.data.payees.items.length).toBe(1);

    // Found by the name's reading in hiragana, changed, then deleted after a second look.
    await page.getByRole('link', { name: '振込先一覧' }).click();
    await page.getByLabel('登録名・受取人名・口座番号').fill('しょうじ');
    await page.getByRole('button', { name: '検索' }).click();
    const row = page.getByTestId(`payee-row-${id}`);
    await row.getByText('三井住友（0009） 立売堀（123）').waitFor();
    await expectJapaneseAndAccessible(page, 'payee list');
    await screenshot(page, 'payee-list');
    await row.getByRole('link', { name: '東京商事を変更' }).click();
    await page.getByRole('heading', { name: '振込先の変更' }).waitFor();
    expect(await page.getByLabel('口座番号').inputValue()).toBe('1234567');
    await expectJapaneseAndAccessible(page, 'payee change');
    await page.getByLabel('口座番号').fill('7654321');
    await page.getByRole('button', { name: '変更する' }).click();
    await page.getByText('振込先「東京商事」を変更しました').waitFor();
    payees = (await admin.query(PAYEES)).body.data.payees.items;
    expect(payees.map((p: any) => [p.id, p.accountNumber])).toEqual([[id, '7654321']]);

    await page.getByRole('link', { name: '振込先一覧へ' }).click();
    await page.getByTestId(`payee-row-${id}`).getByRole('button', { name: '東京商事を削除…' }).click();
    const question = page.getByRole('alertdialog', { name: '振込先の削除の確認' });
    await question.getByText('振込先「東京商事」を削除します。よろしいですか？').waitFor();
    await question.getByRole('button', { name: 'やめる' }).click();
    expect((await admin.query(PAYEES)).body.data.payees.items.length).toBe(1);
    await page.getByTestId(`payee-row-${id}`).getByRole('button', { name: '東京商事を削除…' }).click();
    await screenshot(page, 'payee-delete');
    await question.getByRole('button', { name: '削除する' }).click();
    await page.getByText('振込先「東京商事」を削除しました。').waitFor();
    await page.getByText('登録済みの振込先はありません。').waitFor();
    expect((await admin.query(PAYEES)).body.data.payees.items).toEqual([]);
  });

  it('a registered payee chosen by its reading: the confirmation shows bank and branch names with codes, and the transfer pays that destination', async () => {
    // Registered over the API first (an ERP could); the browser login below ends this session, one per user.
    const keeper = await sessionAs(gw, 'user01');
    const payee = await keeper.query('mutation($i: CreatePayeeInput!) { createPayee(input: $i) { id } }', {
      i: {
        nickname: '大阪物産',
        bankCode: '0009',
        branchCode: '123',
        accountType: 'CURRENT',
        accountNumber: '2345678',
        payeeName: 'ｵｵｻｶﾌﾞｯｻﾝ(ｶ',
      },
    });
    expect(payee.body.errors).toBeUndefined();
    const payeeId: number = payee.body.data.createPayee.id;

    const maker = await loggedIn('user01');
    const { page } = maker;
    await page.getByRole('link', { name: '振込の作成', exact: true }).click();
    // With payees registered, choosing one comes first.
    await page.getByRole('radio', { name: '登録済みの振込先から選ぶ' }).and(page.locator(':checked')).waitFor();
    await page.getByLabel('振込先を検索').fill('ぶっさん');
    await page.getByRole('button', { name: '大阪物産に振り込む' }).click();
    await page.getByTestId('chosen-payee').waitFor();
    await page.getByLabel('振込金額（円）').fill('５５，０００');
    await expectJapaneseAndAccessible(page, 'transfer to a payee');
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByRole('heading', { name: '振込内容の確認' }).waitFor();
    const summary = (testId: string) => page.getByTestId(testId).textContent();
    expect(await summary('summary-bank')).toBe('三井住友（0009）');
    expect(await summary('summary-branch')).toBe('立売堀（123）');
    expect(await summary('summary-account')).toBe('当座 2345678');
    expect(await summary('summary-payee-name')).toBe('オオサカブツサン(カ');
    expect(await summary('summary-date')).toBe(slashed(today()));
    await page.getByText('¥55,000').waitFor();
    await expectJapaneseAndAccessible(page, 'confirmation');
    await screenshot(page, 'transfer-payee-confirm');
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    expect(await acceptedTransfer(page)).toEqual({
      id: expect.any(Number),
      payeeId,
      destinationBankCode: '0009',
      destinationBranchCode: '123',
      destinationAccountType: 'CURRENT',
      destinationAccountNumber: '2345678',
      payeeName: 'オオサカブツサン(カ',
      requestedDate: today(),
      amount: 55_000,
    });
    // A payee's transfer offers no second registration.
    expect(await page.getByRole('form', { name: 'この振込先を登録' }).count()).toBe(0);
    expectOnlyGateway(maker, origins());
  });

  it('typed by hand: bank found by reading, an unknown code said in Japanese, 受取人名 confirmed as it will be sent, back keeps everything, a past date refused with the reason and the first possible date, then registered as a payee', async () => {
    const maker = await loggedIn('user01');
    const { page } = maker;
    await page.getByRole('link', { name: '振込の作成', exact: true }).click();
    await page.getByRole('radio', { name: '振込先を直接入力する' }).check();
    // An unknown code is said so, at once.
    await page.getByLabel('金融機関コード').fill('９９９９');
    await page.getByText('金融機関コード 9999 の金融機関はありません。').waitFor();
    await page.getByLabel('金融機関名で検索').fill('ショウワシンキン');
    await page.getByRole('button', { name: '1345 昭和信金（シヨウワシンキン）' }).click();
    await page.getByLabel('支店名で検索').fill('しんじゅく');
    await page.getByRole('button', { name: '002 新宿（シンジユク）' }).click();
    await page.getByTestId('branch-name').filter({ hasText: '新宿（シンジユク）' }).waitFor();
    await page.getByLabel('口座番号').fill('７６５－４３２１');
    await page.getByLabel('受取人名（カナ）').fill('か)でも しょうじ');
    // Yesterday: refused by the server, with its reason and the first possible day in Japanese.
    await page.getByLabel('振込指定日').fill(addDays(today(), -1));
    await page.getByLabel('振込金額（円）').fill('１２，３４５');
    await expectJapaneseAndAccessible(page, 'transfer typed by hand');
    await screenshot(page, 'transfer-input');
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByRole('heading', { name: '振込内容の確認' }).waitFor();
    expect(await page.getByTestId('summary-bank').textContent()).toBe('昭和信金（1345）');
    expect(await page.getByTestId('summary-branch').textContent()).toBe('新宿（002）');
    expect(await page.getByTestId('summary-account').textContent()).toBe('普通 7654321');
    expect(await page.getByTestId('summary-payee-name').textContent()).toBe('カ)デモ シヨウジ');

    // Back: everything as typed.
    await page.getByRole('button', { name: '修正する' }).click();
    expect(await page.getByLabel('金融機関コード').inputValue()).toBe('1345');
    expect(await page.getByLabel('口座番号').inputValue()).toBe('７６５－４３２１');
    expect(await page.getByLabel('受取人名（カナ）').inputValue()).toBe('か)でも しょうじ');
    expect(await page.getByLabel('振込金額（円）').inputValue()).toBe('１２，３４５');
    await page.getByRole('button', { name: '確認画面へ' }).click();

    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '振込指定日が過ぎています。' });
    expect(await alert.textContent()).toBe(
      `振込指定日が過ぎています。指定できる最も早い日は${slashed(today())}です。何も登録していません。`,
    );
    await screenshot(page, 'transfer-date-refused');
    expect((await (await approver()).query('{ transfers(first: 50) { items { amount } } }')).body.data.transfers.items).not.toContainEqual({
      amount: 12_345,
    });
    await page.getByRole('button', { name: `振込指定日を${slashed(today())}に変更する` }).click();
    expect(await page.getByTestId('summary-date').textContent()).toBe(slashed(today()));
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '実行' }).click();
    expect(await acceptedTransfer(page)).toEqual({
      id: expect.any(Number),
      payeeId: null,
      destinationBankCode: '1345',
      destinationBranchCode: '002',
      destinationAccountType: 'ORDINARY',
      destinationAccountNumber: '7654321',
      payeeName: 'カ)デモ シヨウジ',
      requestedDate: today(),
      amount: 12_345,
    });

    // この振込先を登録: the destination just paid, under a name of one's own.
    const save = page.getByRole('form', { name: 'この振込先を登録' });
    await expectJapaneseAndAccessible(page, 'transfer accepted');
    await save.getByLabel('登録名').fill('デモ商事（新宿）');
    await save.getByRole('button', { name: '振込先に登録する' }).click();
    await page.getByText('振込先「デモ商事（新宿）」を登録しました。').waitFor();
    const payees = (await admin.query(PAYEES)).body.data.payees.items;
    expect(payees).toContainEqual(
      expect.objectContaining({
        nickname: 'デモ商事（新宿）',
        bankCode: '1345',
        branchCode: '002',
        accountNumber: '7654321',
        payeeName: 'カ)デモ シヨウジ',
      }),
    );
    expectOnlyGateway(maker, origins());
  });
});
