import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { sessionAs } from '../helpers/lifecycle';

const ROOT = path.join(__dirname, '..', '..');
const GRAPHIQL_JS = fs.readFileSync(path.join(ROOT, 'node_modules', 'graphiql', 'graphiql.min.js'), 'utf8');
const ASSETS = ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css', 'init.js'];

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

/**
 * Runs the page's init script as the browser would, with React and GraphiQL replaced by
 * recorders: what props GraphiQL gets, and whether anything reaches localStorage.
 */
function runInitScript(initJs: string, fetchResult: unknown) {
  const localStorageTouched: string[] = [];
  const localStorage = new Proxy(
    {},
    {
      get: (_target, key) => {
        localStorageTouched.push(`get ${String(key)}`);
        return () => undefined;
      },
      set: (_target, key) => {
        localStorageTouched.push(`set ${String(key)}`);
        return true;
      },
    },
  );
  const page = { props: {} as Record<string, any>, reloads: 0 };
  const GraphiQL = Object.assign(function GraphiQL() {}, { createFetcher: () => async () => fetchResult });
  vm.runInNewContext(initJs, {
    GraphiQL,
    React: { createElement: (component: unknown, props: Record<string, any>) => ((page.props = props), { component }) },
    ReactDOM: { createRoot: () => ({ render: () => undefined }) },
    document: { getElementById: () => ({}) },
    localStorage,
    window: { localStorage, location: { reload: () => page.reloads++ } },
  });
  return { page, localStorageTouched };
}

describe('GraphiQL on the API listener', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: the page keeps nothing typed into it: GraphiQL gets in-memory storage and no header persistence', async () => {
    const client = gw.asUser('admin01');
    const page = await client.request('/graphiql', { method: 'GET' });
    expect(page.body.raw).toContain('<script src="/graphiql/assets/init.js"></script>');
    const initJs = (await client.request('/graphiql/assets/init.js', { method: 'GET' })).body.raw as string;

    const { page: rendered, localStorageTouched } = runInitScript(initJs, { data: { whoami: { loginId: 'admin01' } } });
    const props = rendered.props;
    expect(props.shouldPersistHeaders).toBe(false);
    expect(props.storage).toEqual(
      expect.objectContaining({
        getItem: expect.any(Function),
        setItem: expect.any(Function),
        removeItem: expect.any(Function),
        clear: expect.any(Function),
      }),
    );
    // What GraphiQL stores (history, tabs, query, variables, headers) lives in the page only.
    props.storage.setItem('graphiql:queries', '[{"query":"mutation { login(pin: \\"secret\\") { token } }"}]');
    expect(props.storage.getItem('graphiql:queries')).toContain('login');
    expect(props.storage.length).toBe(1);
    props.storage.removeItem('graphiql:queries');
    expect(props.storage.getItem('graphiql:queries')).toBeNull();
    expect(localStorageTouched).toEqual([]);

    // Other answers leave the page alone; a successful logout wipes it and starts afresh.
    props.storage.setItem('graphiql:tabState', '{"tabs":[]}');
    await props.fetcher({ query: '{ whoami { loginId } }' }, {});
    expect({ length: props.storage.length, reloads: rendered.reloads }).toEqual({ length: 1, reloads: 0 });
    const afterLogout = runInitScript(initJs, { data: { logout: true } });
    afterLogout.page.props.storage.setItem('graphiql:tabState', '{"tabs":[]}');
    await afterLogout.page.props.fetcher({ query: 'mutation { logout }' }, {});
    expect({ length: afterLogout.page.props.storage.length, reloads: afterLogout.page.reloads }).toEqual({ length: 0, reloads: 1 });
    expect(afterLogout.localStorageTouched).toEqual([]);
  });

  it('successful: logout answers with Clear-Site-Data for the cache and storage; login does not', async () => {
    const client = gw.asUser('user01');
    const loggedIn = await client.query('mutation($pin: String!) { login(pin: $pin) { token } }', {
      pin: gw.credentials('user01').loginPassword,
    });
    expect(loggedIn.headers['clear-site-data']).toBeUndefined();
    client.bearer = loggedIn.body.data.login.token;
    const loggedOut = await client.query('mutation { logout }');
    expect(loggedOut.body.data).toEqual({ logout: true });
    expect(loggedOut.headers['clear-site-data']).toBe('"cache", "storage"');
  });

  it("successful: the CSP lets GraphiQL's embedded fonts load (font-src data:) and allows no eval", async () => {
    const client = gw.asUser('admin01');
    const page = await client.request('/graphiql', { method: 'GET' });
    const csp = directives(page.headers['content-security-policy'] as string);
    expect(csp['font-src']).toEqual(['data:']);
    expect(Object.values(csp).flat()).not.toContain("'unsafe-eval'");
    expect(csp['script-src'] ?? csp['default-src']).toEqual(["'self'"]);
    // Exactly what the stylesheet loads: every font in it is a data: URL.
    const css = (await client.request('/graphiql/assets/graphiql.css', { method: 'GET' })).body.raw as string;
    const fontSources = [...css.matchAll(/@font-face\s*{[^}]*}/g)].flatMap((rule) =>
      [...rule[0].matchAll(/url\(([^)]{0,16})/g)].map((m) => m[1]),
    );
    expect(fontSources.length).toBeGreaterThan(0);
    expect(fontSources.filter((source) => !source.startsWith('data:font/'))).toEqual([]);
  });

  it('failing: a revoked certificate is refused on /graphiql and its assets exactly as on /graphql', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const users = (await admin.query('{ users { loginId activeCertificate { id } } }')).body.data.users;
    const user02 = users.find((u: { loginId: string }) => u.loginId === 'user02');
    const revoked = await admin.query('mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "PC lost") { status } }', {
      id: user02.activeCertificate.id,
    });
    expect(revoked.body.data.revokeCertificate.status).toBe('REVOKED');

    const lostPc = gw.asUser('user02');
    const graphql = await lostPc.query('{ whoami { loginId } }');
    expect({ status: graphql.status, code: errorCode(graphql) }).toEqual({ status: 401, code: 'CERTIFICATE_REJECTED' });
    for (const target of ['/graphiql', ...ASSETS.map((asset) => `/graphiql/assets/${asset}`)]) {
      const response = await lostPc.request(target, { method: 'GET' });
      expect({ target, status: response.status, body: response.body }).toEqual({ target, status: graphql.status, body: graphql.body });
    }
  });
});

describe('GraphiQL from a checkout under a folder starting with a dot', () => {
  let gw: TestGateway;
  let tmp: string;
  let gatewayProcess: GatewayProcess | undefined;

  beforeAll(async () => {
    gw = await TestGateway.start();
    // Like ~/.cache/project: the built gateway and (through the link) its node_modules.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-dot-'));
    const project = path.join(tmp, '.cache', 'project');
    fs.mkdirSync(project, { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist'), path.join(project, 'dist'), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(project, 'node_modules'), 'dir');
    // --preserve-symlinks: modules resolve under .cache/project/node_modules, as in a real checkout there.
    gatewayProcess = await GatewayProcess.start(gw, {
      main: path.join(project, 'dist', 'src', 'main.js'),
      nodeArgs: ['--preserve-symlinks', '--preserve-symlinks-main'],
    });
  });
  afterAll(async () => {
    await gatewayProcess?.kill();
    await gw.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('successful: the page and every asset are served from memory: 200, the real bytes, content type and ETag (304 on repeat)', async () => {
    const client = gw.withCertificate(gw.demoIdentity('admin01'), gatewayProcess!.apiOrigin);
    const js = await client.request('/graphiql/assets/graphiql.js', { method: 'GET' });
    expect(js.status).toBe(200);
    expect(js.body.raw).toBe(GRAPHIQL_JS);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const etag = js.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await client.request('/graphiql/assets/graphiql.js', { method: 'GET', headers: { 'if-none-match': etag } })).status).toBe(304);
    for (const target of ['/graphiql', ...ASSETS.map((asset) => `/graphiql/assets/${asset}`)]) {
      expect({ target, status: (await client.request(target, { method: 'GET' })).status }).toEqual({ target, status: 200 });
    }
    expect((await client.request('/graphiql/assets/graphiql.css', { method: 'GET' })).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
  });
});
