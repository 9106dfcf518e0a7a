import https from 'node:https';
import net from 'node:net';
import { LOGIN, login } from '../helpers/auth';
import type { GraphqlClient, GraphqlResponse, TlsIdentity } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';

const STOPPED_ACCEPTING = 'stopped accepting connections; finishing the requests in flight';
const DEMO_IDS: DemoLoginId[] = ['operator01', 'admin01', 'user01', 'user02'];

/** A bound on waiting for the process, so that a hang fails the test with a reason instead of a timeout. */
function within<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${seconds} s for ${what}`)), seconds * 1000);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

/** Resolves with the error of a plain TCP connection attempt (null if it was accepted). */
function tcpConnect(port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: 'localhost', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error) => resolve(error));
  });
}

interface HeldRequest {
  /** Sends the body and resolves with the answer. */
  release(): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>;
  /** Settles when the connection is gone (cut off, or closed after the answer). */
  closed: Promise<void>;
}

/**
 * A GraphQL request on its own connection whose body the client holds back: the gateway has
 * answered `100 Continue`, which Node does just as it hands the request to the application, so
 * the request is in flight there — like a slow upload — until `release()`.
 */
function heldRequest(port: number, caPem: string, identity: TlsIdentity, payload: unknown): Promise<HeldRequest> {
  const body = JSON.stringify(payload);
  return new Promise((resolveHeld, rejectHeld) => {
    const request = https.request({
      host: 'localhost',
      servername: 'localhost',
      port,
      method: 'POST',
      path: '/graphql',
      agent: false,
      ca: caPem,
      cert: identity.certificatePem,
      key: identity.privateKeyPem,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    });
    const answer = new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
      request.once('response', async (response) => {
        let text = '';
        for await (const chunk of response) text += chunk;
        resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(text) });
      });
      request.once('error', reject);
    });
    answer.catch(() => undefined); // observed through release() when it matters
    const closed = new Promise<void>((resolve) => request.once('close', () => resolve()));
    request.once('error', rejectHeld);
    request.once('continue', () =>
      resolveHeld({
        release: () => {
          request.end(body);
          return answer;
        },
        closed,
      }),
    );
  });
}

/** Each mode as it runs for real, and production as a cluster (WORKERS=2: the primary passes the stop on). */
const SETUPS = [
  { mode: 'production', workers: '1' },
  { mode: 'development', workers: '1' },
  { mode: 'production', workers: '2' },
] as const;

describe.each(SETUPS)('the gateway process on SIGTERM ($mode mode, WORKERS=$workers)', ({ mode, workers }) => {
  let gw: TestGateway;
  let gatewayProcess: GatewayProcess | undefined;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterEach(async () => {
    await gatewayProcess?.kill();
    gatewayProcess = undefined;
  });
  afterAll(() => gw.stop());

  it('successful: logins in flight get their normal answers (no INTERNAL, no reset) and the process exits 0', async () => {
    gatewayProcess = await GatewayProcess.start(gw, { mode, env: { WORKERS: workers } });
    const proc = gatewayProcess;
    // Three connections per demo identity, each opened with a first request, so that every login
    // below travels on a connection the gateway already serves.
    const callers: Array<{ client: GraphqlClient; pin: string }> = [];
    for (const loginId of DEMO_IDS) {
      for (let i = 0; i < 3; i++)
        callers.push({ client: gw.withCertificate(gw.demoIdentity(loginId), proc.apiOrigin), pin: gw.credentials(loginId).loginPassword });
    }
    await Promise.all(callers.map(({ client }) => client.query('{ whoami { loginId } }')));

    // Two more logins whose bodies are still on their way when the signal comes (slow uploads).
    const held = await Promise.all(
      (['user01', 'user02'] as const).map((loginId) =>
        heldRequest(proc.apiPort, gw.caPem, gw.demoIdentity(loginId), {
          query: LOGIN,
          variables: { pin: gw.credentials(loginId).loginPassword },
        }),
      ),
    );
    // Twelve logins: argon2id, two at a time, so most are still running when the signal comes.
    const logins = callers.map(({ client, pin }) => login(client, pin));
    await Promise.race(logins);
    proc.signal('SIGTERM');
    await within(proc.nextLog('shutting down'), 15, 'the log line "shutting down"');

    const answers = await Promise.allSettled<{ status: number; headers: GraphqlResponse['headers']; body: any }>([
      ...logins,
      ...held.map((request) => request.release()),
    ]);
    for (const answer of answers) {
      const seen =
        answer.status === 'fulfilled'
          ? { status: answer.value.status, errors: answer.value.body.errors }
          : { failed: String(answer.reason) };
      expect(seen).toEqual({ status: 200, errors: undefined });
    }
    const answered = answers.map((answer) => (answer as PromiseFulfilledResult<GraphqlResponse>).value);
    expect(answered.every((answer) => typeof answer.body.data.login.token === 'string')).toBe(true);
    expect(await within(proc.exited, 30, 'the process to exit')).toBe(0);

    // They were in flight when the listeners closed; those answered after it told the client
    // not to reuse the connection.
    const inFlight = proc.logs.filter((entry) => entry.msg === STOPPED_ACCEPTING).map((entry) => entry.inFlight as number);
    expect(inFlight).toHaveLength(Number(workers)); // every worker finished its own
    expect(inFlight.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(held.length);
    expect(answered.filter((answer) => answer.headers.connection === 'close').length).toBeGreaterThanOrEqual(held.length);
    expect(proc.logs.map((entry) => entry.msg)).toContain('stopped');
  });

  it('successful: once SIGTERM has arrived, both listeners refuse new connections', async () => {
    gatewayProcess = await GatewayProcess.start(gw, { mode, env: { SHUTDOWN_GRACE_SECONDS: '60', WORKERS: workers } });
    const proc = gatewayProcess;
    // A request whose body never comes keeps the process in its shutdown while we try to connect.
    await heldRequest(proc.apiPort, gw.caPem, gw.demoIdentity('user01'), { query: '{ whoami { loginId } }' });
    proc.signal('SIGTERM');
    await within(proc.logged(STOPPED_ACCEPTING, Number(workers)), 15, `the log line "${STOPPED_ACCEPTING}" from every worker`);
    expect((await tcpConnect(proc.apiPort))?.code).toBe('ECONNREFUSED');
    expect((await tcpConnect(proc.enrollPort))?.code).toBe('ECONNREFUSED');
    // Refused by a process still shutting down, not by a dead one (in a cluster, an idle worker may have stopped already).
    expect(proc.logs.some((entry) => entry.msg === 'stopped' && entry.worker === undefined)).toBe(false);
    expect(proc.running).toBe(true);
  });
});

describe('the gateway process when requests outlast the shutdown', () => {
  let gw: TestGateway;
  let gatewayProcess: GatewayProcess | undefined;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterEach(async () => {
    await gatewayProcess?.kill();
    gatewayProcess = undefined;
  });
  afterAll(() => gw.stop());

  it('failing: a request still unanswered after SHUTDOWN_GRACE_SECONDS is cut off and the process exits 1', async () => {
    gatewayProcess = await GatewayProcess.start(gw, { mode: 'production', env: { SHUTDOWN_GRACE_SECONDS: '1' } });
    const proc = gatewayProcess;
    const stuck = await heldRequest(proc.apiPort, gw.caPem, gw.demoIdentity('user01'), { query: '{ whoami { loginId } }' });
    proc.signal('SIGTERM');
    expect((await within(proc.nextLog(STOPPED_ACCEPTING), 15, 'the listeners to close')).inFlight).toBe(1);
    expect(await within(proc.exited, 30, 'the process to exit')).toBe(1);
    await stuck.closed;
    expect(proc.logs.find((entry) => entry.msg.includes('cut off'))).toMatchObject({ cutOff: 1 });
  });

  it('failing: a second signal during the shutdown ends the process at once with exit code 1', async () => {
    gatewayProcess = await GatewayProcess.start(gw, { mode: 'production', env: { SHUTDOWN_GRACE_SECONDS: '600' } });
    const proc = gatewayProcess;
    await heldRequest(proc.apiPort, gw.caPem, gw.demoIdentity('user01'), { query: '{ whoami { loginId } }' });
    proc.signal('SIGINT');
    expect((await within(proc.nextLog(STOPPED_ACCEPTING), 15, 'the listeners to close')).inFlight).toBe(1);
    proc.signal('SIGINT');
    expect(await within(proc.exited, 30, 'the process to exit')).toBe(1);
    expect(proc.logs.map((entry) => entry.msg)).toContain('second signal during shutdown: exiting at once');
  });
});
