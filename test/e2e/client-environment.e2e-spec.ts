import { AuditAction } from '../../src/audit/audit-action';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ME, loginAsPartner } from '../helpers/auth';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { enroll, sessionAs } from '../helpers/lifecycle';

const ALLOW = 'mutation($e: [String!]!, $pw: String!) { setIpAllowList(entries: $e, confirmationPassword: $pw) { ipAllowList } }';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const ANDROID_PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

describe('client environment (R15): IP allow-list and phone browsers', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // All interfaces, so a client can connect from 127.0.0.2 as "another network".
    gw = await TestGateway.start({ LISTEN_HOST: '0.0.0.0' });
  });
  afterAll(() => gw.stop());

  it('failing: a phone browser gets a clear FORBIDDEN; a PC browser and a partner integration are unaffected', async () => {
    const client = gw.asUser('user01');
    for (const ua of [IPHONE, ANDROID_PHONE]) {
      const refused = await client.query('{ whoami { loginId } }', undefined, { 'user-agent': ua });
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.body.errors![0].message).toMatch(/Mobile phones are not supported/);
    }
    expect((await client.query('{ whoami { loginId } }', undefined, { 'user-agent': WINDOWS })).body.data.whoami.loginId).toBe('user01');
    expect(
      (await client.query('{ whoami { loginId } }', undefined, { 'user-agent': 'AcmeERP/4.2 (batch)' })).body.data.whoami.loginId,
    ).toBe('user01');
    expect(
      await gw.gateway.services.db.writableManager.countBy(AuditEvent, { action: AuditAction.CLIENT_REFUSED, actorLoginId: 'user01' }),
    ).toBe(2);
  });

  it('failing: with an allow-list, another address is refused and audited; an administrator cannot lock themselves out', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const pw = gw.credentials('admin01').confirmationPassword;
    const selfLockout = await admin.query(ALLOW, { e: ['203.0.113.0/24'], pw });
    expect(errorCode(selfLockout)).toBe('BAD_USER_INPUT');
    expect(selfLockout.body.errors![0].message).toMatch(/lock yourself out/);
    expect(errorCode(await admin.query(ALLOW, { e: ['not-an-address'], pw }))).toBe('BAD_USER_INPUT');

    const set = await admin.query(ALLOW, { e: ['127.0.0.1', '2001:db8::/32'], pw });
    expect(set.body.data.setIpAllowList.ipAllowList).toEqual(['127.0.0.1/32', '2001:db8::/32']);

    const fromOffice = gw.asUser('user01');
    await loginAsPartner(fromOffice, gw.credentials('user01').loginPassword);
    expect((await fromOffice.query(ME)).body.data.me.loginId).toBe('user01');
    const elsewhere = gw.withCertificate(gw.demoIdentity('user01'), `https://localhost:${gw.gateway.apiPort}`, {
      localAddress: '127.0.0.2',
    });
    const refused = await elsewhere.query('{ whoami { loginId } }');
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.body.errors![0].message).toMatch(/Access from 127\.0\.0\.2 is not allowed/);
    const audit = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, {
      action: AuditAction.CLIENT_REFUSED,
      sourceAddress: '127.0.0.2',
    });
    expect(JSON.parse(audit.detail!)).toEqual({ reason: 'address not in the allow-list' });

    // Other contracts (and bank operators) are not bound by this contract's list.
    const operator = gw.withCertificate(gw.demoIdentity('operator01'), `https://localhost:${gw.gateway.apiPort}`, {
      localAddress: '127.0.0.2',
    });
    expect((await operator.query('{ whoami { loginId } }')).body.data.whoami.loginId).toBe('operator01');

    expect((await admin.query(ALLOW, { e: [], pw })).body.data.setIpAllowList.ipAllowList).toEqual([]);
    const anywhere = gw.withCertificate(gw.demoIdentity('user01'), `https://localhost:${gw.gateway.apiPort}`, {
      localAddress: '127.0.0.2',
    });
    expect((await anywhere.query('{ whoami { loginId } }')).body.data.whoami.loginId).toBe('user01');
  });
});

describe('npm run operator:create (the first operator in production)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start({}, { seedDemo: false });
  });
  afterAll(() => gw.stop());

  it('successful: prints temporary passwords and an enrollment code that work; a taken login ID is refused', async () => {
    const run = (loginId: string) =>
      promisify(execFile)(
        process.execPath,
        [path.join(__dirname, '..', '..', 'dist', 'scripts', 'operator-create.js'), '--login-id', loginId, '--name', 'First Operator'],
        {
          env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: gw.databaseUrl, CERTS_DIR: gw.config.pki.certsDir },
        },
      );
    const { stdout } = await run('bank-op1');
    const loginPassword = /temporary login password:\s+(\S+)/.exec(stdout)![1];
    const code = /enrollment code:\s+(\S+)/.exec(stdout)![1];
    const identity = await enroll(gw, 'bank-op1', code, loginPassword);
    const client = gw.withCertificate(identity);
    const result = (await client.query('mutation($pin: String!) { login(pin: $pin) { mustChangePassword } }', { pin: loginPassword })).body
      .data.login;
    expect(result.mustChangePassword).toBe(true);
    await expect(run('bank-op1')).rejects.toMatchObject({ stderr: expect.stringMatching(/already taken/) });
  });
});
