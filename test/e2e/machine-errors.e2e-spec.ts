import fs from 'node:fs';
import path from 'node:path';
import { createCsr } from '../../scripts/cert';
import { ERROR_CATALOGUE, ErrorCode } from '../../src/common/domain-error';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { generateEnrollmentCode } from '../../src/pki/enrollment.service';
import { User } from '../../src/users/user.entity';
import { LOGIN, ME, loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { testEngine } from '../helpers/database';
import { TestGateway } from '../helpers/gateway';
import { ENROLL, sessionAs } from '../helpers/lifecycle';

/**
 * Errors a program can act on (issue 10): every refusal keeps its code and says, in fields,
 * what an integration needs to decide its next step.
 */
describe('machine-readable errors', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  const reasonOf = (response: GraphqlResponse) => {
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    return response.body.errors![0].extensions!.reason;
  };

  it('failing: UNAUTHENTICATED says why: no session, logged out, replaced, expired, other certificate, ended by the administrator', async () => {
    const user01 = gw.asUser('user01');
    expect(reasonOf(await user01.query(ME))).toBe('NO_SESSION');
    user01.bearer = 'not-a-token';
    expect(reasonOf(await user01.query(ME))).toBe('NO_SESSION');

    await loginAsPartner(user01, gw.credentials('user01').loginPassword);
    await user01.query('mutation { logout }');
    expect(reasonOf(await user01.query(ME))).toBe('LOGGED_OUT');

    const first = gw.asUser('user01');
    await loginAsPartner(first, gw.credentials('user01').loginPassword);
    await loginAsPartner(gw.asUser('user01'), gw.credentials('user01').loginPassword);
    expect(reasonOf(await first.query(ME))).toBe('REPLACED_BY_NEWER_LOGIN');

    const idle = gw.asUser('user02');
    await loginAsPartner(idle, gw.credentials('user02').loginPassword);
    gw.clock.advanceMinutes(gw.config.auth.sessionIdleMinutes + 1);
    expect(reasonOf(await idle.query(ME))).toBe('EXPIRED');

    const thief = gw.asUser('user02');
    const stolen = gw.asUser('admin01');
    stolen.bearer = await loginAsPartner(thief, gw.credentials('user02').loginPassword);
    expect(reasonOf(await stolen.query(ME))).toBe('OTHER_CERTIFICATE');

    const victim = gw.asUser('user01');
    await loginAsPartner(victim, gw.credentials('user01').loginPassword);
    const admin = await sessionAs(gw, 'admin01');
    const { id } = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user01' });
    const reset = await admin.query(
      'mutation($id: Int!, $pw: String!) { resetUserPasswords(userId: $id, confirmationPassword: $pw) { user { id } } }',
      {
        id,
        pw: gw.credentials('admin01').confirmationPassword,
      },
    );
    expect(reset.body.errors).toBeUndefined();
    expect(reasonOf(await victim.query(ME))).toBe('ENDED_BY_ADMINISTRATION');
  });

  it('failing: RATE_LIMITED refusing a whole operation answers HTTP 429 with Retry-After and retryAfterSeconds', async () => {
    const keys = generateRsaKeyPair();
    const csrPem = createCsr(keys.privateKeyPem, keys.publicKeyPem, 'x');
    const client: GraphqlClient = gw.withCertificate(null, gw.enrollOrigin, { localAddress: '127.0.0.3' });
    let refused: GraphqlResponse | undefined;
    for (let i = 0; i < 30 && !refused; i++) {
      const response = await client.query(ENROLL, { loginId: 'nobody', code: generateEnrollmentCode(), password: 'x', csrPem });
      if (errorCode(response) === 'RATE_LIMITED') refused = response;
      else expect(response.status).toBe(200);
    }
    expect(refused).toBeDefined();
    const retryAfterSeconds = refused!.body.errors![0].extensions!.retryAfterSeconds as number;
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(refused!.status).toBe(429);
    expect(refused!.headers['retry-after']).toBe(String(retryAfterSeconds));
  });

  it('successful: an array batch keeps HTTP 200 when only one of its operations is rate-limited', async () => {
    const client = gw.asUser('admin01');
    const batch = [{ query: '{ whoami { loginId } }' }, { query: LOGIN, variables: { pin: 'x'.repeat(129) } }];
    const response = await client.request('/graphql', { body: JSON.stringify(batch) });
    expect(response.status).toBe(200);
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it('failing: a path that does not exist answers NOT_FOUND, a code of the catalogue', async () => {
    const response = await gw.asUser('user01').request('/nowhere', { method: 'GET' });
    expect(response.status).toBe(404);
    expect(errorCode(response)).toBe(ErrorCode.NOT_FOUND);
    expect(Object.keys(ERROR_CATALOGUE)).toContain(ErrorCode.NOT_FOUND);
  });

  it('docs/errors.md lists every error code of the code’s own catalogue', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
    for (const code of Object.values(ErrorCode)) expect(doc).toContain(`| \`${code}\``);
  });

  it('a request refused before execution takes its code’s status; an error inside an executed operation comes with 200 and its code', async () => {
    const stranger = gw.withCertificate(gw.unregisteredIdentity());
    const refused = await stranger.query('{ whoami { loginId } }');
    expect({ status: refused.status, code: errorCode(refused) }).toEqual({
      status: ERROR_CATALOGUE.CERTIFICATE_REJECTED.httpStatus,
      code: 'CERTIFICATE_REJECTED',
    });

    const wrongPin = await gw.asUser('user02').query(LOGIN, { pin: 'not-the-password' });
    expect({ status: wrongPin.status, code: errorCode(wrongPin), retryAfter: wrongPin.headers['retry-after'] }).toEqual({
      status: 200,
      code: 'LOGIN_FAILED',
      retryAfter: undefined,
    });
  });
});

/**
 * A database that cannot take a write (here SQLite's file at its size limit: SQLITE_FULL, as a
 * full disk gives) is "try again later", not a fault of the request and not an INTERNAL with 200.
 */
(testEngine === 'sqlite' ? describe : describe.skip)('a full database (SQLite)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('a write refused with SQLITE_FULL answers 503 SERVICE_UNAVAILABLE with Retry-After, and works again once there is room', async () => {
    const db = gw.gateway.services.db;
    // The table first: between fixing the size and creating it, the gateway's own writes may take the last free page.
    await db.writableManager.query('CREATE TABLE filler (bytes BLOB)');
    const [{ page_count: pages }] = await db.writableManager.query('PRAGMA page_count');
    await db.writableManager.query(`PRAGMA max_page_count = ${pages}`);
    // Take every free page, so that the next rows the gateway writes need a page the file may not grow to.
    for (let full = false; !full;) {
      full = await db.writableManager.query('INSERT INTO filler VALUES (randomblob(2000))').then(
        () => false,
        (error: { driverError?: { code?: string } }) => (expect(error.driverError?.code).toBe('SQLITE_FULL'), true),
      );
    }

    const user = gw.asUser('user01');
    let refused: GraphqlResponse | undefined;
    for (let i = 0; i < 30 && !refused; i++) {
      const response = await user.query(LOGIN, { pin: gw.credentials('user01').loginPassword });
      if (errorCode(response) === 'SERVICE_UNAVAILABLE') refused = response;
      else expect(response.body.errors).toBeUndefined();
    }
    expect(refused).toBeDefined();
    expect(refused!.status).toBe(503);
    expect(refused!.headers['retry-after']).toBe(String(refused!.body.errors![0].extensions!.retryAfterSeconds));
    expect(refused!.body.data).toBeNull();

    await db.writableManager.query('DROP TABLE filler');
    await db.writableManager.query('PRAGMA max_page_count = 1073741823');
    const again = await user.query(LOGIN, { pin: gw.credentials('user01').loginPassword });
    expect(again.body.errors).toBeUndefined();
  });
});
