import { errorCode } from '../helpers/client';
import { LOGIN } from '../helpers/auth';
import { TestGateway } from '../helpers/gateway';

const ME = '{ me { loginId lastLoginAt previousLoginAt idleTimeoutSeconds } }';

describe('前回ログイン日時: the previous login time', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start({ SESSION_IDLE_MINUTES: '12' });
  });
  afterAll(() => gw.stop());

  it('successful: each login shows the one before it, on login and on me; the first shows none', async () => {
    const client = gw.asUser('user01');
    const pin = gw.credentials('user01').loginPassword;
    const logins: string[] = [];
    const seen: Array<string | null> = [];
    const previousOnMe: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      gw.clock.advanceMinutes(61);
      const before = gw.clock.now().getTime();
      const response = await client.query(LOGIN.replace('mustChangePassword', 'mustChangePassword previousLoginAt'), { pin });
      expect(response.body.errors).toBeUndefined();
      seen.push(response.body.data.login.previousLoginAt);
      client.bearer = response.body.data.login.token;
      const me = (await client.query(ME)).body.data.me;
      expect(new Date(me.lastLoginAt).getTime()).toBeGreaterThanOrEqual(before);
      expect(new Date(me.lastLoginAt).getTime()).toBeLessThanOrEqual(gw.clock.now().getTime());
      logins.push(me.lastLoginAt);
      previousOnMe.push(me.previousLoginAt);
      expect(me.idleTimeoutSeconds).toBe(720);
    }
    expect(seen).toEqual([null, logins[0], logins[1]]);
    expect(previousOnMe).toEqual([null, logins[0], logins[1]]);
  });

  it('failing: a wrong PIN moves neither time', async () => {
    const client = gw.asUser('user02');
    const pin = gw.credentials('user02').loginPassword;
    const first = await client.query(LOGIN, { pin });
    client.bearer = first.body.data.login.token;
    const before = (await client.query(ME)).body.data.me;

    gw.clock.advanceMinutes(5);
    expect(errorCode(await gw.asUser('user02').query(LOGIN, { pin: 'Wrong-pin-1' }))).toBe('LOGIN_FAILED');
    const after = (await client.query(ME)).body.data.me;
    expect(after).toEqual(before);
    expect(after.previousLoginAt).toBeNull();
  });
});
