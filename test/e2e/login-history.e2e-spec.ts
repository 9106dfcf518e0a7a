import { AuditAction } from '../../src/audit/audit-action';
import { LOGIN_HISTORY_LENGTH } from '../../src/auth/login-history.service';
import { User } from '../../src/users/user.entity';
import { login } from '../helpers/auth';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { firstLogin, sessionAs } from '../helpers/lifecycle';

/** Issue 19, item 4: ログイン履歴, the caller's own last 20 logins with time, address and outcome. */
const HISTORY = '{ loginHistory { occurredAt sourceAddress result } }';
const RESET =
  'mutation($id: Int!, $pw: String!) { resetUserPasswords(userId: $id, confirmationPassword: $pw) { temporaryPasswords { loginPassword confirmationPassword } } }';

describe('ログイン履歴', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start({ LOCKOUT_THRESHOLD: '3' });
  });
  afterAll(() => gw?.stop());

  it('shows the caller’s own logins, newest first: wrong PINs and successes with time and address', async () => {
    const client = gw.asUser('user02');
    expect(errorCode(await login(client, 'wrong-pin-1'))).toBe('LOGIN_FAILED');
    gw.clock.advance(1000);
    const user02 = await sessionAs(gw, 'user02');
    const history = (await user02.query(HISTORY)).body.data.loginHistory;
    expect(history.map((h: { result: string }) => h.result)).toEqual(['SUCCESS', 'WRONG_PASSWORD']);
    for (const entry of history) {
      expect(entry.sourceAddress).toMatch(/127\.0\.0\.1/);
      expect(new Date(entry.occurredAt).getTime()).toBeLessThanOrEqual(gw.clock.now().getTime());
    }
    // user01 logged in too (in another test or not): none of it is user02's.
    const user01 = await sessionAs(gw, 'user01');
    expect((await user01.query(HISTORY)).body.data.loginHistory.map((h: { result: string }) => h.result)).toEqual(['SUCCESS']);
  });

  it('keeps to the last 20', async () => {
    const { db, audit } = gw.gateway.services;
    const user = await db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
    const actor = {
      userId: user.id,
      loginId: user.loginId,
      contractId: user.contractId,
      certificateFingerprint: null,
      sourceAddress: '192.0.2.7',
    };
    for (let i = 0; i < LOGIN_HISTORY_LENGTH; i++) {
      gw.clock.advance(1000);
      await db.transaction((m) => audit.record(m, actor, { action: AuditAction.LOGIN }));
    }
    const user02 = await sessionAs(gw, 'user02');
    const history = (await user02.query(HISTORY)).body.data.loginHistory;
    expect(history).toHaveLength(20);
    expect(history[0].sourceAddress).toMatch(/127\.0\.0\.1/);
    expect(history.slice(1).every((h: { sourceAddress: string }) => h.sourceAddress === '192.0.2.7')).toBe(true);
  });

  it('shows the lock after consecutive wrong PINs, once the administrator has restarted the user', async () => {
    const client = gw.asUser('user02');
    for (let i = 0; i < 3; i++) await login(client, `wrong-pin-${i}`);
    expect(errorCode(await login(client, gw.credentials('user02').loginPassword))).toBe('ACCOUNT_LOCKED');
    const admin = await sessionAs(gw, 'admin01');
    const user = await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user02' });
    const reset = await admin.query(RESET, { id: user.id, pw: gw.credentials('admin01').confirmationPassword });
    expect(reset.body.errors).toBeUndefined();
    const { client: user02 } = await firstLogin(
      gw,
      gw.demoIdentity('user02'),
      reset.body.data.resetUserPasswords.temporaryPasswords,
      'Hist',
    );
    const outcomes = (await user02.query(HISTORY)).body.data.loginHistory.map((h: { result: string }) => h.result);
    expect(outcomes.slice(0, 5)).toEqual(['SUCCESS', 'LOCKED', 'WRONG_PASSWORD', 'WRONG_PASSWORD', 'WRONG_PASSWORD']);
  });
});
