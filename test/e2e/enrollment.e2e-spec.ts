import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createCsr } from '../../scripts/cert';
import { User } from '../../src/admin/user.entity';
import { Certificate } from '../../src/pki/certificate.entity';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { ENROLL, sessionAs } from '../helpers/lifecycle';

const ISSUE = 'mutation($id: Int!, $pw: String!) { issueEnrollmentCode(userId: $id, confirmationPassword: $pw) { code expiresAt } }';
const RENEW = 'mutation($csr: String!) { renewCertificate(csrPem: $csr) { id serialNumber notAfter certificatePem } }';

function opensslCsr(dir: string, name: string, args: string[]): string {
  const out = path.join(dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', ...args, '-nodes', '-keyout', path.join(dir, `${name}.key`), '-subj', '/CN=x', '-out', out], { stdio: 'ignore' });
  return fs.readFileSync(out, 'utf8');
}

describe('enrollment (電子証明書取得): bad CSRs, codes and renewal', () => {
  let gw: TestGateway;
  let admin: GraphqlClient;
  let user02Id: number;
  const certificateCount = () => gw.gateway.services.db.manager.count(Certificate);
  const goodCsr = () => {
    const keys = generateRsaKeyPair();
    return { ...keys, csrPem: createCsr(keys.privateKeyPem, keys.publicKeyPem, 'user02') };
  };
  const newCode = async () => (await admin.query(ISSUE, { id: user02Id, pw: gw.credentials('admin01').confirmationPassword })).body.data.issueEnrollmentCode.code as string;
  const enrollUser02 = (code: string, csrPem: string, password = gw.credentials('user02').loginPassword) =>
    gw.enrollClient().query(ENROLL, { loginId: 'user02', code, password, csrPem });

  beforeAll(async () => {
    gw = await TestGateway.start();
    admin = await sessionAs(gw, 'admin01');
    user02Id = (await gw.gateway.services.db.manager.findOneByOrFail(User, { loginId: 'user02' })).id;
  });
  afterAll(() => gw.stop());

  it('failing: garbage, a wrong signature, 1024-bit RSA, P-521 and a CA request are ENROLLMENT_REJECTED saying why; nothing is issued', async () => {
    const code = await newCode();
    const tampered = (() => {
      const pem = goodCsr().csrPem;
      const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      der[der.length - 10] ^= 0x01; // a flipped bit in the signature
      return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    })();
    const cases: Array<[string, string, RegExp]> = [
      ['garbage', 'hello, bank', /not a PEM certificate request/],
      ['wrong signature', tampered, /signature .* does not match/],
      ['1024-bit RSA', opensslCsr(gw.dir, 'rsa1024', ['-newkey', 'rsa:1024']), /1024 bits; at least 2048/],
      ['P-521', opensslCsr(gw.dir, 'p521', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521']), /P-256 or P-384/],
      ['a CA request', opensslCsr(gw.dir, 'ca', ['-newkey', 'rsa:2048', '-addext', 'basicConstraints=critical,CA:TRUE']), /CA certificate/],
    ];
    const before = await certificateCount();
    for (const [name, csrPem, message] of cases) {
      const response = await enrollUser02(code, csrPem);
      expect({ name, code: errorCode(response) }).toEqual({ name, code: 'ENROLLMENT_REJECTED' });
      expect(response.body.errors![0].message).toMatch(message);
    }
    expect(await certificateCount()).toBe(before);
    // The code was not spent by the refusals.
    expect(errorCode(await enrollUser02(code, goodCsr().csrPem))).toBeUndefined();
  });

  it('failing: a used code cannot be used again; a newer code replaces an older one', async () => {
    const first = await newCode();
    expect(errorCode(await enrollUser02(first, goodCsr().csrPem))).toBeUndefined();
    const reused = await enrollUser02(first, goodCsr().csrPem);
    expect(errorCode(reused)).toBe('ENROLLMENT_REJECTED');
    const older = await newCode();
    const newer = await newCode();
    expect(errorCode(await enrollUser02(older, goodCsr().csrPem))).toBe('ENROLLMENT_REJECTED');
    expect(errorCode(await enrollUser02(newer, goodCsr().csrPem))).toBeUndefined();
  });

  it('failing: a code expires after 80 days', async () => {
    const code = await newCode();
    gw.clock.advanceDays(80);
    const response = await enrollUser02(code, goodCsr().csrPem);
    expect(errorCode(response)).toBe('ENROLLMENT_REJECTED');
    expect(response.body.errors![0].message).toMatch(/expired/);
    gw.clock.advanceDays(-80);
  });

  it('failing: a wrong password counts toward the user’s lock and issues nothing', async () => {
    const code = await newCode();
    const before = await certificateCount();
    const response = await enrollUser02(code, goodCsr().csrPem, 'NotThePassw0rd');
    expect(errorCode(response)).toBe('LOGIN_FAILED');
    expect(response.body.errors![0].extensions!.remainingAttempts).toBe(5);
    expect(await certificateCount()).toBe(before);
  });

  it('failing: wrong codes are rate-limited per login ID (5 per 15 minutes), without revealing login IDs', async () => {
    const responses = [];
    for (let i = 0; i < 6; i++) {
      responses.push(await gw.enrollClient().query(ENROLL, { loginId: 'user01', code: `WRONG-${i}`, password: 'x', csrPem: goodCsr().csrPem }));
    }
    expect(responses.slice(0, 5).map(errorCode)).toEqual(Array(5).fill('ENROLLMENT_REJECTED'));
    expect(errorCode(responses[5])).toBe('RATE_LIMITED');
    const unknown = await gw.enrollClient().query(ENROLL, { loginId: 'nobody-here', code: 'WRONG', password: 'x', csrPem: goodCsr().csrPem });
    expect(unknown.body.errors![0].message).toBe(responses[0].body.errors![0].message);
    gw.clock.advanceMinutes(16);
    expect(errorCode(await gw.enrollClient().query(ENROLL, { loginId: 'user01', code: 'WRONG-again', password: 'x', csrPem: goodCsr().csrPem }))).toBe('ENROLLMENT_REJECTED');
  });

  it('failing: a CSR with a malformed basicConstraints extension (openssl DER:FF:FF) is ENROLLMENT_REJECTED saying why; nothing is issued', async () => {
    const code = await newCode();
    const csrPem = opensslCsr(gw.dir, 'bad-basic-constraints', ['-newkey', 'rsa:2048', '-addext', 'basicConstraints=DER:FF:FF']);
    const before = await certificateCount();
    const response = await enrollUser02(code, csrPem);
    expect(errorCode(response)).toBe('ENROLLMENT_REJECTED');
    expect(response.body.errors![0].message).toMatch(/malformed basicConstraints extension/);
    expect(await certificateCount()).toBe(before);
  });

  it('failing: renewal is refused before the window opens, 30 days before expiry', async () => {
    const user01 = gw.asUser('user01');
    await loginAsPartner(user01, gw.credentials('user01').loginPassword);
    const early = await user01.query(RENEW, { csr: goodCsr().csrPem });
    expect(errorCode(early)).toBe('ENROLLMENT_REJECTED');
    expect(early.body.errors![0].message).toMatch(/Renewal opens 30 days before/);
  });

  it('successful: inside the window login warns, and renewal replaces the certificate atomically', async () => {
    // Certificates valid for 20 days are inside the 30-day window from the start; real time is
    // used here because the new certificate must pass a real TLS handshake.
    const shortLived = await TestGateway.start({ CERTIFICATE_VALIDITY_DAYS: '20' });
    try {
      const client = shortLived.asUser('user01');
      const login = (await client.query('mutation($pin: String!) { login(pin: $pin) { token certificateStatus { daysRemaining renewalRecommended warning } } }', { pin: shortLived.credentials('user01').loginPassword })).body.data.login;
      expect(login.certificateStatus).toMatchObject({ daysRemaining: 19, renewalRecommended: true });
      expect(login.certificateStatus.warning).toMatch(/expires in 19 day/);
      client.bearer = login.token;
      const keys = goodCsr();
      const renewed = (await client.query(RENEW, { csr: keys.csrPem })).body.data.renewCertificate;
      expect(errorCode(await client.query('{ whoami { loginId } }'))).toBe('CERTIFICATE_REJECTED'); // the old one, on the open connection
      const fresh = shortLived.withCertificate({ certificatePem: renewed.certificatePem, privateKeyPem: keys.privateKeyPem });
      expect((await fresh.query('{ whoami { certificate { serialNumber } } }')).body.data.whoami.certificate.serialNumber).toBe(renewed.serialNumber);
      const active = await shortLived.gateway.services.db.manager.findBy(Certificate, { activeUserId: (await shortLived.gateway.services.db.manager.findOneByOrFail(User, { loginId: 'user01' })).id });
      expect(active.map((c) => c.serialNumber)).toEqual([renewed.serialNumber]);
    } finally {
      await shortLived.stop();
    }
  });
});

describe('enrollment rate limit per source address', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('failing: 20 wrong attempts from one address across many login IDs, then RATE_LIMITED for any login ID', async () => {
    const keys = generateRsaKeyPair();
    const csrPem = createCsr(keys.privateKeyPem, keys.publicKeyPem, 'x');
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 21; i++) {
      codes.push(errorCode(await gw.enrollClient().query(ENROLL, { loginId: `guess${i}`, code: 'WRONG', password: 'x', csrPem })));
    }
    expect(codes.slice(0, 20)).toEqual(Array(20).fill('ENROLLMENT_REJECTED'));
    expect(codes[20]).toBe('RATE_LIMITED');
  });
});
