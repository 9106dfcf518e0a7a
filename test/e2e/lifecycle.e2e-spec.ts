import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ME, login, loginAsPartner } from '../helpers/auth';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { CREATE_CONTRACT, CREATE_USER, ENROLL, firstLogin, sessionAs } from '../helpers/lifecycle';

const USERS = '{ users { id loginId role locked activeCertificate { id serialNumber } } }';

function opensslCsr(dir: string, name: string, newkey: string[]): { csrPem: string; keyPem: string } {
  const key = path.join(dir, `${name}.key.pem`);
  const csr = path.join(dir, `${name}.csr.pem`);
  execFileSync('openssl', ['req', '-new', ...newkey, '-nodes', '-keyout', key, '-subj', '/CN=ignored-by-the-bank', '-out', csr], {
    stdio: 'ignore',
  });
  return { csrPem: fs.readFileSync(csr, 'utf8'), keyPem: fs.readFileSync(key, 'utf8') };
}

/** Runs `npm run cert -- request …` (the built script) as its own process; async, since this process serves it. */
async function runHelper(gw: TestGateway, args: string[]): Promise<string> {
  const caFile = path.join(gw.dir, 'ca-for-helper.pem');
  fs.writeFileSync(caFile, gw.caPem);
  const { stdout } = await promisify(execFile)(process.execPath, [
    path.join(__dirname, '..', '..', 'dist', 'scripts', 'cert.js'),
    'request',
    '--enroll-url',
    gw.enrollOrigin,
    '--ca',
    caFile,
    ...args,
  ]);
  return stdout;
}

describe('the certificate lifecycle, end to end', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: contract → administrator (openssl CSR) → user (helper) → PC lost → revoked on the open connection → reissued', async () => {
    // 1. The bank creates the contract with its master administrator.
    const operator = await sessionAs(gw, 'operator01');
    const created = await operator.query(CREATE_CONTRACT, {
      input: { code: 'ACME0001', name: 'Acme Trading', administratorLoginId: 'acme-admin', administratorName: 'Acme Admin' },
      confirmationPassword: gw.credentials('operator01').confirmationPassword,
    });
    const contract = created.body.data.createContract;
    expect(contract.contract).toMatchObject({ code: 'ACME0001', status: 'ACTIVE' });
    expect(contract.enrollmentCode.code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);

    // 2. The administrator enrolls with a CSR made by `openssl req` on their PC.
    const adminCsr = opensslCsr(gw.dir, 'acme-admin', ['-newkey', 'rsa:2048']);
    const enrolled = await gw.enrollClient().query(ENROLL, {
      loginId: 'acme-admin',
      code: contract.enrollmentCode.code.toLowerCase().replace(/-/g, ' '), // typed as people type it
      password: contract.temporaryPasswords.loginPassword,
      csrPem: adminCsr.csrPem,
    });
    expect(enrolled.body.errors).toBeUndefined();
    const adminCertificate = enrolled.body.data.enrollCertificate;
    const subject = execFileSync('openssl', ['x509', '-noout', '-subject', '-ext', 'extendedKeyUsage'], {
      input: adminCertificate.certificatePem,
      encoding: 'utf8',
    });
    expect(subject).toMatch(/CN ?= ?acme-admin/); // from the bank's records, not the CSR
    expect(subject).not.toMatch(/ignored-by-the-bank/);
    expect(subject).toMatch(/TLS Web Client Authentication/);
    const adminIdentity = { certificatePem: adminCertificate.certificatePem, privateKeyPem: adminCsr.keyPem };

    // 3. It logs in and must change the temporary passwords before anything else.
    const adminFirst = gw.withCertificate(adminIdentity);
    const firstLoginResult = (await login(adminFirst, contract.temporaryPasswords.loginPassword)).body.data.login;
    expect(firstLoginResult.mustChangePassword).toBe(true);
    adminFirst.bearer = firstLoginResult.token;
    expect(errorCode(await adminFirst.query(USERS))).toBe('PASSWORD_EXPIRED');
    const admin = await firstLogin(gw, adminIdentity, contract.temporaryPasswords, 'Acme');

    // 4. It creates a user.
    const user = (
      await admin.client.query(CREATE_USER, {
        input: {
          loginId: 'acme-user1',
          displayName: 'Acme User 1',
          permissions: ['TRANSFER'],
          transferLimitPerTransaction: 500000,
          dailyTransferLimit: 2000000,
        },
        confirmationPassword: admin.confirmationPassword,
      })
    ).body.data.createUser;
    expect(user.user).toMatchObject({
      loginId: 'acme-user1',
      role: 'USER',
      permissions: ['TRANSFER'],
      dailyTransferLimit: 2000000,
      activeCertificate: null,
    });

    // 5. The user enrolls with the helper (npm run cert), which writes PEMs and a .p12.
    const out = path.join(gw.dir, 'pc-1');
    const printed = await runHelper(gw, [
      '--login-id',
      'acme-user1',
      '--code',
      user.enrollmentCode.code,
      '--password',
      user.temporaryPasswords.loginPassword,
      '--out',
      out,
      '--p12-password',
      'P12secret9',
    ]);
    expect(printed).toMatch(/issued, valid until/);
    const pc1 = {
      certificatePem: fs.readFileSync(path.join(out, 'acme-user1.crt.pem'), 'utf8'),
      privateKeyPem: fs.readFileSync(path.join(out, 'acme-user1.key.pem'), 'utf8'),
    };
    expect(
      execFileSync('openssl', ['pkcs12', '-in', path.join(out, 'acme-user1.p12'), '-passin', 'pass:P12secret9', '-nokeys', '-legacy'], {
        encoding: 'utf8',
      }),
    ).toContain('BEGIN CERTIFICATE');

    // 6. The user logs in, changes the temporary passwords, works.
    const acmeUser = await firstLogin(gw, pc1, user.temporaryPasswords, 'User1');
    expect((await acmeUser.client.query(ME)).body.data.me.loginId).toBe('acme-user1');

    // 7. The PC is lost: the administrator revokes the certificate; the already-open connection is refused next.
    const listed = (await admin.client.query(USERS)).body.data.users.find((u: any) => u.loginId === 'acme-user1');
    const revoked = await admin.client.query(
      'mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "PC lost") { status revokedAt } }',
      { id: listed.activeCertificate.id },
    );
    expect(revoked.body.data.revokeCertificate.status).toBe('REVOKED');
    const refused = await acmeUser.client.query(ME);
    expect(errorCode(refused)).toBe('CERTIFICATE_REJECTED');

    // The CRL published on the enrollment listener lists it and is signed by the CA.
    const crl = await fetchCrl(gw);
    fs.writeFileSync(path.join(gw.dir, 'ca.pem'), gw.caPem);
    const crlText = execFileSync('openssl', ['crl', '-inform', 'DER', '-CAfile', path.join(gw.dir, 'ca.pem'), '-noout', '-text'], {
      input: crl,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    expect(crlText).toContain(listed.activeCertificate.serialNumber);

    // 8. Reissue on the new PC with a new enrollment code; the old certificate stays refused.
    const reissue = await admin.client.query(
      'mutation($id: Int!, $pw: String!) { issueEnrollmentCode(userId: $id, confirmationPassword: $pw) { code expiresAt } }',
      {
        id: user.user.id,
        pw: admin.confirmationPassword,
      },
    );
    const out2 = path.join(gw.dir, 'pc-2');
    await runHelper(gw, [
      '--login-id',
      'acme-user1',
      '--code',
      reissue.body.data.issueEnrollmentCode.code,
      '--password',
      acmeUser.loginPassword,
      '--out',
      out2,
      '--p12-password',
      'P12secret9',
    ]);
    const pc2 = {
      certificatePem: fs.readFileSync(path.join(out2, 'acme-user1.crt.pem'), 'utf8'),
      privateKeyPem: fs.readFileSync(path.join(out2, 'acme-user1.key.pem'), 'utf8'),
    };
    const onPc2 = gw.withCertificate(pc2);
    await loginAsPartner(onPc2, acmeUser.loginPassword);
    expect((await onPc2.query(ME)).body.data.me.loginId).toBe('acme-user1');
    expect(errorCode(await gw.withCertificate(pc1).query('{ whoami { loginId } }'))).toBe('CERTIFICATE_REJECTED');

    // Everything above is in the audit log, without a password or code.
    const events = await gw.gateway.services.db.writableManager.find(AuditEvent, { order: { id: 'ASC' } });
    const actions = events.map((e) => e.action);
    for (const action of [
      'CONTRACT_CREATED',
      'ENROLLMENT_CODE_ISSUED',
      'CERTIFICATE_ISSUED',
      'USER_CREATED',
      'PASSWORD_CHANGED',
      'CERTIFICATE_REVOKED',
    ]) {
      expect(actions).toContain(action);
    }
    const text = JSON.stringify(events);
    for (const secret of [
      contract.temporaryPasswords.loginPassword,
      contract.enrollmentCode.code,
      user.enrollmentCode.code,
      admin.confirmationPassword,
      reissue.body.data.issueEnrollmentCode.code,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('successful: an EC P-256 key from `openssl req` is certified and works for TLS', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const users = (await admin.query(USERS)).body.data.users;
    const user02 = users.find((u: any) => u.loginId === 'user02');
    const code = (
      await admin.query('mutation($id: Int!, $pw: String!) { issueEnrollmentCode(userId: $id, confirmationPassword: $pw) { code } }', {
        id: user02.id,
        pw: gw.credentials('admin01').confirmationPassword,
      })
    ).body.data.issueEnrollmentCode.code;
    const csr = opensslCsr(gw.dir, 'ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    const enrolled = await gw
      .enrollClient()
      .query(ENROLL, { loginId: 'user02', code, password: gw.credentials('user02').loginPassword, csrPem: csr.csrPem });
    expect(enrolled.body.errors).toBeUndefined();
    const client = gw.withCertificate({ certificatePem: enrolled.body.data.enrollCertificate.certificatePem, privateKeyPem: csr.keyPem });
    expect((await client.query('{ whoami { loginId certificate { serialNumber } } }')).body.data.whoami.loginId).toBe('user02');
    // 1 ID = 1 certificate: the previous one (the demo's RSA certificate) is refused now.
    expect(errorCode(await gw.asUser('user02').query('{ whoami { loginId } }'))).toBe('CERTIFICATE_REJECTED');
  });
});

async function fetchCrl(gw: TestGateway): Promise<Buffer> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    https
      .get(`${gw.enrollOrigin}/crl`, { ca: gw.caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
      .on('error', reject);
  });
}
