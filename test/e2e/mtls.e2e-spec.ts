import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { Certificate, RevocationStatus } from '../../src/pki/certificate.entity';
import { CertificateAuthority, createCertificateAuthority, generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';

const WHOAMI = '{ whoami { loginId displayName role contractName certificate { serialNumber fingerprint notAfter } loggedIn } }';

describe('mutual TLS on the API listener', () => {
  let gw: TestGateway;
  let handshakes = 0;

  beforeAll(async () => {
    gw = await TestGateway.start();
    gw.gateway.apiServer.on('secureConnection', () => handshakes++);
  });
  afterAll(() => gw.stop());

  async function revoke(loginId: string) {
    const { user } = await gw.gateway.services.db.writableManager.findOneOrFail(Certificate, {
      where: { user: { loginId }, status: RevocationStatus.ACTIVE },
      relations: { user: true },
    });
    await gw.gateway.services.db.transaction((m) =>
      m.update(Certificate, { activeUserId: user.id }, { status: RevocationStatus.REVOKED, activeUserId: null, revokedAt: new Date() }),
    );
  }

  it('successful: a demo certificate maps to its user through whoami', async () => {
    const response = await gw.asUser('user01').query(WHOAMI);
    expect(response.status).toBe(200);
    const whoami = response.body.data.whoami;
    expect(whoami).toMatchObject({ loginId: 'user01', role: 'USER', contractName: 'デモ商事株式会社', loggedIn: false });
    expect(whoami.certificate.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(whoami.certificate.notAfter).getTime()).toBeGreaterThan(Date.now());
  });

  it('successful: each demo identity is a different user', async () => {
    const ids = await Promise.all(
      (['operator01', 'admin01', 'user01', 'user02'] as const).map(async (id) => (await gw.asUser(id).query(WHOAMI)).body.data.whoami),
    );
    expect(ids.map((w) => [w.loginId, w.role])).toEqual([
      ['operator01', 'OPERATOR'],
      ['admin01', 'ADMIN'],
      ['user01', 'USER'],
      ['user02', 'USER'],
    ]);
    expect(ids[0].contractName).toBeNull();
  });

  it('failing: without a client certificate the TLS handshake fails', async () => {
    const before = handshakes;
    await expect(gw.withoutCertificate().query(WHOAMI)).rejects.toThrow();
    expect(handshakes).toBe(before);
  });

  it('failing: a certificate from another CA with the same subject fails the handshake', async () => {
    const impostorCa = new CertificateAuthority(
      createCertificateAuthority(
        { commonName: 'Demo Credit Union Client CA (development)', organization: 'Demo Credit Union' },
        new Date(),
      ),
    );
    const keys = generateRsaKeyPair();
    const certificatePem = impostorCa.issueClientCertificate(
      keys.publicKeyPem,
      { commonName: 'user01', organization: 'Demo Corporation', organizationalUnit: 'DEMO0001' },
      new Date(),
      365,
    );
    const before = handshakes;
    await expect(gw.withCertificate({ certificatePem, privateKeyPem: keys.privateKeyPem }).query(WHOAMI)).rejects.toThrow();
    expect(handshakes).toBe(before);
  });

  it('failing: an expired certificate from the bank CA fails the handshake', async () => {
    const keys = generateRsaKeyPair();
    const issuedLongAgo = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const certificatePem = gw.gateway.services.pki.ca.issueClientCertificate(
      keys.publicKeyPem,
      { commonName: 'user01', organization: 'Demo Corporation' },
      issuedLongAgo,
      365,
    );
    const before = handshakes;
    await expect(gw.withCertificate({ certificatePem, privateKeyPem: keys.privateKeyPem }).query(WHOAMI)).rejects.toThrow();
    expect(handshakes).toBe(before);
  });

  it('failing: a valid bank-CA certificate that is not registered gets CERTIFICATE_REJECTED', async () => {
    const response = await gw.withCertificate(gw.unregisteredIdentity()).query(WHOAMI);
    expect(response.status).toBe(401);
    expect(errorCode(response)).toBe('CERTIFICATE_REJECTED');
    expect(response.body.data).toBeUndefined();
  });

  it('failing: a certificate revoked in the database is refused on the already-open keep-alive connection', async () => {
    const client = gw.asUser('user02');
    const before = handshakes;
    expect((await client.query(WHOAMI)).body.data.whoami.loginId).toBe('user02');
    await revoke('user02');
    const refused = await client.query(WHOAMI);
    expect(handshakes).toBe(before + 1); // one connection carried both requests
    expect(refused.status).toBe(401);
    expect(errorCode(refused)).toBe('CERTIFICATE_REJECTED');
    expect(refused.body.errors![0].message).toMatch(/revoked/);
  });

  /**
   * whoami on a new connection each time (keepAlive off), resuming the TLS session of the
   * previous one (the agent keeps the session tickets).
   */
  function resumingClient(loginId: 'admin01' | 'user02', port: number) {
    const identity = gw.demoIdentity(loginId);
    const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 10 });
    const call = () =>
      new Promise<{ status: number; body: any; reused: boolean }>((resolve, reject) => {
        const request = https.request(
          {
            host: 'localhost',
            port,
            path: '/graphql',
            method: 'POST',
            agent,
            ca: gw.caPem,
            cert: identity.certificatePem,
            key: identity.privateKeyPem,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode!, body: JSON.parse(text), reused: (res.socket as TLSSocket).isSessionReused() }),
            );
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify({ query: '{ whoami { loginId } }' }));
      });
    return { call, close: () => agent.destroy() };
  }

  it('failing: a revoked certificate is refused on a resumed TLS session too', async () => {
    const { call, close } = resumingClient('admin01', gw.gateway.apiPort);
    const first = await call();
    expect(first.body.data.whoami.loginId).toBe('admin01');
    const resumed = await call();
    expect(resumed.reused).toBe(true);
    expect(resumed.body.data.whoami.loginId).toBe('admin01'); // the certificate survives resumption
    await revoke('admin01');
    const refused = await call();
    expect(refused.reused).toBe(true);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('CERTIFICATE_REJECTED');
    close();
  });

  it('successful: with WORKERS=2 a TLS session resumes on either worker, with the same identity', async () => {
    const cluster = await GatewayProcess.start(gw, { env: { WORKERS: '2' } });
    try {
      await cluster.logged('worker started', 2);
      const { call, close } = resumingClient('user02', cluster.apiPort);
      const answers = [];
      for (let i = 0; i < 12; i++) answers.push(await call());
      close();
      expect(answers.map((a) => a.body.data.whoami.loginId)).toEqual(Array(12).fill('user02'));
      // The first connection makes the session; every later one resumes it, whichever worker takes it
      // (node:cluster's workers accept each other's session tickets; separate instances do not).
      expect(answers.map((a) => a.reused)).toEqual([false, ...Array(11).fill(true)]);
      expect(await cluster.workersThatServed(2)).toEqual([1, 2]);
    } finally {
      await cluster.kill();
    }
  });

  it('failing: an unknown path is 404', async () => {
    const response = await gw.asUser('user01').request('/nowhere', { method: 'GET' });
    expect(response.status).toBe(404);
    expect(response.body.errors![0].message).toMatch(/\/graphql/);
  });

  it('failing: malformed JSON is 400 with a clear message and code', async () => {
    const response = await gw.asUser('user01').request('/graphql', { body: '{"query": "{ whoami { loginId } }"' });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors![0].message).toBe('The request body is not valid JSON.');
  });

  it('failing: a GraphQL syntax error is BAD_USER_INPUT', async () => {
    const response = await gw.asUser('user01').query('{ whoami { loginId ');
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
  });

  it('successful: GraphiQL and its assets are served by the gateway itself, with a strict CSP', async () => {
    // operator01: admin01's certificate was revoked above, and GraphiQL refuses it like /graphql.
    const client = gw.asUser('operator01');
    const page = await client.request('/graphiql', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.body.raw).toContain('<div id="graphiql">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    for (const asset of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css', 'init.js']) {
      const response = await client.request(`/graphiql/assets/${asset}`, { method: 'GET' });
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
    }
    expect((await client.request('/graphiql/assets/../../package.json', { method: 'GET' })).status).toBe(404);
  });

  it('successful: the enrollment listener needs no client certificate', async () => {
    const client = gw.enrollClient();
    const health = await client.request('/healthz', { method: 'GET' });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ca = await client.request('/ca.pem', { method: 'GET' });
    expect(ca.body.raw).toBe(gw.caPem);
  });
});
