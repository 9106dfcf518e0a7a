import { SessionEndReason } from '../../src/auth/session.entity';
import { AuditAction } from '../../src/audit/audit-action';
import { User } from '../../src/users/user.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Session } from '../../src/auth/session.entity';
import { errorCode } from '../helpers/client';
import { CHANGE_PASSWORD, LOGIN, ME, login, loginAsPartner, toFullWidth } from '../helpers/auth';
import { TestGateway } from '../helpers/gateway';

describe('PIN login and certificate-bound sessions', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  const pin = (id: 'user01' | 'user02' | 'admin01' | 'operator01') => gw.credentials(id).loginPassword;
  const audits = (action: AuditAction) =>
    gw.gateway.services.db.writableManager.find(AuditEvent, { where: { action }, order: { id: 'ASC' } });

  it('successful: login returns a token, expiry, statuses and sets a strict session cookie', async () => {
    const client = gw.asUser('user01');
    const response = await login(client, pin('user01'));
    const result = response.body.data.login;
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.mustChangePassword).toBe(false);
    expect(result.passwordStatus).toMatchObject({ daysRemaining: 89, expired: false, temporary: false, warning: null });
    expect(result.certificateStatus).toMatchObject({ daysRemaining: 364, renewalRecommended: false, warning: null });
    const hoursValid = (new Date(result.expiresAt).getTime() - gw.clock.now().getTime()) / 3600_000;
    expect(hoursValid).toBeCloseTo(8, 1);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toContain(`cibg_session=${result.token}`);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);

    const viaCookie = await client.query(ME, undefined, { cookie: `cibg_session=${result.token}` });
    expect(viaCookie.body.data.me).toMatchObject({ loginId: 'user01', loggedIn: true });
    client.bearer = result.token;
    expect((await client.query(ME)).body.data.me.loginId).toBe('user01');
    expect((await client.query('{ whoami { loggedIn } }')).body.data.whoami.loggedIn).toBe(true);
  });

  it('successful: full-width input of the PIN is the same PIN (NFKC)', async () => {
    const response = await login(gw.asUser('user02'), toFullWidth(pin('user02')));
    expect(response.body.data.login.token).toBeDefined();
  });

  it('failing: without a session every operation but whoami and login is UNAUTHENTICATED', async () => {
    const client = gw.asUser('user02');
    expect(errorCode(await client.query(ME))).toBe('UNAUTHENTICATED');
    expect(errorCode(await client.query('mutation { logout }'))).toBe('UNAUTHENTICATED');
    expect((await client.query('{ whoami { loginId loggedIn } }')).body.data.whoami).toEqual({ loginId: 'user02', loggedIn: false });
  });

  it('failing: a wrong PIN is LOGIN_FAILED saying how many attempts remain; the audit has no password', async () => {
    const client = gw.asUser('admin01');
    const wrong = 'WrongPin123';
    const first = await login(client, wrong);
    expect(errorCode(first)).toBe('LOGIN_FAILED');
    expect(first.body.errors![0].extensions!.remainingAttempts).toBe(5);
    expect(first.body.errors![0].message).toMatch(/5 attempt\(s\) remain/);
    expect((await login(client, wrong)).body.errors![0].extensions!.remainingAttempts).toBe(4);
    await loginAsPartner(client, pin('admin01')); // success resets the count
    const admin = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'admin01' });
    expect(admin.failedAttempts).toBe(0);
    const failures = (await audits(AuditAction.LOGIN_FAILED)).filter((e) => e.actorLoginId === 'admin01');
    expect(failures).toHaveLength(2);
    expect(failures[0].certificateFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const everything = JSON.stringify(await gw.gateway.services.db.writableManager.find(AuditEvent));
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(pin('admin01'));
  });

  it('failing: a token replayed with another user’s certificate is refused and its session ended', async () => {
    const owner = gw.asUser('user01');
    const token = await loginAsPartner(owner, pin('user01'));
    const thief = gw.asUser('user02');
    thief.bearer = token;
    const stolen = await thief.query(ME);
    expect(errorCode(stolen)).toBe('UNAUTHENTICATED');
    expect(stolen.body.errors![0].message).toMatch(/another certificate/);
    // The owner's copy is dead too: the session was ended, not merely refused.
    expect(errorCode(await owner.query(ME))).toBe('UNAUTHENTICATED');
    const session = await gw.gateway.services.db.writableManager.findOneByOrFail(Session, {
      endReason: SessionEndReason.CERTIFICATE_MISMATCH,
    });
    expect(session.endedAt).not.toBeNull();
    expect((await audits(AuditAction.SESSION_CERTIFICATE_MISMATCH)).at(-1)).toMatchObject({ actorLoginId: 'user02', outcome: 'FAILURE' });
  });

  it('successful: logout ends the session at once and clears the cookie', async () => {
    const client = gw.asUser('user01');
    await loginAsPartner(client, pin('user01'));
    const out = await client.query('mutation { logout }');
    expect(out.body.data.logout).toBe(true);
    expect(String(out.headers['set-cookie'])).toMatch(/cibg_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(errorCode(await client.query(ME))).toBe('UNAUTHENTICATED');
    expect((await audits(AuditAction.LOGOUT)).length).toBeGreaterThan(0);
  });

  it('successful: one session per user — a new login ends the older one', async () => {
    const first = gw.asUser('user01');
    await loginAsPartner(first, pin('user01'));
    const second = gw.asUser('user01');
    await loginAsPartner(second, pin('user01'));
    expect(errorCode(await first.query(ME))).toBe('UNAUTHENTICATED');
    expect((await second.query(ME)).body.data.me.loginId).toBe('user01');
  });

  it('failing: the idle timeout (15 min) ends a session; activity keeps it alive', async () => {
    const client = gw.asUser('user02');
    await loginAsPartner(client, pin('user02'));
    gw.clock.advanceMinutes(14);
    expect((await client.query(ME)).body.data.me.loginId).toBe('user02');
    gw.clock.advanceMinutes(14);
    expect((await client.query(ME)).body.data.me.loginId).toBe('user02');
    gw.clock.advanceMinutes(16);
    const timedOut = await client.query(ME);
    expect(errorCode(timedOut)).toBe('UNAUTHENTICATED');
    expect(timedOut.body.errors![0].message).toMatch(/timed out/);
  });

  it('failing: the absolute timeout (8 h) ends even an active session', async () => {
    const client = gw.asUser('user02');
    await loginAsPartner(client, pin('user02'));
    for (let minutes = 0; minutes < 8 * 60 - 10; minutes += 10) {
      gw.clock.advanceMinutes(10);
      expect(errorCode(await client.query(ME))).toBeUndefined();
    }
    gw.clock.advanceMinutes(11);
    const expired = await client.query(ME);
    expect(errorCode(expired)).toBe('UNAUTHENTICATED');
    expect(expired.body.errors![0].message).toMatch(/expired/);
  });

  it('failing: login takes a PIN argument of at most 128 characters without counting it', async () => {
    const client = gw.asUser('operator01');
    const response = await client.query(LOGIN, { pin: 'x'.repeat(129) });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    const operator = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'operator01' });
    expect(operator.failedAttempts).toBe(0);
  });

  it('failing: a missing or mistyped argument is BAD_USER_INPUT', async () => {
    const client = gw.asUser('operator01');
    expect(errorCode(await client.query('mutation { login { token } }'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await client.query(CHANGE_PASSWORD, { kind: 'PIN', current: 'a', next: 'b' }))).toBe('BAD_USER_INPUT');
  });
});
