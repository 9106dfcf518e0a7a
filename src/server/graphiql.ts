import path from 'node:path';
import express, { type Router } from 'express';

/**
 * GraphiQL for administrators and operators, served by the gateway itself from the npm
 * packages (no CDN): the browser presents its client certificate like any other client, logs
 * in with `login(pin)` and the HttpOnly session cookie does the rest.
 */
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const assets: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

const INIT = `
const fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
const defaultQuery = '# Log in first (the session cookie is set for you):\\n# mutation { login(pin: "...") { mustChangePassword passwordStatus { warning } } }\\n\\n{ whoami { loginId role contractName loggedIn } }\\n';
ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher, defaultQuery }));
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

export function graphiqlRouter(): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    next();
  });
  router.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/assets/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.get('/assets/:name', (req, res, next) => {
    const file = assets[req.params.name];
    if (!file) return next();
    res.sendFile(file, { maxAge: '1d' });
  });
  return router;
}
