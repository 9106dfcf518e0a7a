import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { demoPaths } from '../../src/demo/demo-data';
import { CertificatePolicy, Pc, latinWords, openBrowser, type Session } from './browser';
import type { DemoLoginId, TestGateway } from './gateway';
import { sessionAs } from './lifecycle';

/**
 * The people of a browser spec, each on their own PC (a fresh NSS store holding only their
 * certificate) with the certificate policy that presents it: `loggedIn` opens the web app and logs in.
 */
export class BrowserPeople {
  private readonly pcs: Pc[] = [];
  private readonly sessions: Session[] = [];
  private readonly policy = CertificatePolicy.install();

  constructor(private readonly gw: TestGateway) {}

  /** This person's PC, browser and login. A later login of the same person elsewhere ends it (one session per user). */
  async loggedIn(loginId: DemoLoginId): Promise<Session> {
    const gw = this.gw;
    const pc = Pc.create(gw.caPem);
    this.pcs.push(pc);
    pc.importP12(demoPaths(gw.config.pki.certsDir, loginId).p12, gw.credentials(loginId).p12Password);
    const session = await openBrowser(pc, path.join(pc.home, 'Downloads'));
    this.sessions.push(session);
    await session.page.goto(`${gw.apiOrigin}/`);
    await session.page.getByLabel('ログインパスワード', { exact: true }).fill(gw.credentials(loginId).loginPassword);
    await session.page.getByRole('button', { name: 'ログイン' }).click();
    await session.page.getByRole('heading', { name: 'トップ' }).waitFor();
    return session;
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.browser.close().catch(() => undefined)));
    this.pcs.forEach((pc) => pc.remove());
    this.policy.remove();
  }
}

export interface PageFinding {
  who: string;
  page: string;
  english?: string[];
  axe?: string[];
  title?: string;
}

/**
 * Opens each of `hrefs` (#/…) and says what is wrong with it: no title of its own, an English word
 * that is not a code or an ID (latinWords), a serious or critical axe-core finding.
 */
export async function pageFindings(page: Page, origin: string, who: string, hrefs: string[]): Promise<PageFinding[]> {
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const findings: PageFinding[] = [];
  for (const href of hrefs) {
    await page.goto(`${origin}/${href}`);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
    const title = await page.title();
    const heading = (await page.locator('main h1').textContent())?.trim();
    if (!heading) findings.push({ who, page: href, title: `${title} (no heading)` });
    if (!title.endsWith(' — 法人インターネットバンキング') || title.startsWith('ページがありません'))
      findings.push({ who, page: href, title });
    const english = latinWords(await page.locator('body').innerText());
    if (english.length) findings.push({ who, page: href, english });
    await page.evaluate(axeSource);
    const violations: Array<{ id: string; impact: string | null }> = await page.evaluate(async () => {
      const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({ id: v.id, impact: v.impact }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    if (serious.length) findings.push({ who, page: href, axe: serious });
  }
  return findings;
}

/** The pages of the caller's menu (#/…), as its links name them. */
export async function menuLinks(page: Page): Promise<string[]> {
  return page
    .getByRole('navigation', { name: 'メニュー' })
    .getByRole('link')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '').filter((href) => href.startsWith('#/')));
}

const SET_ACCOUNTS =
  'mutation($u: Int!, $a: [Int!]!, $pw: String!) { setUserAccounts(userId: $u, accountIds: $a, confirmationPassword: $pw) { id } }';

/** Runs `during` while the administrator has taken every 利用口座 from `loginId`, then gives them back. */
export async function withoutAccounts(gw: TestGateway, loginId: DemoLoginId, during: () => Promise<void>): Promise<void> {
  const admin = await sessionAs(gw, 'admin01');
  const pw = gw.credentials('admin01').confirmationPassword;
  const users: Array<{ id: number; loginId: string; accountIds: number[] }> = (await admin.query('{ users { id loginId accountIds } }'))
    .body.data.users;
  const user = users.find((u) => u.loginId === loginId)!;
  expect((await admin.query(SET_ACCOUNTS, { u: user.id, a: [], pw })).body.errors).toBeUndefined();
  try {
    await during();
  } finally {
    await admin.query(SET_ACCOUNTS, { u: user.id, a: user.accountIds, pw });
  }
}
