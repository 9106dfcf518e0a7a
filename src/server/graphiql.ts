import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/**
 * GraphiQL for administrators and operators, served by the gateway itself from the npm
 * packages (no CDN): the browser presents its client certificate like any other client, logs
 * in with `login(pin)` and the HttpOnly session cookie does the rest.
 */
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/**
 * Nothing typed into GraphiQL may outlive the page: `login(pin: "…")` in its history, tabs or
 * variables would be read by the next person at a shared PC. GraphiQL keeps history, tabs,
 * query, variables and headers through `storage`; this one holds them in memory only. After a
 * successful `logout` the page forgets them too and starts afresh.
 */
const INIT = `
const memory = new Map();
const storage = {
  getItem: (key) => (memory.has(key) ? memory.get(key) : null),
  setItem: (key, value) => { memory.set(key, String(value)); },
  removeItem: (key) => { memory.delete(key); },
  clear: () => { memory.clear(); },
  get length() { return memory.size; },
};
const send = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
const fetcher = async (params, options) => {
  const result = await send(params, options);
  if (result && result.data && result.data.logout === true) {
    memory.clear();
    window.location.reload();
  }
  return result;
};
const defaultQuery = '# Logged in to the web app (/)? GraphiQL uses the same session.\\n# Otherwise log in first (the session cookie is set for you):\\n# mutation { login(pin: "...") { mustChangePassword passwordStatus { warning } } }\\n\\n{ whoami { loginId role contractName loggedIn } }\\n';
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, storage, shouldPersistHeaders: false, showPersistHeadersSettings: false }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Corporate Internet Banking Gateway — GraphiQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script src="/graphiql/assets/init.js"></script>
</body>
</html>`;

/**
 * graphiql.min.css embeds its fonts (34 @font-face rules) and a few images as data: URLs;
 * everything else comes from this origin. No eval, no inline script.
 */
export const GRAPHIQL_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src data:; frame-ancestors 'none'";

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
}

function asset(type: string, body: Buffer | string): Asset {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { type, body: bytes, etag: `"${crypto.createHash('sha256').update(bytes).digest('base64url')}"` };
}

/**
 * Read once at start-up and sent from memory (a few MB): where the project is checked out
 * (a folder starting with a dot, say) or what happens to node_modules later changes nothing.
 */
function loadAssets(): Map<string, Asset> {
  const read = (name: string, file: string) => fs.readFileSync(path.join(packageDir(name), file));
  return new Map([
    ['react.js', asset('text/javascript; charset=utf-8', read('react', 'umd/react.production.min.js'))],
    ['react-dom.js', asset('text/javascript; charset=utf-8', read('react-dom', 'umd/react-dom.production.min.js'))],
    ['graphiql.js', asset('text/javascript; charset=utf-8', read('graphiql', 'graphiql.min.js'))],
    ['graphiql.css', asset('text/css; charset=utf-8', read('graphiql', 'graphiql.min.css'))],
    ['init.js', asset('text/javascript; charset=utf-8', INIT)],
  ]);
}

export function graphiqlRouter(): Router {
  const assets = loadAssets();
  const page = asset('text/html; charset=utf-8', PAGE);
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({
      'content-security-policy': GRAPHIQL_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    next();
  });
  const send =
    (found: Asset): express.RequestHandler =>
    (req, res) => {
      // The names carry no version: revalidate on every load (304 while unchanged) so that an
      // upgrade never mixes an old GraphiQL with a new page.
      res.set({ 'content-type': found.type, 'cache-control': 'no-cache', etag: found.etag });
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.send(found.body);
    };
  router.get('/', send(page));
  router.get('/assets/:name', (req, res, next) => {
    const found = assets.get(req.params.name);
    if (!found) return next();
    send(found)(req, res, next);
  });
  return router;
}
