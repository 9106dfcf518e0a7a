import net from 'node:net';
import type { GraphqlClient } from '../helpers/client';
import { testEngine } from '../helpers/database';
import { TestGateway } from '../helpers/gateway';

describe('liveness and readiness', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: /healthz says the process is alive and /readyz that the database answers, without a certificate', async () => {
    const enroll = gw.enrollClient();
    expect((await enroll.request('/healthz', { method: 'GET' })).body).toEqual({ status: 'ok' });
    expect((await enroll.request('/readyz', { method: 'GET' })).body).toEqual({ status: 'ready' });
  });
});

/**
 * A database server that stops answering (not one that is down: its connections stay open) must
 * not hang requests. A TCP relay between the gateway and MariaDB freezes on demand, as a stalled
 * server or network would. SQLite has no server to freeze, so this runs where the tests run on
 * MySQL/MariaDB (TEST_DATABASE_URL, as CI does).
 */
(testEngine === 'mysql' ? describe : describe.skip)('a frozen database server (MySQL/MariaDB only)', () => {
  const QUERY_TIMEOUT_MS = 1000;
  /** The bound on an answer while the server is frozen: the query timeout, and room for a busy machine. */
  const ANSWER_WITHIN_MS = QUERY_TIMEOUT_MS + 2000;
  let gw: TestGateway;
  let database: TestGateway;
  let relay: net.Server;
  let frozen = false;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    const target = new URL(process.env.TEST_DATABASE_URL!);
    relay = net.createServer((client) => {
      const server = net.connect(Number(target.port || 3306), target.hostname);
      for (const socket of [client, server]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk) => frozen || server.write(chunk));
      server.on('data', (chunk) => frozen || client.write(chunk));
      client.on('close', () => server.destroy());
      server.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    database = await TestGateway.start(); // creates and migrates a database of its own
    const url = new URL(database.databaseUrl);
    await database.gateway.stop();
    url.host = `127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
    gw = await TestGateway.start({
      DATABASE_URL: url.toString(),
      DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      CERTS_DIR: database.config.pki.certsDir,
    });
  });
  afterAll(async () => {
    frozen = false;
    await gw.stop();
    for (const socket of sockets) socket.destroy();
    relay.close();
    await database.stop(); // drops the database and the folder
  });

  const whoami = (client: GraphqlClient) => client.query('{ whoami { loginId } }');

  /** Each request's status, Retry-After, code and time to its answer. */
  async function timed(clients: GraphqlClient[]) {
    return Promise.all(
      clients.map(async (client) => {
        const started = Date.now();
        const response = await whoami(client);
        return {
          status: response.status,
          retryAfter: response.headers['retry-after'],
          code: response.body.errors?.[0]?.extensions?.code,
          ms: Date.now() - started,
        };
      }),
    );
  }

  it('requests answer 503 SERVICE_UNAVAILABLE with Retry-After within the query timeout, however long the freeze and however many wait for a connection; /readyz turns 503 as promptly; all recover', async () => {
    // More callers than the pool has connections (20), each on its own TLS connection, opened before the freeze.
    const users = Array.from({ length: 30 }, () => gw.asUser('user01'));
    const enroll = gw.enrollClient();
    for (const user of users) expect((await whoami(user)).body.data.whoami.loginId).toBe('user01');

    frozen = true;
    const frozenAt = Date.now();
    // Three waves: the first finds pooled connections, the later ones a pool whose connections
    // were left stuck by the earlier timeouts, and new connections that never finish their handshake.
    const waves = [];
    for (let wave = 0; wave < 3; wave++) {
      const afterMs = Date.now() - frozenAt;
      const readiness = async () => {
        const started = Date.now();
        const { status } = await enroll.request('/readyz', { method: 'GET' });
        return { status, ms: Date.now() - started };
      };
      const [answers, ready] = await Promise.all([timed(users), readiness()]);
      waves.push({ afterMs, answers, ready });
    }
    for (const { answers, ready } of waves) {
      for (const answer of answers) {
        expect(answer).toEqual({
          status: 503,
          retryAfter: expect.stringMatching(/^\d+$/),
          code: 'SERVICE_UNAVAILABLE',
          ms: expect.any(Number),
        });
        expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
      }
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    expect((await enroll.request('/healthz', { method: 'GET' })).status).toBe(200);

    frozen = false;
    for (const socket of sockets) socket.destroy(); // a stalled network's connections do not come back
    let ready = 503;
    for (let i = 0; i < 20 && ready !== 200; i++) ready = (await enroll.request('/readyz', { method: 'GET' })).status;
    expect(ready).toBe(200);
    for (const answer of await timed(users)) expect(answer.status).toBe(200);
  });
});
