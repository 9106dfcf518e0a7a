import { User } from '../../src/users/user.entity';
import { UNAVAILABLE_LOGIN_ID_LIMITS } from '../../src/admin/admin.service';
import { LOGIN_ID_RULE } from '../../src/users/user.types';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { CREATE_USER, onboardContract, sessionAs } from '../helpers/lifecycle';

const WRONG = 'not-my-password-9';

/**
 * Login IDs are unique across the bank, so createUser must refuse one that another company or the
 * bank's staff holds — without telling an administrator more than their own users' IDs: another
 * holder is looked for only after the confirmation password, is answered as an own user's ID is,
 * and at most UNAVAILABLE_LOGIN_ID_LIMITS.perAdministrator times an hour.
 */
describe('createUser does not reveal other contracts’ login IDs', () => {
  let gw: TestGateway;
  let admin: GraphqlClient;
  const newUser = (loginId: string) => ({
    loginId,
    displayName: 'New User',
    permissions: ['ACCOUNT_INQUIRY'],
    transferLimitPerTransaction: 1000,
    dailyTransferLimit: 5000,
  });
  const createUser = (loginId: string, confirmationPassword = gw.credentials('admin01').confirmationPassword) =>
    admin.query(CREATE_USER, { input: newUser(loginId), confirmationPassword });
  const failedAttempts = async () =>
    (await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'admin01' })).failedAttempts;
  /** The answer with the login ID itself taken out, to compare the answers for different IDs. */
  const shape = (response: GraphqlResponse, loginId: string) => ({
    code: errorCode(response),
    extensions: response.body.errors?.[0]?.extensions,
    message: response.body.errors?.[0]?.message.replace(loginId, '<id>'),
  });

  beforeAll(async () => {
    gw = await TestGateway.start();
    const operator = await sessionAs(gw, 'operator01');
    await onboardContract(gw, operator, 'OTHR0003', 'other-admin3');
    admin = await sessionAs(gw, 'admin01');
  });
  afterAll(() => gw.stop());

  it('failing: with a wrong confirmation password, another company’s or the bank’s login ID is LOGIN_FAILED like a free one, and counts', async () => {
    const before = await failedAttempts();
    for (const loginId of ['other-admin3', 'operator01', 'free-login9']) {
      expect({ loginId, code: errorCode(await createUser(loginId, WRONG)) }).toEqual({ loginId, code: 'LOGIN_FAILED' });
    }
    expect(await failedAttempts()).toBe(before + 3);
    // An own user's login ID (visible in `users` anyway) is still answered before the password.
    expect(shape(await createUser('user02', WRONG), 'user02')).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'loginId' } });
    expect(await failedAttempts()).toBe(before + 3);
  });

  it('failing: with the right password, another company’s and the bank’s login IDs get the very answer an own user’s does', async () => {
    const own = shape(await createUser('user02'), 'user02');
    expect(own).toEqual({
      code: 'BAD_USER_INPUT',
      extensions: { code: 'BAD_USER_INPUT', field: 'loginId' },
      message: 'The login ID <id> is already taken. Please choose another.',
    });
    expect(shape(await createUser('other-admin3'), 'other-admin3')).toEqual(own);
    expect(shape(await createUser('operator01'), 'operator01')).toEqual(own);
    expect(await gw.gateway.services.db.writableManager.countBy(User, { loginId: 'free-login9' })).toBe(0);
  });

  it('failing: after 10 login IDs taken elsewhere in an hour the administrator is RATE_LIMITED, free IDs included; an hour later a free ID is created', async () => {
    const { perAdministrator } = UNAVAILABLE_LOGIN_ID_LIMITS;
    // The previous test used two of the ten.
    for (let i = 2; i < perAdministrator; i++) expect(errorCode(await createUser('operator01'))).toBe('BAD_USER_INPUT');
    const limited = await createUser('free-login9');
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.body.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(errorCode(await createUser('other-admin3'))).toBe('RATE_LIMITED');
    // Own users' IDs do not count and are still answered.
    expect(errorCode(await createUser('user02'))).toBe('BAD_USER_INPUT');
    gw.clock.advanceMinutes(61);
    admin = await sessionAs(gw, 'admin01'); // the clock moved past the session
    const created = await createUser('free-login9');
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createUser.user.loginId).toBe('free-login9');
  });

  it('failing: an input that breaks its own rules (login ID form, name length) is BAD_USER_INPUT naming each field, before the password is checked, and creates nothing', async () => {
    const before = await failedAttempts();
    const response = await admin.query(CREATE_USER, { input: { ...newUser('Bad ID!'), displayName: '' }, confirmationPassword: WRONG });
    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        extensions: {
          code: 'BAD_USER_INPUT',
          validation: [
            { field: 'loginId', problems: [LOGIN_ID_RULE] },
            { field: 'displayName', problems: ['displayName must be longer than or equal to 1 characters'] },
          ],
        },
      }),
    ]);
    expect(response.body.errors?.[0].message).toBe(
      `Invalid input: ${LOGIN_ID_RULE}; displayName must be longer than or equal to 1 characters`,
    );
    expect(await failedAttempts()).toBe(before);
    expect(await gw.gateway.services.db.writableManager.countBy(User, { displayName: '' })).toBe(0);
  });
});
