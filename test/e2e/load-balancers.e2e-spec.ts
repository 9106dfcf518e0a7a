import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { createCsr } from '../../scripts/cert';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { generateEnrollmentCode } from '../../src/pki/enrollment.service';
import { User } from '../../src/users/user.entity';
import { login, loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlResponse } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { GatewayProcess, type LogEntry } from '../helpers/gateway-process';
import { ENROLL } from '../helpers/lifecycle';
import { proxyV2Header, startHaproxy, startNginx, type LoadBalancer } from '../helpers/load-balancers';
import { apiRequests, capturingLogger, logged } from '../helpers/logs';

/**
 * DESIGN.md §7 and R16: several gateway instances on one database behind the bank's real load
 * balancers — HAProxy passing TLS through (mTLS end to end) with PROXY protocol v2, and nginx
 * terminating mTLS in trusted-proxy mode. Clients connect from 127.0.0.2 (or .3), the balancers
 * from 127.0.0.1: what the gateway records as the client's address tells which one it saw.
 */

const WHOAMI = '{ whoami { loginId } }';
const ALLOW = 'mutation($e: [String!]!, $pw: String!) { setIpAllowList(entries: $e, confirmationPassword: $pw) { ipAllowList } }';
const REVOKE = 'mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "PC lost") { status } }';
const HANDSHAKE_REFUSED = 'tls handshake refused';

/** Two instances on one database (one in this process, one a separate process) and the balancer's API origin. */
interface Deployment {
  gw: TestGateway;
  firstLogs: LogEntry[];
  second: GatewayProcess;
  origin: string;
}

/** The two instances, and more processes on the same data with their own settings. */
async function startInstances(
  env: Record<string, string>,
  moreEnvs: Record<string, string>[] = [],
): Promise<[Omit<Deployment, 'origin'>, GatewayProcess[]]> {
  const { logger, entries } = capturingLogger();
  const gw = await TestGateway.start(env, { logger });
  // The processes start side by side (each takes seconds on a busy machine); if one fails, none is left running.
  const started = await Promise.allSettled([env, ...moreEnvs].map((processEnv) => GatewayProcess.start(gw, { env: processEnv })));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.kill() : undefined)));
    await gw.stop();
    throw failed.reason;
  }
  const [second, ...more] = started.map((result) => (result as PromiseFulfilledResult<GatewayProcess>).value);
  return [{ gw, firstLogs: entries, second }, more];
}

/** Starting two or three instances and a balancer on two busy cores takes a while. */
const START_TIMEOUT_MS = 180_000;

/** A client with a demo certificate (or none) connecting to the balancer from `localAddress`. */
function through(d: Deployment, id: DemoLoginId | null, localAddress = '127.0.0.2', origin = d.origin) {
  return d.gw.withCertificate(id && d.gw.demoIdentity(id), origin, { localAddress });
}

const tally = (responses: GraphqlResponse[]) =>
  responses
    .flatMap((r) => (r.body.errors ?? []).map((e) => String(e.extensions?.code)))
    .reduce<Record<string, number>>((acc, code) => ({ ...acc, [code]: (acc[code] ?? 0) + 1 }), {});

/** What must hold behind any balancer, whichever instance a request lands on. */
function holdsBehindTheBalancer(deployment: () => Deployment) {
  const db = () => deployment().gw.gateway.services.db.writableManager;

  /** Each instance wrote an access-log line that matches. */
  const eachInstanceLogged = (matches: (entry: LogEntry) => boolean) =>
    Promise.all([deployment().firstLogs, deployment().second.logs].map((entries) => logged(entries, matches)));

  it('successful: every connection is identified by its own certificate, on both instances', async () => {
    const d = deployment();
    for (let i = 0; i < 6; i++) {
      const loginId = i % 2 ? 'user02' : 'user01';
      expect((await through(d, loginId).query(WHOAMI)).body.data.whoami.loginId).toBe(loginId);
    }
    await eachInstanceLogged((e) => apiRequests([e], 'whoami').length > 0);
  });

  it('successful: the audit and the access log record the client’s own address, on both instances', async () => {
    const d = deployment();
    for (let i = 0; i < 4; i++) await loginAsPartner(through(d, 'admin01'), d.gw.credentials('admin01').loginPassword);
    const logins = await db().findBy(AuditEvent, { action: AuditAction.LOGIN, actorLoginId: 'admin01' });
    expect(logins.map((event) => event.sourceAddress)).toEqual(Array(4).fill('127.0.0.2'));
    const lines = await eachInstanceLogged((e) => apiRequests([e], 'login').length > 0 && e.loginId === 'admin01');
    expect(lines.map((line) => line.address)).toEqual(['127.0.0.2', '127.0.0.2']);
  });

  it('failing: the contract’s IP allow-list sees the client’s own address, on both instances', async () => {
    const d = deployment();
    const admin = through(d, 'admin01');
    await loginAsPartner(admin, d.gw.credentials('admin01').loginPassword);
    const pw = d.gw.credentials('admin01').confirmationPassword;
    // Only the client's own address: a list that would lock its author out is refused.
    expect((await admin.query(ALLOW, { e: ['127.0.0.2'], pw })).body.data?.setIpAllowList.ipAllowList).toEqual(['127.0.0.2/32']);
    try {
      for (let i = 0; i < 4; i++) expect((await through(d, 'user01').query(WHOAMI)).body.data.whoami.loginId).toBe('user01');
      for (let i = 0; i < 2; i++) {
        const elsewhere = await through(d, 'user01', '127.0.0.3').query(WHOAMI);
        expect(errorCode(elsewhere)).toBe('FORBIDDEN');
        expect(elsewhere.body.errors![0].message).toMatch(/Access from 127\.0\.0\.3 is not allowed/);
      }
      expect(await db().countBy(AuditEvent, { action: AuditAction.CLIENT_REFUSED, sourceAddress: '127.0.0.3' })).toBe(2);
      await eachInstanceLogged((e) => e.msg === 'request' && e.status === 403 && e.address === '127.0.0.3');
    } finally {
      await admin.query(ALLOW, { e: [], pw });
    }
  });

  it('failing: a revoked certificate is refused on its very next request on both instances, on connections already open', async () => {
    const d = deployment();
    const lostPc = Array.from({ length: 4 }, () => through(d, 'user02'));
    for (const client of lostPc) expect((await client.query(WHOAMI)).body.data.whoami.loginId).toBe('user02');
    const admin = through(d, 'admin01');
    await loginAsPartner(admin, d.gw.credentials('admin01').loginPassword);
    const users = (await admin.query('{ users { loginId activeCertificate { id } } }')).body.data.users;
    const { activeCertificate } = users.find((u: { loginId: string }) => u.loginId === 'user02');
    expect((await admin.query(REVOKE, { id: activeCertificate.id })).body.data.revokeCertificate.status).toBe('REVOKED');
    for (const client of [...lostPc, through(d, 'user02')]) {
      const refused = await client.query(WHOAMI);
      expect({ status: refused.status, code: errorCode(refused) }).toEqual({ status: 401, code: 'CERTIFICATE_REJECTED' });
    }
    await eachInstanceLogged((e) => e.msg === 'request' && e.status === 401 && e.address === '127.0.0.2');
  });

  it('failing: 48 concurrent wrong PINs spread over both instances evaluate exactly 6 and lock, on both', async () => {
    const d = deployment();
    const clients = Array.from({ length: 16 }, () => through(d, 'user01'));
    const responses = await Promise.all(clients.flatMap((client, c) => [0, 1, 2].map((i) => login(client, `Wrong${c}x${i}`))));
    const codes = tally(responses);
    expect(codes.LOGIN_FAILED).toBe(5); // the 6th evaluated failure answers ACCOUNT_LOCKED
    expect((codes.ACCOUNT_LOCKED ?? 0) + (codes.RATE_LIMITED ?? 0) + codes.LOGIN_FAILED).toBe(48);
    const failures = await db().findBy(AuditEvent, { action: AuditAction.LOGIN_FAILED, actorLoginId: 'user01' });
    expect(failures).toHaveLength(6);
    expect(new Set(failures.map((event) => event.sourceAddress))).toEqual(new Set(['127.0.0.2']));
    const user01 = await db().findOneByOrFail(User, { loginId: 'user01' });
    expect({ locked: user01.lockedAt !== null, failedAttempts: user01.failedAttempts, inFlight: user01.attemptsInFlight }).toEqual({
      locked: true,
      failedAttempts: 6,
      inFlight: 0,
    });
    await eachInstanceLogged((e) => apiRequests([e], 'login').length > 0 && e.loginId === 'user01');
    for (let i = 0; i < 4; i++) {
      expect(errorCode(await login(through(d, 'user01'), d.gw.credentials('user01').loginPassword))).toBe('ACCOUNT_LOCKED');
    }
  });
}

/** A TCP connection to a gateway listener straight from `localAddress` (errors end in 'close'). */
async function rawConnection(localAddress: string, port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

describe('behind HAProxy: TLS passed through (mTLS end to end) with PROXY protocol v2', () => {
  const d = {} as Deployment;
  let haproxy: LoadBalancer;

  beforeAll(async () => {
    const [instances] = await startInstances({ PROXY_PROTOCOL_FROM: '127.0.0.1', PROXY_PROTOCOL_TIMEOUT_MS: '1000' });
    Object.assign(d, instances);
    haproxy = await startHaproxy(
      [
        { api: d.gw.gateway.apiPort, enroll: d.gw.gateway.enrollPort },
        { api: d.second.apiPort, enroll: d.second.enrollPort },
      ],
      d.gw.config.pki.caCertPath, // the development server certificate is issued by the bank CA
    );
    d.origin = haproxy.origin('api');
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await haproxy?.stop();
    await d.second?.stop();
    await d.gw?.stop();
  });

  const refusedWith = (reason: string, address: string) => (e: LogEntry) =>
    e.msg === HANDSHAKE_REFUSED && e.reason === reason && e.address === address;

  it('failing: a connection from the balancer’s address without a valid PROXY header is closed before TLS', async () => {
    const port = d.gw.gateway.apiPort;
    // No header: mTLS straight from the balancer's address.
    await expect(d.gw.withCertificate(d.gw.demoIdentity('operator01'), `https://127.0.0.1:${port}`).query(WHOAMI)).rejects.toThrow();
    await logged(d.firstLogs, refusedWith('PROXY_HEADER_MISSING', '127.0.0.1'));

    // Half a header, then nothing: closed at PROXY_PROTOCOL_TIMEOUT_MS.
    const slow = await rawConnection('127.0.0.1', port);
    const started = Date.now();
    slow.write(proxyV2Header('198.51.100.7', 40000).subarray(0, 10));
    await once(slow, 'close');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(10_000);
    await logged(d.firstLogs, refusedWith('PROXY_HEADER_TIMEOUT', '127.0.0.1'));

    // A header announcing 64 KiB of extensions: closed at once.
    const large = await rawConnection('127.0.0.1', port);
    const oversized = proxyV2Header('198.51.100.7', 40000);
    oversized.writeUInt16BE(0xffff, 14);
    large.write(oversized);
    await once(large, 'close');
    await logged(d.firstLogs, refusedWith('PROXY_HEADER_TOO_LARGE', '127.0.0.1'));
    expect(d.firstLogs.filter((e) => e.address === '198.51.100.7')).toEqual([]);
  });

  it('failing: from any other address a PROXY header is only a broken handshake; plain mTLS from there works', async () => {
    const port = d.gw.gateway.apiPort;
    const identity = d.gw.demoIdentity('operator01');
    const socket = await rawConnection('127.0.0.2', port);
    socket.write(proxyV2Header('198.51.100.7', 40000));
    const forged = tls.connect({
      socket,
      ca: d.gw.caPem,
      cert: identity.certificatePem,
      key: identity.privateKeyPem,
      servername: 'localhost',
    });
    await expect(
      new Promise((resolve, reject) =>
        forged.once('secureConnect', () => resolve(forged.write('GET / HTTP/1.1\r\n\r\n'))).once('error', reject),
      ),
    ).rejects.toThrow();
    forged.destroy();
    await logged(d.firstLogs, (e) => e.msg === HANDSHAKE_REFUSED && e.address === '127.0.0.2');
    expect(d.firstLogs.filter((e) => e.address === '198.51.100.7')).toEqual([]);

    const direct = d.gw.withCertificate(identity, `https://127.0.0.1:${port}`, { localAddress: '127.0.0.2' });
    expect((await direct.query(WHOAMI)).body.data.whoami.loginId).toBe('operator01');
  });

  it('successful: a handshake refused behind HAProxy is logged with the client’s address', async () => {
    await expect(through(d, null, '127.0.0.3').query(WHOAMI)).rejects.toThrow();
    await Promise.any(
      [d.firstLogs, d.second.logs].map((entries) => logged(entries, (e) => e.msg === HANDSHAKE_REFUSED && e.address === '127.0.0.3')),
    );
  });

  it('successful: the enrollment listener behind HAProxy sees the client’s address too (its per-address limit and the audit)', async () => {
    const keys = generateRsaKeyPair();
    const enrollment = through(d, null, '127.0.0.2', haproxy.origin('enroll'));
    for (let i = 0; i < 2; i++) {
      const response = await enrollment.query(ENROLL, {
        loginId: 'user02',
        code: generateEnrollmentCode(),
        password: 'NotThePassword1',
        csrPem: createCsr(keys.privateKeyPem, keys.publicKeyPem, 'user02'),
      });
      expect(errorCode(response)).toBe('ENROLLMENT_REJECTED');
    }
    // Wrong codes are audited per target login ID at the 1st, 10th, 100th … of a window: one row here.
    const failures = await d.gw.gateway.services.db.writableManager.findBy(AuditEvent, { action: AuditAction.ENROLLMENT_FAILED });
    expect(failures.map((event) => event.sourceAddress)).toEqual(['127.0.0.2']);
  });

  it('successful: HAProxy’s health checks (a LOCAL header, then TLS) get /readyz from both instances', async () => {
    const readyCheck = (e: LogEntry) => e.msg === 'request' && e.listener === 'enroll' && e.path === '/readyz' && e.status === 200;
    const lines = await Promise.all([d.firstLogs, d.second.logs].map((entries) => logged(entries, readyCheck, 10_000)));
    expect(lines.map((line) => line.address)).toEqual(['127.0.0.1', '127.0.0.1']); // the balancer's own connection
  });

  holdsBehindTheBalancer(() => d);
});

describe('behind nginx: mTLS terminated at the balancer, trusted-proxy mode', () => {
  const d = {} as Deployment;
  let xfccInstance: GatewayProcess;
  let nginx: LoadBalancer;

  beforeAll(async () => {
    // A third instance on the same data, for a balancer that speaks Envoy's X-Forwarded-Client-Cert.
    const [instances, [xfcc]] = await startInstances({ TRUSTED_PROXIES: '127.0.0.1' }, [
      { TRUSTED_PROXIES: '127.0.0.1', PROXY_CLIENT_CERT_FORMAT: 'xfcc' },
    ]);
    Object.assign(d, instances);
    xfccInstance = xfcc;
    const { caCertPath, serverCertPath, serverKeyPath } = d.gw.config.pki;
    nginx = await startNginx({ caPath: caCertPath, certPath: serverCertPath, keyPath: serverKeyPath }, [
      {
        name: 'escaped_pem',
        upstreams: [d.gw.gateway.apiPort, d.second.apiPort],
        headers: { 'X-Client-Cert': '$ssl_client_escaped_cert', 'X-Forwarded-For': '$proxy_add_x_forwarded_for' },
      },
      {
        name: 'xfcc',
        upstreams: [xfccInstance.apiPort],
        // Appends its element to what came in, as Envoy's APPEND_FORWARD does: the last one is nginx's.
        http: '  map $http_x_forwarded_client_cert $xfcc_before { "" ""; default "$http_x_forwarded_client_cert,"; }',
        headers: {
          'X-Forwarded-Client-Cert':
            '"${xfcc_before}By=spiffe://bank.example/nginx;Cert=\\"$ssl_client_escaped_cert\\";Subject=\\"$ssl_client_s_dn\\""',
          'X-Forwarded-For': '$proxy_add_x_forwarded_for',
        },
      },
    ]);
    d.origin = nginx.origin('escaped_pem');
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await nginx?.stop();
    await xfccInstance?.stop();
    await d.second?.stop();
    await d.gw?.stop();
  });

  it('failing: a certificate header and X-Forwarded-For that the client sends itself count for nothing', async () => {
    const client = through(d, 'user02');
    const forged = {
      'x-client-cert': encodeURIComponent(d.gw.demoIdentity('operator01').certificatePem),
      'x-forwarded-for': '198.51.100.7',
    };
    expect((await client.query(WHOAMI, undefined, forged)).body.data.whoami.loginId).toBe('user02');
    const response = await client.query(
      'mutation($pin: String!) { login(pin: $pin) { token } }',
      { pin: d.gw.credentials('user02').loginPassword },
      forged,
    );
    expect(response.body.data.login.token).toBeDefined();
    const event = await d.gw.gateway.services.db.writableManager.findOneOrFail(AuditEvent, {
      where: { action: AuditAction.LOGIN, actorLoginId: 'user02' },
      order: { id: 'DESC' },
    });
    expect(event.sourceAddress).toBe('127.0.0.2');
  });

  it('successful: with X-Forwarded-Client-Cert the element nginx appended is the one that counts, whatever came before it', async () => {
    const client = through(d, 'user02', '127.0.0.3', nginx.origin('xfcc'));
    expect((await client.query(WHOAMI)).body.data.whoami.loginId).toBe('user02');
    const operatorPem = encodeURIComponent(d.gw.demoIdentity('operator01').certificatePem);
    const forged = { 'x-forwarded-client-cert': `By=spiffe://elsewhere;Cert="${operatorPem}";Subject="CN=operator01"` };
    expect((await client.query(WHOAMI, undefined, forged)).body.data.whoami.loginId).toBe('user02');
    await loginAsPartner(client, d.gw.credentials('user02').loginPassword);
    const event = await d.gw.gateway.services.db.writableManager.findOneOrFail(AuditEvent, {
      where: { action: AuditAction.LOGIN, actorLoginId: 'user02' },
      order: { id: 'DESC' },
    });
    expect(event.sourceAddress).toBe('127.0.0.3');
  });

  holdsBehindTheBalancer(() => d);
});
