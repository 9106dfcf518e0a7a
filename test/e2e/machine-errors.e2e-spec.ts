import fs from 'node:fs';
import path from 'node:path';
import { createCsr } from '../../scripts/cert';
import { ERROR_CATALOGUE, ErrorCode } from '../../src/common/domain-error';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { generateEnrollmentCode } from '../../src/pki/enrollment.service';
import { User } from '../../src/users/user.entity';
import { LOGIN, ME, loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
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
    const { id } = await gw.gateway.services.db.manager.findOneByOrFail(User, { loginId: 'user01' });
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

  it('failing: docs/errors.md lists every error code of the code’s own catalogue', () => {
    const table = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
    for (const code of Object.values(ErrorCode)) expect(table).toContain(`| \`${code}\``);
  });
});
