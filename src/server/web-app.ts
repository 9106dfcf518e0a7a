import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Router } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import { httpStatusOf } from '../graphql/errors';
import { findProjectRoot } from '../common/project-root';

/**
 * The built web pages (web/, built by `npm run build` into dist/web): the customer web app on the
 * API listener and 電子証明書取得 on the enrollment listener. Read into memory at start-up, so
 * where the project lives (a folder starting with a dot, say) changes nothing.
 */
export type WebBundleName = 'app' | 'enroll';

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
}

export interface WebBundle {
  name: WebBundleName;
  /** index.html as built; null when the web app has not been built. */
  index: string | null;
  assets: Map<string, Asset>;
  folder: string;
}

/**
 * No inline script or style, no eval, nothing from another origin; the pages talk only to
 * /graphql of their own listener. form-action 'none': forms are handled by the script, never posted.
 */
export const WEB_APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The project folder, whether the server runs compiled (dist/src/server) or as TypeScript (src/server). */
const projectRoot = () => findProjectRoot(__dirname) ?? path.resolve(__dirname, '..', '..');

export function loadWebBundle(name: WebBundleName, folder = path.join(projectRoot(), 'dist', 'web', name)): WebBundle {
  const assets = new Map<string, Asset>();
  const indexFile = path.join(folder, 'index.html');
  if (!fs.existsSync(indexFile)) return { name, index: null, assets, folder };
  const assetsDir = path.join(folder, 'assets');
  for (const file of fs.existsSync(assetsDir) ? fs.readdirSync(assetsDir) : []) {
    const type = TYPES[path.extname(file)];
    if (!type) continue;
    const body = fs.readFileSync(path.join(assetsDir, file));
    assets.set(file, { type, body, etag: `"${crypto.createHash('sha256').update(body).digest('base64url')}"` });
  }
  return { name, index: fs.readFileSync(indexFile, 'utf8'), assets, folder };
}

const SECURITY_HEADERS = {
  'content-security-policy': WEB_APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What the page says when the certificate on this connection is refused: in words, with where to go. */
const REFUSALS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.CERTIFICATE_REJECTED]:
    'このパソコンの電子証明書はご利用いただけません（失効・有効期限切れ・未登録、または解約済み）。管理者（管理者の方は当金庫）から証明書取得コードを受け取り、電子証明書を取得しなおしてください。',
  [ErrorCode.CONTRACT_STOPPED]: '緊急停止中のため、この契約ではご利用いただけません。再開は当金庫が行います。お取引店にご連絡ください。',
  [ErrorCode.ACCOUNT_LOCKED]:
    'パスワードを続けて誤ったため、このIDはロックされています。利用者の方は管理者にパスワードの再設定を、管理者の方は当金庫にご連絡ください。',
  [ErrorCode.FORBIDDEN]:
    'このIDは利用停止中か、この環境（接続元・スマートフォン）からはご利用いただけません。管理者にお問い合わせください。',
};

function refusalPage(error: DomainError, enrollUrl: string): string {
  const words = REFUSALS[error.code] ?? 'ただいまご利用いただけません。時間をおいてもう一度お試しください。';
  const url = escapeHtml(enrollUrl);
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>ご利用いただけません — 法人インターネットバンキング</title></head>
<body>
<h1>ご利用いただけません</h1>
<p>${escapeHtml(words)}</p>
<p>電子証明書の取得: <a href="${url}">${url}</a></p>
</body></html>`;
}

export interface WebAppOptions {
  /** Runs before the page and its files (the API listener: a known certificate, like /graphql). */
  gate?: RequestHandler;
  /** Values for the page's <meta name="…" content=""> tags (the other listener's address). */
  meta?: Record<string, (req: Request) => string>;
  /** Where the refusal page sends a person without a usable certificate. */
  enrollUrl?: (req: Request) => string;
}

/** `/` (and `/index.html`) and `/assets/<hashed name>` of one built bundle. */
export function webAppRouter(bundle: WebBundle, options: WebAppOptions = {}): Router {
  const router = express.Router();
  const gate: RequestHandler = options.gate ?? ((_req, _res, next) => next());

  const page: RequestHandler = (req, res) => {
    res.set(SECURITY_HEADERS);
    if (bundle.index === null) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(`The web app is not built (${bundle.name}): run npm run build.\nWeb アプリがビルドされていません。`);
      return;
    }
    let html = bundle.index;
    for (const [name, value] of Object.entries(options.meta ?? {})) {
      html = html.replace(`<meta name="${name}" content="" />`, `<meta name="${name}" content="${escapeHtml(value(req))}" />`);
    }
    // The names of the files it loads change with every build; the page itself is always asked for anew.
    res.set({ 'cache-control': 'no-cache' }).type('text/html; charset=utf-8').send(html);
  };

  const refused: ErrorRequestHandler = (error, req, res, next) => {
    if (!(error instanceof DomainError) || !options.enrollUrl) return next(error);
    res.set(SECURITY_HEADERS);
    res
      .status(httpStatusOf(error.code))
      .set('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(refusalPage(error, options.enrollUrl(req)));
  };

  router.get(['/', '/index.html'], gate, page, refused);
  router.get('/assets/:name', gate, (req, res, next) => {
    const found = bundle.assets.get(String(req.params.name));
    if (!found) return next();
    res.set(SECURITY_HEADERS);
    // Hashed names: a file never changes under its name, so browsers keep it for a year.
    res.set({ 'content-type': found.type, 'cache-control': 'public, max-age=31536000, immutable', etag: found.etag });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(found.body);
  });
  return router;
}
