import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { TlsIdentity } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';

const HSTS = 'max-age=63072000; includeSubDomains';

interface Exchange {
  protocol: string | null;
  cipher: string;
  status: number;
  body: string;
}

/** One request on a new connection with the given TLS settings; rejects when the handshake fails. */
function exchange(
  origin: string,
  caPem: string,
  identity: TlsIdentity | null,
  requestPath: string,
  tlsOptions: https.RequestOptions = {},
): Promise<Exchange> {
  const url = new URL(requestPath, origin);
  const body = requestPath === '/graphql' ? JSON.stringify({ query: '{ whoami { loginId } }' }) : undefined;
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: url.hostname,
        servername: 'localhost',
        port: url.port,
        path: url.pathname,
        method: body ? 'POST' : 'GET',
        headers: body ? { 'content-type': 'application/json' } : {},
        agent: false,
        ca: caPem,
        cert: identity?.certificatePem,
        key: identity?.privateKeyPem,
        ...tlsOptions,
      },
      async (response) => {
        const socket = response.socket as TLSSocket;
        const negotiated = { protocol: socket.getProtocol(), cipher: socket.getCipher().name };
        let text = '';
        for await (const chunk of response) text += chunk;
        resolve({ ...negotiated, status: response.statusCode!, body: text });
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

describe('transport security of both listeners', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  const listeners = () => [
    { name: 'API', origin: gw.apiOrigin, identity: gw.demoIdentity('user01'), path: '/graphql' },
    { name: 'enrollment', origin: gw.enrollOrigin, identity: null, path: '/healthz' },
  ];

  it('failing: TLS 1.2 without forward secrecy or AEAD (AES128-SHA, AES256-CCM8, ECDHE-RSA-AES128-SHA) is refused at the handshake; ECDHE with AES-GCM and TLS 1.3 still serve', async () => {
    for (const listener of listeners()) {
      for (const cipher of ['AES128-SHA', 'AES256-CCM8', 'ECDHE-RSA-AES128-SHA']) {
        // @SECLEVEL=0: OpenSSL 3.5 (Node 22 and 24) would not even offer AES256-CCM8 (a 64-bit tag) by default.
        const ciphers = `${cipher}:@SECLEVEL=0`;
        const attempt = exchange(listener.origin, gw.caPem, listener.identity, listener.path, { ciphers, maxVersion: 'TLSv1.2' });
        // The server's alert (40), not a client-side configuration error: the client did offer the suite.
        await expect(attempt).rejects.toThrow(/alert handshake failure/);
      }
      const tls12 = await exchange(listener.origin, gw.caPem, listener.identity, listener.path, {
        ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
        maxVersion: 'TLSv1.2',
      });
      expect({ listener: listener.name, protocol: tls12.protocol, cipher: tls12.cipher, status: tls12.status }).toEqual({
        listener: listener.name,
        protocol: 'TLSv1.2',
        cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
        status: 200,
      });
      const tls13 = await exchange(listener.origin, gw.caPem, listener.identity, listener.path);
      expect({ listener: listener.name, protocol: tls13.protocol, status: tls13.status }).toEqual({
        listener: listener.name,
        protocol: 'TLSv1.3',
        status: 200,
      });
      expect(tls13.cipher).toMatch(/^TLS_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_SHA(256|384)$/);
    }
    const whoami = await exchange(gw.apiOrigin, gw.caPem, gw.demoIdentity('user01'), '/graphql', {
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
      maxVersion: 'TLSv1.2',
    });
    expect(JSON.parse(whoami.body).data.whoami.loginId).toBe('user01');
  });

  it('successful: every response of both listeners carries Strict-Transport-Security', async () => {
    const api = gw.asUser('admin01');
    const enroll = gw.enrollClient();
    const responses = {
      'API /graphql': await api.query('{ whoami { loginId } }'),
      'API /graphql, an error': await api.query('{ me { loginId } }'),
      'API /graphql, malformed JSON': await api.request('/graphql', { body: '{' }),
      'API /graphiql': await api.request('/graphiql', { method: 'GET' }),
      'API /graphiql asset': await api.request('/graphiql/assets/init.js', { method: 'GET' }),
      'API unknown path': await api.request('/nothing-here', { method: 'GET' }),
      'enrollment /graphql': await enroll.query('{ __typename }'),
      'enrollment /healthz': await enroll.request('/healthz', { method: 'GET' }),
      'enrollment /ca.pem': await enroll.request('/ca.pem', { method: 'GET' }),
      'enrollment /crl': await enroll.request('/crl', { method: 'GET' }),
      'enrollment unknown path': await enroll.request('/nothing-here', { method: 'GET' }),
    };
    const seen = Object.fromEntries(
      Object.entries(responses).map(([name, response]) => [name, response.headers['strict-transport-security']]),
    );
    expect(seen).toEqual(Object.fromEntries(Object.keys(responses).map((name) => [name, HSTS])));
    // Not just successes: the set includes refusals and errors.
    expect(Object.values(responses).map((response) => response.status)).toEqual(expect.arrayContaining([200, 400, 404]));
  });
});

describe('the SQLite database file', () => {
  const dirs: string[] = [];
  let previousUmask: number;

  beforeAll(() => {
    // The usual umask: without the fix, SQLite would create the files readable by everyone.
    previousUmask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(previousUmask);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Its own SQLite gateway whatever TEST_DATABASE_URL says: the file is what is under test. */
  async function sqliteGateway(prepare: (file: string) => void = () => undefined): Promise<{ gw: TestGateway; file: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-sqlite-mode-'));
    dirs.push(dir);
    const file = path.join(dir, 'data', 'gateway.sqlite');
    prepare(file);
    const gw = await TestGateway.start({ DATABASE_URL: `sqlite:${file}` });
    // A write, so that the -wal and -shm files exist.
    await gw
      .asUser('user01')
      .query('mutation($pin: String!) { login(pin: $pin) { token } }', { pin: gw.credentials('user01').loginPassword });
    return { gw, file };
  }

  const modes = (file: string) =>
    Object.fromEntries([file, `${file}-wal`, `${file}-shm`].map((f) => [path.basename(f), (fs.statSync(f).mode & 0o777).toString(8)]));

  it('successful: a new database and its -wal and -shm files are readable and writable by the gateway user only (0600)', async () => {
    const { gw, file } = await sqliteGateway();
    try {
      expect(modes(file)).toEqual({ 'gateway.sqlite': '600', 'gateway.sqlite-wal': '600', 'gateway.sqlite-shm': '600' });
    } finally {
      await gw.stop();
    }
  });

  it('successful: a database file left readable by others (an older start) is made private at start', async () => {
    const { gw, file } = await sqliteGateway((f) => {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, '', { mode: 0o644 });
      fs.chmodSync(f, 0o644);
    });
    try {
      expect(modes(file)).toEqual({ 'gateway.sqlite': '600', 'gateway.sqlite-wal': '600', 'gateway.sqlite-shm': '600' });
    } finally {
      await gw.stop();
    }
  });
});
