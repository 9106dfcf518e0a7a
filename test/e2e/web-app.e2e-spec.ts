import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { loadWebBundle, webAppRouter } from '../../src/server/web-app';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  );
}

/** The /assets/… files a page loads (scripts, styles, icon). */
const assetsOf = (html: string) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

describe('the web pages on both listeners', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: / on the API listener is the web app, with a strict CSP, a fresh page and year-long hashed files', async () => {
    const client = gw.asUser('user01');
    const page = await client.request('/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    const html = page.body.raw as string;
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain(`<meta name="cibg-enroll-url" content="${gw.enrollOrigin}/" />`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script

    const csp = directives(page.headers['content-security-policy'] as string);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(page.headers['x-content-type-options']).toBe('nosniff');

    const files = assetsOf(html);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    for (const file of files) {
      expect(file).toMatch(/^\/assets\/[\w-]+-[\w-]{8}\.(js|css|svg)$/);
      const asset = await client.request(file, { method: 'GET' });
      expect({ file, status: asset.status, cache: asset.headers['cache-control'] }).toEqual({
        file,
        status: 200,
        cache: 'public, max-age=31536000, immutable',
      });
      const again = await client.request(file, { method: 'GET', headers: { 'if-none-match': String(asset.headers.etag) } });
      expect(again.status).toBe(304);
    }
    expect((await client.request('/assets/nothing-here.js', { method: 'GET' })).status).toBe(404);
  });

  it('failing: a revoked certificate gets a page in words that says where to get a new one, not the app', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const users = (await admin.query('{ users { loginId activeCertificate { id } } }')).body.data.users;
    const user02 = users.find((u: any) => u.loginId === 'user02');
    const revoked = await admin.query('mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "PC lost") { status } }', {
      id: user02.activeCertificate.id,
    });
    expect(revoked.body.errors).toBeUndefined();

    const client = gw.asUser('user02');
    for (const target of ['/', '/assets/whatever.js']) {
      const response = await client.request(target, { method: 'GET' });
      expect({ target, status: response.status }).toEqual({ target, status: 401 });
    }
    const page = await client.request('/', { method: 'GET' });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body.raw).toContain('電子証明書を取得しなおしてください');
    expect(page.body.raw).toContain(`<a href="${gw.enrollOrigin}/">`);
    expect(page.body.raw).not.toContain('/assets/');
    expect(errorCode(await client.query('{ whoami { loginId } }'))).toBe('CERTIFICATE_REJECTED');
  });

  it('successful: / on the enrollment listener is 電子証明書取得, without a client certificate, and serves only its own files', async () => {
    const client = gw.enrollClient();
    const page = await client.request('/', { method: 'GET' });
    expect(page.status).toBe(200);
    const html = page.body.raw as string;
    expect(html).toContain('<title>電子証明書取得');
    expect(html).toContain(`<meta name="cibg-api-url" content="${gw.apiOrigin}/" />`);
    expect(directives(page.headers['content-security-policy'] as string)['script-src']).toEqual(["'self'"]);
    for (const file of assetsOf(html)) expect((await client.request(file, { method: 'GET' })).status).toBe(200);

    // The customer app's code is not on this listener.
    const appPage = (await gw.asUser('user01').request('/', { method: 'GET' })).body.raw as string;
    const appScript = assetsOf(appPage).find((f) => f.endsWith('.js'))!;
    expect((await client.request(appScript, { method: 'GET' })).status).toBe(404);
  });

  it('successful: an administrator reads their contract (myContract) and every user their permissions on me', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const contract = await admin.query('{ myContract { code name status ipAllowList requiresApproval } }');
    expect(contract.body.data.myContract).toEqual({
      code: 'DEMO0001',
      name: 'デモ商事株式会社',
      status: 'ACTIVE',
      ipAllowList: [],
      requiresApproval: true,
    });
    const user = await sessionAs(gw, 'user01');
    expect((await user.query('{ me { permissions } }')).body.data.me.permissions).toEqual(['ACCOUNT_INQUIRY', 'TRANSFER']);
    expect(errorCode(await user.query('{ myContract { id } }'))).toBe('FORBIDDEN');
  });
});

describe('the built pages are served from memory', () => {
  it('successful: a build in a folder starting with a dot is served, and keeps being served after the folder is gone', async () => {
    const built = path.join(__dirname, '..', '..', 'dist', 'web', 'enroll');
    const hidden = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-web-'));
    const folder = path.join(hidden, '.checkout', 'dist', 'web', 'enroll');
    fs.cpSync(built, folder, { recursive: true });
    const app = express().use(webAppRouter(loadWebBundle('enroll', folder)));
    fs.rmSync(hidden, { recursive: true, force: true });

    const page = await request(app).get('/');
    expect(page.status).toBe(200);
    const script = assetsOf(page.text).find((f) => f.endsWith('.js'))!;
    const asset = await request(app).get(script);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('failing: without a build, / says how to build it (503) instead of an empty page', async () => {
    const app = express().use(webAppRouter(loadWebBundle('app', path.join(os.tmpdir(), 'cibg-no-such-build'))));
    const page = await request(app).get('/');
    expect(page.status).toBe(503);
    expect(page.text).toContain('npm run build');
  });
});
