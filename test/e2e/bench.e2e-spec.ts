import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'undici';
import { startBareApollo, startBareGraphqlJs, type BaselineServer } from '../../bench/harness/baselines';
import { negotiated, type ClientTls } from '../../bench/harness/load';
import { createTestDatabase, testEngine } from '../helpers/database';
import { TestGateway } from '../helpers/gateway';

const WHOAMI = JSON.stringify({ query: '{ whoami { loginId } }' });

async function postWhoami(origin: string, tls: Partial<ClientTls> & { ca: string }) {
  const client = new Client(origin, { connect: { ...tls, servername: 'localhost' } });
  try {
    const response = await client.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: WHOAMI,
    });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  } finally {
    await client.close();
  }
}

describe.each([
  ['bare Apollo', startBareApollo],
  ['bare graphql-js', startBareGraphqlJs],
])("the bench's %s baseline is served as the gateway serves POST /graphql", (_name, start) => {
  let gw: TestGateway;
  let baseline: BaselineServer;
  let user01: ClientTls;

  beforeAll(async () => {
    gw = await TestGateway.start();
    const { pki } = gw.gateway.services;
    baseline = await start({ key: pki.serverPrivateKeyPem, cert: pki.serverCertificatePem, ca: pki.caCertificatePem });
    const identity = gw.demoIdentity('user01');
    user01 = { ca: gw.caPem, cert: identity.certificatePem, key: identity.privateKeyPem };
  });

  afterAll(async () => {
    await baseline?.close();
    await gw?.stop();
  });

  const baselineOrigin = () => `https://localhost:${baseline.port}`;

  it('over the same TLS: the same version and cipher with the same client', async () => {
    expect(await negotiated(baselineOrigin(), user01)).toBe(await negotiated(gw.apiOrigin, user01));
  });

  it("answers the gateway's whoami body, through the gateway's own HTTP handling and not express's", async () => {
    const [bare, gateway] = await Promise.all([postWhoami(baselineOrigin(), user01), postWhoami(gw.apiOrigin, user01)]);
    expect(bare.status).toBe(200);
    expect(JSON.parse(bare.body)).toEqual(JSON.parse(gateway.body));
    expect(bare.headers['x-powered-by']).toBeUndefined();
    expect(bare.headers['content-length']).toBe(String(Buffer.byteLength(bare.body)));
    // Everything it says, the gateway says too: the gateway only adds (HSTS, no-store, …).
    expect(Object.keys(gateway.headers)).toEqual(expect.arrayContaining(Object.keys(bare.headers)));
  });

  it('refuses a client without a certificate from the bank CA at the handshake, as the gateway does', async () => {
    await expect(postWhoami(baselineOrigin(), { ca: gw.caPem })).rejects.toThrow();
    await expect(postWhoami(gw.apiOrigin, { ca: gw.caPem })).rejects.toThrow();
  });
});

const MAIN = path.join(__dirname, '..', '..', 'dist', 'bench', 'main.js');
/** A short bench run takes ~20 s on a busy 2-core machine; this allows one five times slower. */
const BENCH_RUN_MS = 150_000;

/** The built bench with `args`, killed (and with it its servers, which exit with it) if it outlives BENCH_RUN_MS. */
function runBench(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: BENCH_RUN_MS, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('npm run bench -- --case (the built bench)', () => {
  it(
    'runs only the named case and writes its rows as ratios to both baselines',
    async () => {
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-bench-spec-'));
      const database = await createTestDatabase(cwd);
      try {
        const run = await runBench(['--case', 'requests'], {
          cwd,
          env: { BENCH_DATABASE_URL: database.url, BENCH_SECONDS: '0.3', BENCH_WARMUP_SECONDS: '0', BENCH_ROUNDS: '1' },
        });
        expect(run.stderr).not.toMatch(/Error/);
        expect(run.status).toBe(0);
        const [file] = fs.readdirSync(path.join(cwd, 'bench', 'results'));
        // Named for the case, so as not to replace a full run's file.
        expect(file).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}-${testEngine}-requests\\.json$`));
        const written = JSON.parse(fs.readFileSync(path.join(cwd, 'bench', 'results', file), 'utf8'));
        expect(written.baselines).toEqual({
          https: 'https (bare mTLS server)',
          apollo: 'apollo (bare Apollo, gateway HTTP)',
          graphqlJs: 'graphql-js (bare, gateway HTTP)',
          reference: 'apollo on express (former baseline)',
          tls: expect.stringMatching(/^TLSv1\.3 /),
          rounds: 1,
        });
        expect(Object.keys(written.results)).toEqual([
          'https (bare mTLS server)',
          'apollo (bare Apollo, gateway HTTP)',
          'graphql-js (bare, gateway HTTP)',
          'whoami (identity per request)',
          'me, bare Apollo',
          'me, bare graphql-js',
          'me (identity + session)',
          'accounts, bare Apollo',
          'accounts, bare graphql-js',
          'accounts (+ permission, read)',
          'transfers, 100 rows, bare Apollo',
          'transfers, 100 rows, bare graphql-js',
          'transfers, 100 rows (+ 3 relations)',
          'apollo on express (former baseline)',
        ]);
        // me, accounts and the page are each held against bare Apollo (issue 22) and bare graphql-js answering the same query.
        for (const [row, name] of [
          ['me (identity + session)', 'me'],
          ['accounts (+ permission, read)', 'accounts'],
          ['transfers, 100 rows (+ 3 relations)', 'transfers, 100 rows'],
        ]) {
          const { perSecond, apolloBaseline, graphqlJsBaseline, toApollo, toGraphqlJs } = written.results[row];
          expect({ apolloBaseline, graphqlJsBaseline }).toEqual({
            apolloBaseline: `${name}, bare Apollo`,
            graphqlJsBaseline: `${name}, bare graphql-js`,
          });
          expect(toApollo).toBeCloseTo(perSecond / written.results[apolloBaseline].perSecond, 6);
          expect(toGraphqlJs).toBeCloseTo(perSecond / written.results[graphqlJsBaseline].perSecond, 6);
        }
        expect(written.results['whoami (identity per request)'].apolloBaseline).toBe('apollo (bare Apollo, gateway HTTP)');
        for (const result of Object.values<any>(written.results)) {
          expect(result).toEqual(
            expect.objectContaining({
              errors: 0,
              toHttps: expect.any(Number),
              toApollo: expect.any(Number),
              toGraphqlJs: expect.any(Number),
            }),
          );
          expect(result.requests).toBeGreaterThan(0);
        }
        expect(written.results['apollo (bare Apollo, gateway HTTP)'].toApollo).toBe(1);
        expect(written.results['graphql-js (bare, gateway HTTP)'].toGraphqlJs).toBe(1);
        // Only the chosen case ran: no other case's section.
        expect(written).not.toHaveProperty('storm');
        expect(written).not.toHaveProperty('lists');
      } finally {
        await database.drop();
        fs.rmSync(cwd, { recursive: true, force: true });
      }
    },
    BENCH_RUN_MS + 30_000,
  );

  it('stops at once on an unknown case, naming the cases there are', async () => {
    const run = await runBench(['--case', 'login-strom']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no such case: login-strom');
    expect(run.stderr).toContain('login-storm');
  });
});
