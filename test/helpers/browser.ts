import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Debian Chromium for the web app's end-to-end tests: each "PC" is a fresh HOME whose
 * NSS store ($HOME/.pki/nssdb, what Chromium on Linux uses) holds the bank CA as trusted and at
 * most one person's .p12, so the certificate the browser presents is exactly that person's.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'browser');

const POLICY_DIR = '/etc/chromium/policies/managed';

/**
 * Chromium asks which certificate to present unless a policy selects it. Every test run writes
 * the same policy under its own file name (two runs at once agree on it, and each removes only
 * its own file): for the gateway on localhost, present the certificate in the store, which in
 * these tests is the one person's whose PC it is.
 */
export class CertificatePolicy {
  private constructor(readonly file: string) {}

  static install(): CertificatePolicy {
    fs.mkdirSync(POLICY_DIR, { recursive: true });
    const file = path.join(POLICY_DIR, `cibg-browser-tests-${process.pid}-${crypto.randomBytes(4).toString('hex')}.json`);
    const rule = JSON.stringify({ pattern: 'https://localhost:*', filter: {} });
    fs.writeFileSync(file, JSON.stringify({ AutoSelectCertificateForUrls: [rule] }, null, 2));
    return new CertificatePolicy(file);
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** One PC: a HOME with its own NSS certificate store. */
export class Pc {
  readonly nssdb: string;

  private constructor(readonly home: string) {
    this.nssdb = `sql:${path.join(home, '.pki', 'nssdb')}`;
  }

  static create(caPem: string): Pc {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-pc-'));
    fs.mkdirSync(path.join(home, '.pki', 'nssdb'), { recursive: true });
    const pc = new Pc(home);
    execFileSync('certutil', ['-N', '-d', pc.nssdb, '--empty-password']);
    const caFile = path.join(home, 'bank-ca.pem');
    fs.writeFileSync(caFile, caPem);
    // Trusted to identify web sites (the gateway's server certificate), as a bank customer sets it up.
    execFileSync('certutil', ['-A', '-d', pc.nssdb, '-n', 'Bank CA', '-t', 'C,,', '-i', caFile]);
    return pc;
  }

  /** What a person does with the downloaded .p12 (pk12util is NSS's import, as Chrome's "Import"). */
  importP12(file: string, password: string): void {
    execFileSync('pk12util', ['-i', file, '-d', this.nssdb, '-W', password, '-K', ''], { stdio: 'pipe' });
  }

  /** The certificates in the store, by nickname (to check an import). */
  certificates(): string {
    return execFileSync('certutil', ['-L', '-d', this.nssdb], { encoding: 'utf8' });
  }

  remove(): void {
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the browser asked for, from its network log. */
  requests: string[];
  /** Console messages about the Content-Security-Policy (none expected). */
  cspViolations: string[];
}

export async function openBrowser(pc: Pc, downloads?: string): Promise<Session> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, HOME: pc.home, TZ: 'UTC', LANG: 'ja_JP.UTF-8' },
    downloadsPath: downloads,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--lang=ja',
    ],
  });
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const requests: string[] = [];
  const cspViolations: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { browser, context, page, requests, cspViolations };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The browser asked no host but the gateway's two listeners for anything (blob: is the .p12 made in the page). */
export function expectOnlyGateway(session: Session, origins: string[]): void {
  const elsewhere = session.requests.filter((url) => !url.startsWith('blob:') && !origins.some((origin) => url.startsWith(`${origin}/`)));
  expect(elsewhere).toEqual([]);
  expect(session.cspViolations).toEqual([]);
}

/** 2025/11/26 09:05:03 in Japan time, worked out without Intl: what the page must show for an instant. */
export function tokyoText(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 9 * 3600_000).toISOString();
  return `${shifted.slice(0, 10).replaceAll('-', '/')} ${shifted.slice(11, 19)}`;
}

/** Latin words a Japanese page may show: terms people use as they are. */
const LATIN_TERMS = new Set(['ID', 'IP', 'EDI', 'CSV', 'CIDR', 'GraphiQL', 'API', 'PC', 'JIS', 'https']);

/**
 * The runs of Latin letters in a page's text that are English (a status, an error code, a sentence)
 * rather than a code, an ID or an amount: a word counts unless it is a term above, part of a
 * token with a digit (user01, DEMO0001, a serial number, an address, acme-clerk1), an e-mail address
 * (keiri@example.co.jp, data like an ID) or the extension of a file name the person chose (総合振込.txt).
 */
export function latinWords(text: string): string[] {
  return text
    .split(/[^A-Za-z0-9._:@/-]+/)
    .filter((token) => /[A-Za-z]{2,}/.test(token) && !/\d/.test(token) && !/^[^@]+@[^@]+$/.test(token) && !/^\.[A-Za-z]{1,4}$/.test(token))
    .flatMap((token) => token.match(/[A-Za-z]{2,}/g) ?? [])
    .filter((word) => !LATIN_TERMS.has(word));
}
