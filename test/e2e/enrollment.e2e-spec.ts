import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createCsr } from '../../scripts/cert';
import { IsNull } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { User } from '../../src/users/user.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { RateLimitBucket } from '../../src/common/rate-limit-bucket.entity';
import { Certificate } from '../../src/pki/certificate.entity';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { generateEnrollmentCode, WRONG_CODE_AUDIT, WRONG_CODE_LIMITS } from '../../src/pki/enrollment.service';
import { loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { ENROLL, sessionAs } from '../helpers/lifecycle';

const ISSUE = 'mutation($id: Int!, $pw: String!) { issueEnrollmentCode(userId: $id, confirmationPassword: $pw) { code expiresAt } }';
const RENEW = 'mutation($csr: String!) { renewCertificate(csrPem: $csr) { id serialNumber notAfter certificatePem } }';

function opensslCsr(dir: string, name: string, args: string[]): string {
  const out = path.join(dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', ...args, '-nodes', '-keyout', path.join(dir, `${name}.key`), '-subj', '/CN=x', '-out', out], {
    stdio: 'ignore',
  });
  return fs.readFileSync(out, 'utf8');
}

describe('enrollment (電子証明書取得): bad CSRs, codes and renewal', () => {
  let gw: TestGateway;
  let admin: GraphqlClient;
  let user02Id: number;
  const certificateCount = () => gw.gateway.services.db.writableManager.count(Certificate);
  const goodCsr = () => {
    const keys = generateRsaKeyPair();
    return { ...keys, csrPem: createCsr(keys.privateKeyPem, keys.publicKeyPem, 'user02') };
  };
  const newCode = async () =>
    (await admin.query(ISSUE, { id: user02Id, pw: gw.credentials('admin01').confirmationPassword })).body.data.issueEnrollmentCode
      .code as string;
  const enrollUser02 = (code: string, csrPem: string, password = gw.credentials('user02').loginPassword) =>
    gw.enrollClient().query(ENROLL, { loginId: 'user02', code, password, csrPem });

  beforeAll(async () => {
    gw = await TestGateway.start();
    admin = await sessionAs(gw, 'admin01');
    user02Id = (await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' })).id;
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

  it('failing: a CSR with a malformed basicConstraints extension (openssl DER:FF:FF) is ENROLLMENT_REJECTED saying why; nothing is issued', async () => {
    const code = await newCode();
    const csrPem = opensslCsr(gw.dir, 'bad-basic-constraints', ['-newkey', 'rsa:2048', '-addext', 'basicConstraints=DER:FF:FF']);
    const before = await certificateCount();
    const response = await enrollUser02(code, csrPem);
    expect(errorCode(response)).toBe('ENROLLMENT_REJECTED');
    expect(response.body.errors![0].message).toMatch(/malformed basicConstraints extension/);
    expect(await certificateCount()).toBe(before);
  });

  it('failing: a CSR whose EC key has explicit curve parameters (a certificate our TLS listener would refuse) is ENROLLMENT_REJECTED and leaves the code unused', async () => {
    const code = await newCode();
    const explicit = opensslCsr(gw.dir, 'explicit-ec', [
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-pkeyopt',
      'ec_param_enc:explicit',
    ]);
    const before = await certificateCount();
    const response = await enrollUser02(code, explicit);
    expect(errorCode(response)).toBe('ENROLLMENT_REJECTED');
    expect(response.body.errors![0].message).toMatch(/explicit curve parameters; use a named curve/);
    expect(await certificateCount()).toBe(before);
    const named = opensslCsr(gw.dir, 'named-ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    expect(errorCode(await enrollUser02(code, named))).toBeUndefined();
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
      const login = (
        await client.query(
          'mutation($pin: String!) { login(pin: $pin) { token certificateStatus { daysRemaining renewalRecommended warning } } }',
          { pin: shortLived.credentials('user01').loginPassword },
        )
      ).body.data.login;
      expect(login.certificateStatus).toMatchObject({ daysRemaining: 19, renewalRecommended: true });
      expect(login.certificateStatus.warning).toMatch(/expires in 19 day/);
      client.bearer = login.token;
      const explicit = opensslCsr(shortLived.dir, 'explicit-ec', [
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-384',
        '-pkeyopt',
        'ec_param_enc:explicit',
      ]);
      const refused = await client.query(RENEW, { csr: explicit });
      expect(errorCode(refused)).toBe('ENROLLMENT_REJECTED');
      expect(refused.body.errors![0].message).toMatch(/explicit curve parameters/);
      expect((await client.query('{ whoami { loginId } }')).body.data.whoami.loginId).toBe('user01'); // still the certificate in use
      const keys = goodCsr();
      const renewed = (await client.query(RENEW, { csr: keys.csrPem })).body.data.renewCertificate;
      expect(errorCode(await client.query('{ whoami { loginId } }'))).toBe('CERTIFICATE_REJECTED'); // the old one, on the open connection
      const fresh = shortLived.withCertificate({ certificatePem: renewed.certificatePem, privateKeyPem: keys.privateKeyPem });
      expect((await fresh.query('{ whoami { certificate { serialNumber } } }')).body.data.whoami.certificate.serialNumber).toBe(
        renewed.serialNumber,
      );
      const active = await shortLived.gateway.services.db.writableManager.findBy(Certificate, {
        activeUserId: (await shortLived.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user01' })).id,
      });
      expect(active.map((c) => c.serialNumber)).toEqual([renewed.serialNumber]);
    } finally {
      await shortLived.stop();
    }
  });
});

describe('enrollment limits: wrong codes count against their source address, never against a login ID', () => {
  let gw: TestGateway;
  const keys = generateRsaKeyPair();
  const csrPem = createCsr(keys.privateKeyPem, keys.publicKeyPem, 'x');
  const from = (localAddress: string) => gw.withCertificate(null, gw.enrollOrigin, { localAddress });
  const wrongCode = (client: GraphqlClient, loginId: string) =>
    client.query(ENROLL, { loginId, code: generateEnrollmentCode(), password: 'x', csrPem });
  const codeFor = async (loginId: string) => {
    const { id } = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId });
    const admin = await sessionAs(gw, 'admin01'); // a fresh session: the tests move the clock
    return (await admin.query(ISSUE, { id, pw: gw.credentials('admin01').confirmationPassword })).body.data.issueEnrollmentCode
      .code as string;
  };
  const expectRetryAfter = (response: GraphqlResponse) => {
    expect(errorCode(response)).toBe('RATE_LIMITED');
    const retryAfterSeconds = response.body.errors![0].extensions!.retryAfterSeconds;
    expect(retryAfterSeconds).toEqual(expect.any(Number));
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  };

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: many wrong codes sent for a victim’s login ID do not block the victim, who enrolls with the right code; a wrong password still counts toward the lock', async () => {
    const code = await codeFor('user02');
    const attacker = from('127.0.0.2');
    const answers: GraphqlResponse[] = [];
    for (let i = 0; i < 25; i++) answers.push(await wrongCode(attacker, 'user02'));
    expect(answers.map(errorCode)).toEqual([...Array(20).fill('ENROLLMENT_REJECTED'), ...Array(5).fill('RATE_LIMITED')]);

    const victim = gw.enrollClient();
    const wrongPassword = await victim.query(ENROLL, { loginId: 'user02', code, password: 'NotThePassw0rd', csrPem });
    expect(errorCode(wrongPassword)).toBe('LOGIN_FAILED');
    expect(wrongPassword.body.errors![0].extensions!.remainingAttempts).toBe(5);
    const enrolled = await victim.query(ENROLL, { loginId: 'user02', code, password: gw.credentials('user02').loginPassword, csrPem });
    expect(enrolled.body.errors).toBeUndefined();
    expect(enrolled.body.data.enrollCertificate.loginId).toBe('user02');
  });

  it('failing: 40 parallel wrong codes from one address: exactly 20 are evaluated, the other 20 are RATE_LIMITED with retryAfterSeconds', async () => {
    const clients = Array.from({ length: 40 }, () => from('127.0.0.3'));
    const answers = await Promise.all(clients.map((client, i) => wrongCode(client, `parallel${i}`)));
    const counts = answers.reduce<Record<string, number>>(
      (all, answer) => ({ ...all, [errorCode(answer)!]: (all[errorCode(answer)!] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ ENROLLMENT_REJECTED: 20, RATE_LIMITED: 20 });
    answers.filter((answer) => errorCode(answer) === 'RATE_LIMITED').forEach(expectRetryAfter);
  });

  it('failing: an address is RATE_LIMITED after 20 wrong codes, whatever the login IDs, with one refusal that reveals no login ID; it is heard again once the window ends', async () => {
    const attacker = from('127.0.0.7');
    const answers: GraphqlResponse[] = [];
    for (let i = 0; i < 21; i++) answers.push(await wrongCode(attacker, i === 0 ? 'user02' : `nobody-here${i}`));
    expect(answers.slice(0, 20).map(errorCode)).toEqual(Array(20).fill('ENROLLMENT_REJECTED'));
    expect(new Set(answers.slice(0, 20).map((answer) => answer.body.errors![0].message)).size).toBe(1);
    expectRetryAfter(answers[20]);
    expect(answers[20].body.errors![0].message).not.toMatch(/user02|nobody/);
    gw.clock.advanceMinutes(16);
    expect(errorCode(await wrongCode(attacker, 'user02'))).toBe('ENROLLMENT_REJECTED');
  });

  it('failing: once wrong codes from everywhere reach 1,000 in the window, addresses that already sent one are RATE_LIMITED; a clean address still enrolls', async () => {
    const suspect = from('127.0.0.4');
    expect(errorCode(await wrongCode(suspect, 'user01'))).toBe('ENROLLMENT_REJECTED');
    // As after a spray of wrong codes from many addresses: the overall bucket is at its ceiling.
    await gw.gateway.services.db.writableManager.update(
      RateLimitBucket,
      { bucketKey: WRONG_CODE_LIMITS.overallKey },
      { hits: WRONG_CODE_LIMITS.overall },
    );

    const heldBack = await wrongCode(suspect, 'user01');
    expectRetryAfter(heldBack);
    expect(heldBack.body.errors![0].message).toMatch(/being tried/);
    expect(errorCode(await wrongCode(from('127.0.0.5'), 'user01'))).toBe('ENROLLMENT_REJECTED'); // a first wrong code is still heard

    const code = await codeFor('user01');
    const typedFullWidth = code
      .toLowerCase()
      .replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
      .replace(/-/g, '　');
    const enrolled = await from('127.0.0.6').query(ENROLL, {
      loginId: 'user01',
      code: typedFullWidth,
      password: gw.credentials('user01').loginPassword,
      csrPem,
    });
    expect(enrolled.body.errors).toBeUndefined();
  });
});

describe('enrollment audit: wrong codes sprayed at one login ID from many addresses', () => {
  let gw: TestGateway;
  const keys = generateRsaKeyPair();
  const csrPem = createCsr(keys.privateKeyPem, keys.publicKeyPem, 'x');
  const from = (localAddress: string) => gw.withCertificate(null, gw.enrollOrigin, { localAddress });
  const wrongCode = (client: GraphqlClient, loginId: string) =>
    client.query(ENROLL, { loginId, code: generateEnrollmentCode(), password: 'x', csrPem });
  const failures = async (where: Record<string, unknown>) =>
    (
      await gw.gateway.services.db.writableManager.find(AuditEvent, {
        where: { action: AuditAction.ENROLLMENT_FAILED, ...where },
        order: { id: 'ASC' },
      })
    ).map((event) => JSON.parse(event.detail!) as { reason: string; wrongCodesInWindow: number });

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('failing: 150 wrong codes from 150 addresses write 3 rows into the company’s log (the 1st, 10th and 100th, with the count); each address is still throttled and the holder of the code enrolls', async () => {
    const user02 = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
    const answers = [];
    for (let i = 1; i <= 150; i++) answers.push(errorCode(await wrongCode(from(`127.0.1.${i}`), 'user02')));
    expect(answers).toEqual(Array(150).fill('ENROLLMENT_REJECTED'));
    expect(await failures({ targetId: String(user02.id), contractId: user02.contractId! })).toEqual(
      [1, 10, 100].map((count) => ({ reason: 'wrong login ID or code', wrongCodesInWindow: count, windowEndsAt: expect.any(String) })),
    );
    // Unknown login IDs are counted together, in the bank's log.
    for (let i = 1; i <= 12; i++) expect(errorCode(await wrongCode(from(`127.0.2.${i}`), `nobody-${i}`))).toBe('ENROLLMENT_REJECTED');
    expect((await failures({ contractId: IsNull(), targetId: IsNull() })).map((detail) => detail.wrongCodesInWindow)).toEqual([1, 10]);

    // The per-address throttle is unchanged: the 21st wrong code from one address is RATE_LIMITED.
    const attacker = from('127.0.1.1');
    for (let i = 0; i < 19; i++) expect(errorCode(await wrongCode(attacker, 'user02'))).toBe('ENROLLMENT_REJECTED');
    expect(errorCode(await wrongCode(attacker, 'user02'))).toBe('RATE_LIMITED');
    expect(await failures({ targetId: String(user02.id) })).toHaveLength(3);

    // A new window counts from 1 again.
    gw.clock.advanceMinutes(16);
    expect(errorCode(await wrongCode(from('127.0.1.200'), 'user02'))).toBe('ENROLLMENT_REJECTED');
    expect((await failures({ targetId: String(user02.id) })).map((detail) => detail.wrongCodesInWindow)).toEqual([1, 10, 100, 1]);

    const admin = await sessionAs(gw, 'admin01');
    const code = (await admin.query(ISSUE, { id: user02.id, pw: gw.credentials('admin01').confirmationPassword })).body.data
      .issueEnrollmentCode.code as string;
    const enrolled = await from('127.0.1.2').query(ENROLL, {
      loginId: 'user02',
      code,
      password: gw.credentials('user02').loginPassword,
      csrPem,
    });
    expect(enrolled.body.errors).toBeUndefined();
  });
});

describe('enrollment limits: rate-limit buckets stay bounded', () => {
  let gw: TestGateway;
  const keys = generateRsaKeyPair();
  const csrPem = createCsr(keys.privateKeyPem, keys.publicKeyPem, 'x');
  const from = (localAddress: string) => gw.withCertificate(null, gw.enrollOrigin, { localAddress });
  const bucketKeys = async () =>
    (await gw.gateway.services.db.writableManager.find(RateLimitBucket)).map((bucket) => bucket.bucketKey).sort();

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('failing: a 50,000-character login ID and other misshapen or oversized arguments are BAD_USER_INPUT naming the field; nothing is stored', async () => {
    const valid = { loginId: 'user01', code: generateEnrollmentCode(), password: 'x', csrPem };
    const cases: Array<[string, Record<string, string>]> = [
      ['loginId', { loginId: 'u'.repeat(50_000) }],
      ['loginId', { loginId: 'ab' }],
      ['loginId', { loginId: 'user 01' }],
      ['enrollmentCode', { code: 'K'.repeat(50_000) }],
      ['enrollmentCode', { code: 'WRONG' }],
      ['enrollmentCode', { code: 'K2ST-304V-KG3S-WZAM-EWTI' }], // I is not in the code alphabet
      ['enrollmentCode', { code: 'K2ST-304V-KG3S-WZAM-EWT1-0' }],
      ['password', { password: 'p'.repeat(129) }],
      ['password', { password: '' }],
      ['csrPem', { csrPem: `${csrPem}${' '.repeat(16 * 1024)}` }],
    ];
    const auditEvents = await gw.gateway.services.db.writableManager.count(AuditEvent);
    for (const [field, change] of cases) {
      const response = await from('127.0.0.8').query(ENROLL, { ...valid, ...change });
      expect({ field, code: errorCode(response), named: response.body.errors?.[0].extensions?.field }).toEqual({
        field,
        code: 'BAD_USER_INPUT',
        named: field,
      });
      expect(response.body.errors![0].message).toMatch(new RegExp(`^${field} `));
    }
    expect(await bucketKeys()).toEqual([]);
    expect(await gw.gateway.services.db.writableManager.count(AuditEvent)).toBe(auditEvents);
  });

  it('failing: 200 wrong codes from one address under 200 login IDs leave at most 3 rows (the address, the overall count and the audit count of unknown login IDs)', async () => {
    const client = from('127.0.0.9');
    const answers: Array<string | undefined> = [];
    for (let i = 0; i < 200; i++)
      answers.push(errorCode(await client.query(ENROLL, { loginId: `guess${i}`, code: generateEnrollmentCode(), password: 'x', csrPem })));
    expect(answers.filter((code) => code === 'ENROLLMENT_REJECTED')).toHaveLength(20);
    expect(answers.filter((code) => code === 'RATE_LIMITED')).toHaveLength(180);
    expect(await bucketKeys()).toEqual(
      [WRONG_CODE_LIMITS.overallKey, WRONG_CODE_LIMITS.sourceKey('127.0.0.9'), WRONG_CODE_AUDIT.key(null)].sort(),
    );
  });

  it('failing: buckets whose window has ended are purged', async () => {
    gw.clock.advanceMinutes(16);
    expect(
      errorCode(await from('127.0.0.10').query(ENROLL, { loginId: 'user01', code: generateEnrollmentCode(), password: 'x', csrPem })),
    ).toBe('ENROLLMENT_REJECTED');
    const user01 = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user01' });
    expect(await bucketKeys()).toEqual(
      [WRONG_CODE_LIMITS.overallKey, WRONG_CODE_LIMITS.sourceKey('127.0.0.10'), WRONG_CODE_AUDIT.key(user01)].sort(),
    );
  });
});
