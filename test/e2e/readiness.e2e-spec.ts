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
      DATABASE_QUERY_TIMEOUT_MS: '1000',
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

  it('failing: requests answer 503 within the query timeout, /healthz stays 200, /readyz turns 503, and all recover', async () => {
    const user = gw.asUser('user01');
    const enroll = gw.enrollClient();
    expect((await whoami(user)).body.data.whoami.loginId).toBe('user01');

    frozen = true;
    const refused = await whoami(user);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body.errors![0]).toEqual({
      message: 'The service is temporarily unavailable. Please try again shortly.',
      extensions: { code: 'INTERNAL' },
    });
    expect((await enroll.request('/healthz', { method: 'GET' })).status).toBe(200);
    expect((await enroll.request('/readyz', { method: 'GET' })).status).toBe(503);

    frozen = false;
    for (const socket of sockets) socket.destroy(); // a stalled network's connections do not come back
    let ready = 503;
    for (let i = 0; i < 20 && ready !== 200; i++) ready = (await enroll.request('/readyz', { method: 'GET' })).status;
    expect(ready).toBe(200);
    expect((await whoami(user)).body.data.whoami.loginId).toBe('user01');
  });
});
