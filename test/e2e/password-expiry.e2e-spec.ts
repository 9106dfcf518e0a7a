import { AuditAction } from '../../src/audit/audit-action';
import { User } from '../../src/users/user.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { CHANGE_PASSWORD, ME, login, loginAsPartner } from '../helpers/auth';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';

const NEW_LOGIN = 'Fresh2Login7';
const NEW_CONFIRMATION = 'Fresh2Confirm8';

describe('password expiry (soft, the default) and changing passwords', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: inside the 14-day window login warns; after 90 days it says expired and work goes on', async () => {
    const client = gw.asUser('user01');
    gw.clock.advanceDays(80);
    const warned = (await login(client, gw.credentials('user01').loginPassword)).body.data.login;
    expect(warned.passwordStatus).toMatchObject({ daysRemaining: 9, expired: false });
    expect(warned.passwordStatus.warning).toMatch(/expires in 9 day/);
    expect(warned.mustChangePassword).toBe(false);

    gw.clock.advanceDays(11);
    client.bearer = null;
    const expired = (await login(client, gw.credentials('user01').loginPassword)).body.data.login;
    expect(expired.passwordStatus.expired).toBe(true);
    expect(expired.passwordStatus.warning).toMatch(/has expired/);
    expect(expired.mustChangePassword).toBe(false);
    client.bearer = expired.token;
    const me = (await client.query(ME)).body.data.me;
    expect(me.passwordStatus.expired).toBe(true);
    expect((await client.query('{ whoami { passwordStatus { warning } } }')).body.data.whoami.passwordStatus.warning).toMatch(/expired/);
  });

  it('successful: changing the login password restarts the expiry clock', async () => {
    const client = gw.asUser('user01');
    await loginAsPartner(client, gw.credentials('user01').loginPassword);
    const changed = await client.query(CHANGE_PASSWORD, {
      kind: 'LOGIN',
      current: gw.credentials('user01').loginPassword,
      next: NEW_LOGIN,
    });
    expect(changed.body.data.changePassword).toMatchObject({
      kind: 'LOGIN',
      mustChangePassword: false,
      passwordStatus: { expired: false, warning: null },
    });
    expect((await client.query(ME)).body.data.me.passwordStatus.daysRemaining).toBe(89);
    client.bearer = null;
    expect(errorCode(await login(client, gw.credentials('user01').loginPassword))).toBe('LOGIN_FAILED');
    await loginAsPartner(client, NEW_LOGIN);
    const audit = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, {
      action: AuditAction.PASSWORD_CHANGED,
      actorLoginId: 'user01',
    });
    expect(audit.detail).toBe('{"kind":"LOGIN"}');
  });

  describe('policy', () => {
    let client: ReturnType<TestGateway['asUser']>;
    const change = (kind: string, current: string, next: string) => client.query(CHANGE_PASSWORD, { kind, current, next });
    const rule = (response: Awaited<ReturnType<typeof change>>) => {
      expect(errorCode(response)).toBe('PASSWORD_POLICY');
      return response.body.errors![0].extensions!.rule;
    };

    beforeAll(async () => {
      client = gw.asUser('user02');
      await loginAsPartner(client, gw.credentials('user02').loginPassword);
    });

    it.each([
      ['Ab1', 'MIN_LENGTH', /at least 8 characters/],
      ['OnlyLettersHere', 'CHARACTER_CLASSES', /letters and digits/],
      ['12345678901', 'CHARACTER_CLASSES', /letters and digits/],
      ['xxUSER02xx99', 'NOT_LOGIN_ID', /login ID/],
      ['Has space 123', 'CHARACTERS', /no spaces/],
    ])('failing: %s breaks %s, named in the error, and nothing changes', async (next, expectedRule, message) => {
      const before = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
      const response = await change('LOGIN', gw.credentials('user02').loginPassword, next);
      expect(rule(response)).toBe(expectedRule);
      expect(response.body.errors![0].message).toMatch(message);
      const after = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
      expect(after.loginPasswordHash).toBe(before.loginPasswordHash);
      expect(after.failedAttempts).toBe(0); // the policy is checked before any guess is spent
    });

    it('failing: the new password may not repeat the current one, nor equal the other password', async () => {
      const creds = gw.credentials('user02');
      expect(rule(await change('LOGIN', creds.loginPassword, creds.loginPassword))).toBe('HISTORY');
      expect(rule(await change('LOGIN', creds.loginPassword, creds.confirmationPassword))).toBe('DIFFERENT_FROM_OTHER_PASSWORD');
    });

    it('failing: the last 3 passwords may not be reused', async () => {
      const creds = gw.credentials('user02');
      expect(errorCode(await change('CONFIRMATION', creds.confirmationPassword, 'Second2Conf'))).toBeUndefined();
      expect(errorCode(await change('CONFIRMATION', 'Second2Conf', 'Third3Conf'))).toBeUndefined();
      expect(rule(await change('CONFIRMATION', 'Third3Conf', creds.confirmationPassword))).toBe('HISTORY');
      expect(errorCode(await change('CONFIRMATION', 'Third3Conf', 'Fourth4Conf'))).toBeUndefined();
      // Three changes later the first one may come back.
      expect(errorCode(await change('CONFIRMATION', 'Fourth4Conf', creds.confirmationPassword))).toBeUndefined();
    });

    it('failing: a wrong current password counts toward the lock and changes nothing', async () => {
      const response = await change('LOGIN', 'NotMyPassw0rd', 'Another9Pass');
      expect(errorCode(response)).toBe('LOGIN_FAILED');
      expect(response.body.errors![0].extensions!.remainingAttempts).toBe(5);
      const user = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
      expect(user.failedAttempts).toBe(1);
      expect(errorCode(await login(gw.asUser('user02'), gw.credentials('user02').loginPassword))).toBeUndefined();
    });
  });
});

describe('enforced expiry and temporary passwords', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start({ PASSWORD_EXPIRY_MODE: 'enforce' });
  });
  afterAll(() => gw.stop());

  it('failing: under enforce, an expired password allows only changePassword, logout and whoami', async () => {
    gw.clock.advanceDays(91);
    const client = gw.asUser('user01');
    const result = (await login(client, gw.credentials('user01').loginPassword)).body.data.login;
    expect(result.mustChangePassword).toBe(true);
    expect(result.passwordStatus.warning).toMatch(/expired.*change it to continue/);
    client.bearer = result.token;
    const refused = await client.query(ME);
    expect(errorCode(refused)).toBe('PASSWORD_EXPIRED');
    expect(refused.body.errors![0].message).toMatch(/expired/);
    expect((await client.query('{ whoami { mustChangePassword } }')).body.data.whoami.mustChangePassword).toBe(true);
    await client.query(CHANGE_PASSWORD, { kind: 'LOGIN', current: gw.credentials('user01').loginPassword, next: NEW_LOGIN });
    expect((await client.query(ME)).body.data.me).toMatchObject({ loginId: 'user01', mustChangePassword: false });
    expect((await client.query('mutation { logout }')).body.data.logout).toBe(true);
  });

  it('failing: temporary passwords from a reset must both be changed before anything else', async () => {
    // What an administrator's reset leaves behind (the reset itself is the admin menu's).
    await gw.gateway.services.db.transaction((m) =>
      m.update(User, { loginId: 'user02' }, { loginPasswordTemporary: true, confirmationPasswordTemporary: true }),
    );
    const client = gw.asUser('user02');
    const creds = gw.credentials('user02');
    const result = (await login(client, creds.loginPassword)).body.data.login;
    expect(result.mustChangePassword).toBe(true);
    expect(result.passwordStatus).toMatchObject({ temporary: true });
    expect(result.passwordStatus.warning).toMatch(/reset/);
    client.bearer = result.token;
    const refused = await client.query(ME);
    expect(errorCode(refused)).toBe('PASSWORD_EXPIRED');
    expect(refused.body.errors![0].message).toMatch(/temporary password/);

    const first = await client.query(CHANGE_PASSWORD, { kind: 'LOGIN', current: creds.loginPassword, next: NEW_LOGIN });
    expect(first.body.data.changePassword.mustChangePassword).toBe(true); // the confirmation password is still temporary
    expect(errorCode(await client.query(ME))).toBe('PASSWORD_EXPIRED');
    const second = await client.query(CHANGE_PASSWORD, {
      kind: 'CONFIRMATION',
      current: creds.confirmationPassword,
      next: NEW_CONFIRMATION,
    });
    expect(second.body.data.changePassword.mustChangePassword).toBe(false);
    expect((await client.query(ME)).body.data.me.loginId).toBe('user02');
  });
});
