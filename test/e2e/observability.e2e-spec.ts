import { Writable } from 'node:stream';
import tls from 'node:tls';
import pino from 'pino';
import { request } from 'undici';
import { createCsr } from '../../scripts/cert';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { User } from '../../src/users/user.entity';
import { CHANGE_PASSWORD, login, loginAsPartner } from '../helpers/auth';
import { CREATE_TRANSFER, transferInput } from '../helpers/banking';
import { TestGateway } from '../helpers/gateway';
import { CREATE_USER, ENROLL, sessionAs } from '../helpers/lifecycle';

/**
 * The operations team's view: one structured line per request and per refused handshake, metrics
 * on their own listener — and, run at log level debug through a whole scenario, not one secret in
 * any line.
 */
describe('access log and metrics', () => {
  let gw: TestGateway;
  const lines: string[] = [];
  const secrets = new Set<string>();

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    gw = await TestGateway.start({ LOG_LEVEL: 'debug' }, { logger: pino({ level: 'debug' }, sink) });
    for (const id of ['operator01', 'admin01', 'user01', 'user02'] as const) {
      const { loginPassword, confirmationPassword, p12Password } = gw.credentials(id);
      [loginPassword, confirmationPassword, p12Password].forEach((secret) => secrets.add(secret));
      secrets.add(gw.demoIdentity(id).privateKeyPem.split('\n')[1]);
    }

    // The scenario: logins (right and wrong), a transfer, a new user with temporary passwords and an
    // enrollment code, an enrollment, a password change, a reset, a refused handshake.
    const user01 = gw.asUser('user01');
    await login(user01, 'WrongPin77x');
    secrets.add('WrongPin77x');
    secrets.add(await loginAsPartner(user01, gw.credentials('user01').loginPassword));
    await user01.query(CREATE_TRANSFER, { input: transferInput(1, 1000), pw: gw.credentials('user01').confirmationPassword });
    const browser = gw.asUser('user02');
    const cookie = (await login(browser, gw.credentials('user02').loginPassword)).headers['set-cookie'];
    secrets.add(String(cookie).split(';')[0].split('=')[1]);

    const admin = await sessionAs(gw, 'admin01');
    secrets.add(admin.bearer!);
    const created = (
      await admin.query(CREATE_USER, {
        input: { loginId: 'log-scan', displayName: 'Log Scan', permissions: [], transferLimitPerTransaction: 0, dailyTransferLimit: 0 },
        confirmationPassword: gw.credentials('admin01').confirmationPassword,
      })
    ).body.data.createUser;
    const { loginPassword: temporaryLogin, confirmationPassword: temporaryConfirmation } = created.temporaryPasswords;
    [temporaryLogin, temporaryConfirmation, created.enrollmentCode.code].forEach((secret) => secrets.add(secret));
    const keys = generateRsaKeyPair();
    const csrPem = createCsr(keys.privateKeyPem, keys.publicKeyPem, 'log-scan');
    secrets.add(keys.privateKeyPem.split('\n')[1]);
    secrets.add(csrPem.split('\n')[1]);
    const enrolled = await gw
      .enrollClient()
      .query(ENROLL, { loginId: 'log-scan', code: created.enrollmentCode.code, password: temporaryLogin, csrPem });
    expect(enrolled.body.errors).toBeUndefined();
    secrets.add('NewPassw0rd4Log');
    await user01.query(CHANGE_PASSWORD, { kind: 'LOGIN', current: gw.credentials('user01').loginPassword, next: 'NewPassw0rd4Log' });
    const { id } = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'log-scan' });
    const reset = await admin.query(
      'mutation($id: Int!, $pw: String!) { resetUserPasswords(userId: $id, confirmationPassword: $pw) { temporaryPasswords { loginPassword } } }',
      {
        id,
        pw: gw.credentials('admin01').confirmationPassword,
      },
    );
    secrets.add(reset.body.data.resetUserPasswords.temporaryPasswords.loginPassword);

    await new Promise<void>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: gw.gateway.apiPort, ca: gw.caPem, servername: 'localhost' });
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
    });
    // The server's side of the refusal is logged asynchronously: wait for its line.
    const deadline = Date.now() + 10_000;
    while (!lines.some((line) => line.includes('"msg":"tls handshake refused"'))) {
      if (Date.now() > deadline) throw new Error('the refused handshake was not logged within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  afterAll(() => gw.stop());

  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('failing: no log line holds a password, PIN, enrollment code, token, cookie, key or CSR', () => {
    expect(lines.length).toBeGreaterThanOrEqual(10); // one line per request of the scenario, at least
    expect(secrets.size).toBeGreaterThan(15);
    const leaks = [...secrets].filter((secret) => lines.some((line) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });

  it('failing: every request has one access-log line with its id, certificate, user, operation, outcome, status and latency', async () => {
    const response = await gw.asUser('user02').query('{ whoami { loginId } }');
    const id = response.headers['x-request-id'];
    // The line is written when the server has finished sending, which may be just after the client has read it.
    let line: Record<string, unknown> | undefined;
    for (let tick = 0; tick < 100 && !line; tick++) {
      line = entries().find((entry) => entry.msg === 'request' && entry.requestId === id);
      if (!line) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(line).toMatchObject({
      listener: 'api',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operations: ['whoami'],
      outcome: 'OK',
      loginId: 'user02',
      certificate: expect.stringMatching(/^[0-9a-f]{16}$/),
      latencyMs: expect.any(Number),
    });
    expect(entries().filter((entry) => entry.msg === 'request' && entry.requestId === id)).toHaveLength(1);
    expect(
      entries().find(
        (entry) => entry.msg === 'request' && (entry.operations as string[])?.includes('login') && entry.outcome === 'LOGIN_FAILED',
      ),
    ).toBeDefined();
  });

  it('failing: a refused handshake is logged with its reason', () => {
    expect(entries().find((entry) => entry.msg === 'tls handshake refused' && entry.listener === 'api')).toMatchObject({
      reason: expect.any(String),
    });
  });

  it('failing: Prometheus metrics on their own listener count requests by operation and outcome, handshakes and the event loop', async () => {
    const response = await request(`http://127.0.0.1:${gw.gateway.metricsPort}/metrics`);
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    expect(text).toMatch(/gateway_requests_total\{listener="api",operation="login",outcome="LOGIN_FAILED"\} 1/);
    expect(text).toMatch(/gateway_request_duration_seconds_bucket\{le="0.05",listener="api"\}/);
    expect(text).toMatch(/gateway_tls_handshake_failures_total\{listener="api",reason="[A-Z_]+"\} [1-9]/);
    expect(text).toMatch(/gateway_refusals_total\{code="LOGIN_FAILED"\} 1/);
    expect(text).toMatch(/gateway_nodejs_eventloop_lag_seconds/);
    expect((await request(`http://127.0.0.1:${gw.gateway.metricsPort}/other`)).statusCode).toBe(404);
  });
});
