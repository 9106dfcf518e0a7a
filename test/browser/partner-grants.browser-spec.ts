import { PartnerGrant } from '../../src/partners/partner-grant.entity';
import { User } from '../../src/users/user.entity';
import { expectOnlyGateway, latinWords, screenshot, tokyoText, type Session } from '../helpers/browser';
import { BrowserPeople, pageFindings } from '../helpers/browser-work';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';
import { giveConsent, partnerApi, registerPartner, type TestPartner } from '../helpers/partners';

// One file on purpose: the tests share one gateway, its consents and one certificate policy, and run in order.

const DAY_MS = 24 * 3600 * 1000;

/**
 * Issue 20, 連携先管理 in the web app, in headless Chromium: the consents given through the API
 * (PAR, the person's consent, the partner's code → token exchange) are listed with who gave them,
 * when, until when, for what, over which accounts and their last use; the giver renews one (its
 * 有効期限 moves) and revokes one (the partner's token is refused from the next request); the
 * administrator sees and revokes a user's consent. Japanese only, no serious axe-core finding.
 */
describe('連携先管理 in the browser', () => {
  let gw: TestGateway;
  let people: BrowserPeople;
  let freee: TestPartner & { id: number };
  let cloud: TestPartner & { id: number };
  const tokens: Record<string, string> = {};

  /** PAR by `partner`, the person's browser (their certificate) at the authorization endpoint, their consent to their first account, the partner's token. */
  async function consent(partner: TestPartner, loginId: DemoLoginId, api: GraphqlClient, scope: string): Promise<string> {
    const first: number = (await api.query('{ accounts { id } }')).body.data.accounts[0].id;
    const customer = {
      session: api,
      identity: gw.demoIdentity(loginId),
      confirmationPassword: gw.credentials(loginId).confirmationPassword,
    };
    return (await giveConsent(gw, partner, customer, { accountIds: [first], scope })).accessToken;
  }

  /** The partner calling /graphql with its own certificate and the token: the HTTP status and the challenge. */
  async function partnerCalls(partner: TestPartner, token: string): Promise<{ status: number; challenge: string | null }> {
    const response = await partnerApi(gw, partner, token).query('{ accounts { id } }');
    return { status: response.status, challenge: (response.headers['www-authenticate'] as string | undefined) ?? null };
  }

  const db = () => gw.gateway.services.db.writableManager;
  const grantOf = async (partner: { id: number }, loginId: string) => {
    const user = await db().findOneByOrFail(User, { loginId });
    return db().findOneByOrFail(PartnerGrant, { partnerId: partner.id, userId: user.id });
  };
  const origins = () => [gw.apiOrigin, gw.enrollOrigin];

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    freee = await registerPartner(gw, { name: 'フリー会計' });
    cloud = await registerPartner(gw, { name: '資金管理クラウド' });
    // Through the API first: each person's browser login below ends their API session (one session per user).
    const user01 = await sessionAs(gw, 'user01');
    tokens.user01Freee = await consent(freee, 'user01', user01, 'account_information payment_initiation');
    tokens.user01Cloud = await consent(cloud, 'user01', user01, 'account_information');
    tokens.admin01Freee = await consent(freee, 'admin01', await sessionAs(gw, 'admin01'), 'account_information');
    // The partner has used user01's consent to フリー会計 once: 最終利用日時 is set.
    expect(await partnerCalls(freee, tokens.user01Freee)).toEqual({ status: 200, challenge: null });
    people = new BrowserPeople(gw);
  });
  afterAll(async () => {
    await people?.close();
    await gw?.stop();
  });

  let user01: Session;

  it('the person sees their own consents in words, one ending within 14 days flagged; the administrator’s are not theirs to see', async () => {
    // フリー会計 ends in five days: the page warns.
    const freeeGrant = await grantOf(freee, 'user01');
    await db().update(PartnerGrant, { id: freeeGrant.id }, { expiresAt: new Date(Date.now() + 5 * DAY_MS - 3600_000) });

    user01 = await people.loggedIn('user01');
    const { page } = user01;
    await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: '連携先管理' }).click();
    await page.getByRole('heading', { name: '連携先管理', level: 1 }).waitFor();
    const cards = page.locator('main article');
    await cards.first().waitFor();
    expect(await cards.locator('h2').allTextContents()).toEqual(['資金管理クラウド', 'フリー会計期限間近']);

    const card = page.getByRole('article', { name: '連携先「フリー会計」・あなたの同意' });
    const facts = await card.locator('dt').allTextContents();
    expect(facts).toEqual(['同意した人', '同意日時', '有効期限', '許可した操作', '対象口座', '最終利用日時']);
    const values = await card.locator('dd').allTextContents();
    const stored = await grantOf(freee, 'user01');
    expect(values[0]).toBe('あなた');
    expect(values[1]).toBe(tokyoText(stored.createdAt.toISOString()));
    expect(values[2]).toBe(tokyoText(stored.expiresAt.toISOString()));
    expect(await card.locator('dd').nth(3).locator('li').allTextContents()).toEqual([
      '口座の残高・入出金明細の照会',
      '振込の作成（実行には、この画面とは別に承認が必要です）',
    ]);
    expect(values[4]).toBe('本店 普通 1234567');
    expect(values[5]).toBe(tokyoText(stored.lastUsedAt!.toISOString()));
    await card.getByText('この連携の有効期限まであと5日です。続けて使う場合は更新してください。').waitFor();
    // Never used: said so.
    const cloudValues = await page
      .getByRole('article', { name: '連携先「資金管理クラウド」・あなたの同意' })
      .locator('dd')
      .allTextContents();
    expect(cloudValues[5]).toBe('未使用');
    expect(await page.locator('main').textContent()).not.toContain('管理者のため');

    expect(await pageFindings(page, gw.apiOrigin, 'user01', ['#/partners'])).toEqual([]);
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'partner-grants-01-own');
  });

  it('the person renews their consent with the confirmation password: a wrong one changes nothing, then 有効期限 moves a full term on', async () => {
    const { page } = user01;
    const card = page.getByRole('article', { name: '連携先「フリー会計」・あなたの同意' });
    const before = await grantOf(freee, 'user01');

    await card.getByRole('button', { name: '更新…' }).click();
    await card.getByLabel('確認用パスワード').fill('Wrong-confirmation-1');
    await card.getByRole('button', { name: '更新する' }).click();
    const refused = card.getByRole('form', { name: '連携の更新' }).getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('パスワードが正しくありません。あと5回続けて誤ると');
    expect((await grantOf(freee, 'user01')).expiresAt).toEqual(before.expiresAt);

    await card.getByLabel('確認用パスワード').fill(gw.credentials('user01').confirmationPassword);
    await card.getByRole('button', { name: '更新する' }).click();
    await page.getByText('連携先「フリー会計」との連携を更新しました。', { exact: false }).waitFor();
    const after = await grantOf(freee, 'user01');
    // PARTNER_CONSENT_DAYS (90) from now.
    expect(Math.round((after.expiresAt.getTime() - Date.now()) / DAY_MS)).toBe(90);
    await card.getByTestId('expires-at').getByText('に更新）', { exact: false }).waitFor();
    expect(await card.getByTestId('expires-at').textContent()).toBe(
      `${tokyoText(after.expiresAt.toISOString())}（${tokyoText(after.renewedAt!.toISOString())}に更新）`,
    );
    expect(await card.locator('h2').textContent()).toBe('フリー会計');
    expect(await card.getByText('有効期限まであと', { exact: false }).count()).toBe(0);
    expect(await partnerCalls(freee, tokens.user01Freee)).toEqual({ status: 200, challenge: null });
  });

  it('the person revokes it after a second look: it leaves the list, and the partner’s token is refused with 401 at its next request', async () => {
    const { page } = user01;
    const card = page.getByRole('article', { name: '連携先「フリー会計」・あなたの同意' });
    await card.getByRole('button', { name: '解除…' }).click();
    const confirm = card.getByRole('form', { name: '連携の解除' });
    await confirm.getByText('連携先「フリー会計」との連携を解除します。', { exact: false }).waitFor();
    // やめる closes the second look with nothing changed.
    await confirm.getByRole('button', { name: 'やめる' }).click();
    expect(await card.getByRole('form', { name: '連携の解除' }).count()).toBe(0);
    expect((await grantOf(freee, 'user01')).revokedAt).toBeNull();

    await card.getByRole('button', { name: '解除…' }).click();
    await screenshot(page, 'partner-grants-02-revoke-confirm');
    await card.getByLabel('確認用パスワード').fill(gw.credentials('user01').confirmationPassword);
    await card.getByRole('button', { name: '解除する' }).click();
    await page.getByText('連携先「フリー会計」との連携を解除しました。').waitFor();
    await card.waitFor({ state: 'detached' });
    expect(await page.locator('main article h2').allTextContents()).toEqual(['資金管理クラウド']);
    expect((await grantOf(freee, 'user01')).revokedAt).not.toBeNull();

    expect(await partnerCalls(freee, tokens.user01Freee)).toEqual({ status: 401, challenge: 'Bearer error="invalid_token"' });
    // The other consent is untouched.
    expect(await partnerCalls(cloud, tokens.user01Cloud)).toEqual({ status: 200, challenge: null });
    expectOnlyGateway(user01, origins());
  });

  it('the administrator sees the contract’s consents, an expired one marked, renews only their own and revokes the user’s', async () => {
    // The administrator's own consent has ended.
    const adminGrant = await grantOf(freee, 'admin01');
    await db().update(PartnerGrant, { id: adminGrant.id }, { expiresAt: new Date(Date.now() - DAY_MS) });

    const admin01 = await people.loggedIn('admin01');
    const { page } = admin01;
    await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: '連携先管理' }).click();
    await page.getByRole('heading', { name: '連携先管理', level: 1 }).waitFor();
    await page.getByText('管理者のため、この契約のすべての利用者の同意を表示しています。', { exact: false }).waitFor();
    await page.locator('main article').first().waitFor();
    expect(await page.locator('main article h2').allTextContents()).toEqual(['フリー会計期限切れ', '資金管理クラウド']);

    const own = page.getByRole('article', { name: '連携先「フリー会計」・あなたの同意' });
    expect((await own.locator('dd').allTextContents())[0]).toBe('あなた');
    const ended = await grantOf(freee, 'admin01');
    expect(await own.getByTestId('expires-at').textContent()).toBe(`${tokyoText(ended.expiresAt.toISOString())}（期限切れ）`);
    await own.getByText('この連携は有効期限が切れています。', { exact: false }).waitFor();
    expect(await own.getByRole('button', { name: '更新…' }).count()).toBe(1);

    const users = page.getByRole('article', { name: '連携先「資金管理クラウド」・user01の同意' });
    expect((await users.locator('dd').allTextContents())[0]).toBe('user01');
    // Only its giver renews a consent.
    expect(await users.getByRole('button', { name: '更新…' }).count()).toBe(0);
    expect(await pageFindings(page, gw.apiOrigin, 'admin01', ['#/partners'])).toEqual([]);
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'partner-grants-03-administrator');

    await users.getByRole('button', { name: '解除…' }).click();
    await users.getByLabel('確認用パスワード').fill(gw.credentials('admin01').confirmationPassword);
    await users.getByRole('button', { name: '解除する' }).click();
    await page.getByText('連携先「資金管理クラウド」との連携を解除しました。').waitFor();
    await users.waitFor({ state: 'detached' });
    expect(await page.locator('main article h2').allTextContents()).toEqual(['フリー会計期限切れ']);
    expect((await grantOf(cloud, 'user01')).revokedAt).not.toBeNull();
    expect(await partnerCalls(cloud, tokens.user01Cloud)).toEqual({ status: 401, challenge: 'Bearer error="invalid_token"' });

    // The last one gone, the page says what 連携 is and where it starts.
    await own.getByRole('button', { name: '解除…' }).click();
    await own.getByLabel('確認用パスワード').fill(gw.credentials('admin01').confirmationPassword);
    await own.getByRole('button', { name: '解除する' }).click();
    const empty = page.getByTestId('no-partner-grants');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('連携は、連携先のサービスの画面から始めます。');
    expect(latinWords((await page.locator('main').textContent())!)).toEqual([]);
    await screenshot(page, 'partner-grants-04-none');
    expectOnlyGateway(admin01, origins());
  });
});
