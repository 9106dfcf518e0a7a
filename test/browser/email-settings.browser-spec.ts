import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { expectOnlyGateway, latinWords, screenshot, type Session } from '../helpers/browser';
import { BrowserPeople, pageFindings } from '../helpers/browser-work';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';

// One file on purpose: the tests share one gateway and one certificate policy, and run in order.

/**
 * Issue 19 item 2 in the web app: a user's own notice address (設定 › メールアドレス), the
 * contract's メール通知設定 and a user's address on the administrator's pages (the user page and
 * 利用者の登録), each with the confirmation password, in Japanese and without axe-core findings.
 */
describe('e-mail notice settings in the browser', () => {
  let gw: TestGateway;
  let people: BrowserPeople;
  let user01: Session;
  let admin01: Session;

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    people = new BrowserPeople(gw);
    user01 = await people.loggedIn('user01');
    admin01 = await people.loggedIn('admin01');
  });
  afterAll(async () => {
    await people?.close();
    await gw?.stop();
  });

  const origins = () => [gw.apiOrigin, gw.enrollOrigin];
  const confirmation = (loginId: DemoLoginId) => gw.credentials(loginId).confirmationPassword;
  const db = () => gw.gateway.services.db.writableManager;
  const addressOf = async (loginId: string) => (await db().findOneByOrFail(User, { loginId })).emailAddress;

  it('メールアドレス: the user sees what is sent and that no notice has a link; an invalid address is refused in Japanese; changed, then removed', async () => {
    const { page } = user01;
    await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: 'メールアドレス' }).click();
    await page.getByRole('heading', { name: 'メールアドレス', level: 1 }).waitFor();
    expect(await page.getByTestId('current-email-address').textContent()).toBe('現在のメールアドレス: keiri@demo-shoji.example');
    await page
      .getByText('当金庫からの通知メールには、リンク（ホームページのアドレス）を記載することはありません。', { exact: false })
      .waitFor();
    expect(await page.getByTestId('notice-topics').locator('li').allTextContents()).toEqual([
      'ログイン（日時・接続元IPアドレス）',
      '振込（受付・承認・実行・差戻し・取消・振込不能・保留）',
      'パスワード・電子証明書・パスキー・メールアドレスの変更、ロック',
      '利用限度額の変更',
      '緊急停止',
    ]);

    // The browser's own check lets a domain without a dot through; the server does not.
    await page.getByLabel('新しいメールアドレス').fill('keiri@localhost');
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '変更する' }).click();
    await page.getByRole('alert').getByText('メールアドレスの書き方が正しくありません', { exact: false }).waitFor();
    expect(await addressOf('user01')).toBe('keiri@demo-shoji.example');

    await page.getByLabel('新しいメールアドレス').fill('keiri.new@demo-shoji.example');
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '変更する' }).click();
    await page.getByText('メールアドレスを登録しました。').waitFor();
    expect(await page.getByTestId('current-email-address').textContent()).toBe('現在のメールアドレス: keiri.new@demo-shoji.example');
    expect(await addressOf('user01')).toBe('keiri.new@demo-shoji.example');
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'email-01-own-address');

    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: 'メールアドレスを削除する' }).click();
    await page.getByText('メールアドレスを削除しました。通知メールは届きません。').waitFor();
    expect(await page.getByTestId('current-email-address').textContent()).toBe('現在のメールアドレス: 未登録（通知メールは届きません）');
    expect(await addressOf('user01')).toBeNull();

    await page.getByLabel('新しいメールアドレス').fill('keiri@demo-shoji.example');
    await page.getByLabel('確認用パスワード').fill(confirmation('user01'));
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByText('メールアドレスを登録しました。').waitFor();
    expect(await addressOf('user01')).toBe('keiri@demo-shoji.example');
    expectOnlyGateway(user01, origins());
  });

  it('メール通知設定: both lists as checkboxes, 緊急停止 for administrators checked and fixed, saved with the confirmation password', async () => {
    const { page } = admin01;
    const contractId = (await db().findOneByOrFail(User, { loginId: 'admin01' })).contractId!;
    await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: 'メール通知設定' }).click();
    await page.getByRole('heading', { name: 'メール通知設定', level: 1 }).waitFor();
    const forUser = page.getByRole('group', { name: 'ご本人（操作した利用者・対象の利用者）への通知' });
    const forAdministrators = page.getByRole('group', { name: '管理者への通知' });
    // The defaults: the user every topic, the administrators every topic but logins.
    for (const topic of ['ログイン', '振込', 'パスワード', '利用限度額', '緊急停止']) {
      expect(await forUser.getByRole('checkbox', { name: topic }).isChecked()).toBe(true);
    }
    expect(await forAdministrators.getByRole('checkbox', { name: 'ログイン' }).isChecked()).toBe(false);
    const stop = forAdministrators.getByRole('checkbox', { name: '緊急停止' });
    expect({ checked: await stop.isChecked(), disabled: await stop.isDisabled() }).toEqual({ checked: true, disabled: true });
    expect(await forUser.getByRole('checkbox', { name: '緊急停止' }).isDisabled()).toBe(false);

    await forUser.getByRole('checkbox', { name: 'ログイン' }).uncheck();
    await forAdministrators.getByRole('checkbox', { name: 'ログイン' }).check();
    await page.getByLabel('確認用パスワード').fill(confirmation('admin01'));
    await page.getByRole('button', { name: '変更する' }).click();
    await page.getByText('メール通知設定を変更しました。').waitFor();
    const contract = await db().findOneByOrFail(Contract, { id: contractId });
    expect([...contract.userNoticeTopics].sort()).toEqual(['CREDENTIAL', 'EMERGENCY_STOP', 'LIMIT', 'ORDER']);
    expect([...contract.administratorNoticeTopics].sort()).toEqual(['CREDENTIAL', 'EMERGENCY_STOP', 'LIMIT', 'LOGIN', 'ORDER']);
    // Shown as saved after a reload.
    await page.reload();
    expect(await page.getByRole('group', { name: '管理者への通知' }).getByRole('checkbox', { name: 'ログイン' }).isChecked()).toBe(true);
    expect(
      await page
        .getByRole('group', { name: 'ご本人（操作した利用者・対象の利用者）への通知' })
        .getByRole('checkbox', { name: 'ログイン' })
        .isChecked(),
    ).toBe(false);
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'email-02-notice-settings');
  });

  it("the administrator sets a user's address on the user page, and gives one to a new user on 利用者の登録", async () => {
    const { page } = admin01;
    const user02 = await db().findOneByOrFail(User, { loginId: 'user02' });
    await page.goto(`${gw.apiOrigin}/#/admin/users/${user02.id}`);
    const card = page.getByTestId('user-email-address');
    await card.waitFor();
    const before = user02.emailAddress ?? '未登録';
    expect(await card.getByText('現在のメールアドレス:').textContent()).toBe(`現在のメールアドレス: ${before}`);
    await card.getByLabel('新しいメールアドレス').fill('shounin@demo-shoji.example');
    await page.getByLabel('確認用パスワード（管理者）').fill(confirmation('admin01'));
    await card.getByRole('button', { name: 'メールアドレスを登録する' }).click();
    await card.getByText('メールアドレスを登録しました。').waitFor();
    expect(await card.getByText('現在のメールアドレス:').textContent()).toBe('現在のメールアドレス: shounin@demo-shoji.example');
    expect(await addressOf('user02')).toBe('shounin@demo-shoji.example');
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'email-03-user-address');

    await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: '利用者の登録' }).click();
    await page.getByLabel('ログインID').fill('shinjin01');
    await page.getByLabel('氏名').fill('新人 花子');
    await page.getByLabel('メールアドレス（通知先・任意）').fill('shinjin@demo-shoji.example');
    await page.getByLabel('確認用パスワード（管理者）').fill(confirmation('admin01'));
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByRole('heading', { name: '利用者を登録しました' }).waitFor();
    expect(await addressOf('shinjin01')).toBe('shinjin@demo-shoji.example');
    expectOnlyGateway(admin01, origins());
  });

  it('the three pages and 利用者の登録: a title, Japanese only (the addresses are data) and no serious or critical axe-core finding', async () => {
    const user02 = await db().findOneByOrFail(User, { loginId: 'user02' });
    const findings = [
      ...(await pageFindings(user01.page, gw.apiOrigin, 'user01', ['#/email'])),
      ...(await pageFindings(admin01.page, gw.apiOrigin, 'admin01', [
        '#/email',
        '#/admin/notices',
        '#/admin/users/new',
        `#/admin/users/${user02.id}`,
      ])),
    ];
    expect(findings).toEqual([]);
  });
});
