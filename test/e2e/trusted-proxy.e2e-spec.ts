import { X509Certificate } from 'node:crypto';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { User } from '../../src/users/user.entity';
import { Certificate, RevocationStatus } from '../../src/pki/certificate.entity';
import { CertificateAuthority, createCertificateAuthority, generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { ME } from '../helpers/auth';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';

/**
 * R16: behind a bank-side TLS-terminating load balancer. Only connections from TRUSTED_PROXIES
 * may pass the client certificate in a header, and the gateway verifies it against the bank CA.
 */
describe('trusted-proxy mode', () => {
  let gw: TestGateway;
  let proxy: GraphqlClient;
  const WHOAMI = '{ whoami { loginId } }';
  const asForwarded = (pem: string, clientAddress = '198.51.100.7') => ({
    'x-client-cert': encodeURIComponent(pem),
    'x-forwarded-for': `203.0.113.9, ${clientAddress}`,
  });
  const pemOf = (id: DemoLoginId) => gw.demoIdentity(id).certificatePem;
  const fromElsewhere = (identity: Parameters<TestGateway['withCertificate']>[0]) =>
    gw.withCertificate(identity, gw.apiOrigin, { localAddress: '127.0.0.2' });

  let forged: string;

  beforeAll(async () => {
    gw = await TestGateway.start({ LISTEN_HOST: '0.0.0.0', TRUSTED_PROXIES: '127.0.0.1/32' });
    proxy = gw.withoutCertificate(); // the load balancer: no client certificate of its own, from 127.0.0.1
    // Made before any request: signing blocks the event loop, and a pause longer than the server's
    // keep-alive (5 s) between two requests on the proxy's connection ends in ECONNRESET.
    const impostor = new CertificateAuthority(
      createCertificateAuthority(
        { commonName: 'Demo Credit Union Client CA (development)', organization: 'Demo Credit Union' },
        new Date(),
      ),
    );
    const keys = generateRsaKeyPair();
    forged = impostor.issueClientCertificate(
      keys.publicKeyPem,
      { commonName: 'user01', organization: 'Demo Corporation' },
      new Date(),
      365,
    );
  });
  afterAll(() => gw.stop());

  it('successful: the proxy forwards a bank certificate in the header; the client address comes from X-Forwarded-For', async () => {
    const response = await proxy.query(
      'mutation($pin: String!) { login(pin: $pin) { token } }',
      { pin: gw.credentials('user01').loginPassword },
      asForwarded(pemOf('user01')),
    );
    expect(response.body.data.login.token).toBeDefined();
    const login = await gw.gateway.services.db.writableManager.findOneOrFail(AuditEvent, {
      where: { action: AuditAction.LOGIN, actorLoginId: 'user01' },
      order: { id: 'DESC' },
    });
    expect(login.sourceAddress).toBe('198.51.100.7');
    expect((await proxy.query(WHOAMI, undefined, asForwarded(pemOf('admin01')))).body.data.whoami.loginId).toBe('admin01');
  });

  it('failing: no header, garbage, another CA’s certificate, or a bank certificate not for clients are CERTIFICATE_REJECTED', async () => {
    const serverCertificate = gw.gateway.services.pki.serverCertificatePem; // issued by the bank CA, but for serverAuth
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-client-cert': 'not%20a%20certificate' },
      asForwarded(forged),
      asForwarded(serverCertificate),
    ];
    for (const headers of attempts) {
      const response = await proxy.query(WHOAMI, undefined, headers);
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe('CERTIFICATE_REJECTED');
    }
  });

  it('failing: a connection without a valid certificate from any other address is closed, header or not', async () => {
    await expect(fromElsewhere(null).query(WHOAMI, undefined, asForwarded(pemOf('user01')))).rejects.toThrow();
    // mTLS end to end still works from anywhere, and ignores the header.
    const direct = await fromElsewhere(gw.demoIdentity('user02')).query(WHOAMI, undefined, asForwarded(pemOf('user01')));
    expect(direct.body.data.whoami.loginId).toBe('user02');
  });

  it('failing: revocation applies to forwarded certificates on the next request, and sessions stay bound to the certificate', async () => {
    const token = (
      await proxy.query(
        'mutation($pin: String!) { login(pin: $pin) { token } }',
        { pin: gw.credentials('user02').loginPassword },
        asForwarded(pemOf('user02')),
      )
    ).body.data.login.token;
    const replayed = await proxy.query(ME, undefined, { ...asForwarded(pemOf('operator01')), authorization: `Bearer ${token}` });
    expect(errorCode(replayed)).toBe('UNAUTHENTICATED');

    const user02 = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
    await gw.gateway.services.db.transaction((m) =>
      m.update(Certificate, { activeUserId: user02.id }, { status: RevocationStatus.REVOKED, activeUserId: null, revokedAt: new Date() }),
    );
    expect(errorCode(await proxy.query(WHOAMI, undefined, asForwarded(pemOf('user02'))))).toBe('CERTIFICATE_REJECTED');
  });
});

/**
 * RFC 9440's Client-Cert (PROXY_CLIENT_CERT_FORMAT=rfc9440), sent here as a proxy would: nginx has
 * no variable with the DER in base64, so unlike the other formats it is not run through a real
 * balancer (test/e2e/load-balancers.e2e-spec.ts).
 */
describe('trusted-proxy mode with RFC 9440 Client-Cert', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start({ TRUSTED_PROXIES: '127.0.0.1/32', PROXY_CLIENT_CERT_FORMAT: 'rfc9440' });
  });
  afterAll(() => gw.stop());

  it('successful: the DER as a structured-field byte sequence identifies the client; URL-encoded PEM means nothing in this mode', async () => {
    const proxy = gw.withoutCertificate();
    const pem = gw.demoIdentity('user01').certificatePem;
    const forwarded = { 'client-cert': `:${new X509Certificate(pem).raw.toString('base64')}:`, 'x-forwarded-for': '198.51.100.7' };
    expect((await proxy.query('{ whoami { loginId } }', undefined, forwarded)).body.data.whoami.loginId).toBe('user01');
    const login = await proxy.query(
      'mutation($pin: String!) { login(pin: $pin) { token } }',
      { pin: gw.credentials('user01').loginPassword },
      forwarded,
    );
    expect(login.body.data.login.token).toBeDefined();
    const event = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, {
      action: AuditAction.LOGIN,
      actorLoginId: 'user01',
    });
    expect(event.sourceAddress).toBe('198.51.100.7');

    const escapedPem = await proxy.query('{ whoami { loginId } }', undefined, { 'x-client-cert': encodeURIComponent(pem) });
    expect(errorCode(escapedPem)).toBe('CERTIFICATE_REJECTED');
  });
});
