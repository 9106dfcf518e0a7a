import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';
import { SoftAuthenticator } from '../helpers/soft-authenticator';

const BEGIN_LIMITS = `mutation($userId: Int!, $limits: UserLimitsInput!) {
  beginSetUserLimits(userId: $userId, limits: $limits) { publicKeyOptions binding expiresAt }
}`;
const SET_LIMITS = `mutation($userId: Int!, $limits: UserLimitsInput!, $pw: String!, $assertion: String) {
  setUserLimits(userId: $userId, limits: $limits, confirmationPassword: $pw, passkeyAssertion: $assertion) {
    transferLimitPerTransaction dailyTransferLimit pendingLimitRaise { transferLimitPerTransaction dailyTransferLimit }
  }
}`;
const BEGIN_IP = 'mutation($entries: [String!]!) { beginSetIpAllowList(entries: $entries) { publicKeyOptions binding } }';
const SET_IP = `mutation($entries: [String!]!, $pw: String!, $assertion: String) {
  setIpAllowList(entries: $entries, confirmationPassword: $pw, passkeyAssertion: $assertion) { ipAllowList }
}`;
const BEGIN_USER = 'mutation($input: CreateUserInput!) { beginCreateUser(input: $input) { publicKeyOptions binding } }';
const CREATE_USER = `mutation($input: CreateUserInput!, $pw: String!, $assertion: String) {
  createUser(input: $input, confirmationPassword: $pw, passkeyAssertion: $assertion) { user { id loginId } }
}`;
const BEGIN_PAYEE = 'mutation($input: CreatePayeeInput!) { beginCreatePayee(input: $input) { publicKeyOptions binding } }';
const CREATE_PAYEE = `mutation($input: CreatePayeeInput!, $assertion: String) {
  createPayee(input: $input, passkeyAssertion: $assertion) { id accountNumber }
}`;
const BEGIN_UPDATE_PAYEE = `mutation($id: Int!, $input: UpdatePayeeInput!) {
  beginUpdatePayee(payeeId: $id, input: $input) { publicKeyOptions binding }
}`;
const UPDATE_PAYEE = `mutation($id: Int!, $input: UpdatePayeeInput!, $assertion: String) {
  updatePayee(payeeId: $id, input: $input, passkeyAssertion: $assertion) { id nickname accountNumber }
}`;

/**
 * 取引認証 for the administrator's risky changes, over HTTPS with a software authenticator
 * (test/helpers/soft-authenticator.ts; the browser spec does it with Chromium's): a raised limit, a
 * new user, the IP allow-list and a payee's destination take an assertion bound to the exact change
 * where the rule asks it — the contract's REQUIRED, or (unset) an administrator who has a passkey —
 * and one made for another change refuses and changes nothing.
 */
describe('取引認証 of the administrator’s risky changes', () => {
  let gw: TestGateway;
  let admin: GraphqlClient;
  let key: SoftAuthenticator;
  let contractId: number;
  let user01: number;
  let adminId: number;

  const pw = () => gw.credentials('admin01').confirmationPassword;
  const limitsOf = async () => gw.gateway.services.db.writableManager.findOneByOrFail(User, { id: user01 });
  const refusal = (response: GraphqlResponse) => [errorCode(response), response.body.errors?.[0]?.extensions?.reason];

  beforeAll(async () => {
    gw = await TestGateway.start({ LIMIT_RAISE_DELAY_HOURS: '0' });
    admin = await sessionAs(gw, 'admin01');
    const users = (await admin.query('{ users { id loginId } }')).body.data.users as Array<{ id: number; loginId: string }>;
    user01 = users.find((u) => u.loginId === 'user01')!.id;
    adminId = users.find((u) => u.loginId === 'admin01')!.id;
    contractId = (await admin.query('{ myContract { id } }')).body.data.myContract.id;
    key = new SoftAuthenticator(gw.apiOrigin);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  async function registerPasskey(): Promise<void> {
    const begun = await admin.query('mutation { beginPasskeyRegistration { publicKeyOptions } }');
    const registered = await admin.query(
      'mutation($r: String!, $pw: String!) { registerPasskey(name: "管理者PC", registration: $r, confirmationPassword: $pw) { id } }',
      { r: key.register(begun.body.data.beginPasskeyRegistration.publicKeyOptions), pw: pw() },
    );
    expect(registered.body.errors).toBeUndefined();
  }

  async function assertionFor(query: string, variables: Record<string, unknown>): Promise<string> {
    const begun = await admin.query(query, variables);
    expect(begun.body.errors).toBeUndefined();
    const result = Object.values(begun.body.data as Record<string, { publicKeyOptions: string }>)[0];
    return key.assert(result.publicKeyOptions);
  }

  it('an administrator without a passkey, the contract’s rule unset: a raise needs none (as before passkeys)', async () => {
    const response = await admin.query(SET_LIMITS, {
      userId: user01,
      limits: { transferLimitPerTransaction: 600_000, dailyTransferLimit: 1_200_000 },
      pw: pw(),
    });
    expect(response.body.errors).toBeUndefined();
    expect(await limitsOf()).toMatchObject({ transferLimitPerTransaction: 600_000, dailyTransferLimit: 1_200_000 });
  });

  it('once the administrator has a passkey, a raise without an assertion is PASSKEY_REQUIRED, spends no password attempt, changes nothing', async () => {
    await registerPasskey();
    const response = await admin.query(SET_LIMITS, {
      userId: user01,
      limits: { transferLimitPerTransaction: 700_000, dailyTransferLimit: 1_400_000 },
      pw: 'wrong-password',
    });
    expect(errorCode(response)).toBe('PASSKEY_REQUIRED');
    expect(response.body.errors?.[0]?.extensions?.field).toBe('passkeyAssertion');
    expect(await limitsOf()).toMatchObject({ transferLimitPerTransaction: 600_000, dailyTransferLimit: 1_200_000 });
    expect((await gw.gateway.services.db.writableManager.findOneByOrFail(User, { id: adminId })).failedAttempts).toBe(0);
  });

  it('a raise with an assertion bound to exactly that raise succeeds', async () => {
    const limits = { transferLimitPerTransaction: 700_000, dailyTransferLimit: 1_400_000 };
    const assertion = await assertionFor(BEGIN_LIMITS, { userId: user01, limits });
    const response = await admin.query(SET_LIMITS, { userId: user01, limits, pw: pw(), assertion });
    expect(response.body.errors).toBeUndefined();
    expect(await limitsOf()).toMatchObject(limits);
    const verified = await gw.gateway.services.db.writableManager.findBy(AuditEvent, { action: 'PASSKEY_ASSERTION_VERIFIED' as never });
    expect(verified.map((e) => JSON.parse(String(e.detail)).purpose)).toContain('RISKY_CHANGE');
  });

  it('the assertion for one raise does not make another (a higher daily limit): refused, nothing changed, and it cannot be used again', async () => {
    const asked = { transferLimitPerTransaction: 800_000, dailyTransferLimit: 1_600_000 };
    const assertion = await assertionFor(BEGIN_LIMITS, { userId: user01, limits: asked });
    const other = await admin.query(SET_LIMITS, {
      userId: user01,
      limits: { ...asked, dailyTransferLimit: 9_000_000 },
      pw: pw(),
      assertion,
    });
    expect(refusal(other)).toEqual(['PASSKEY_VERIFICATION_FAILED', 'ORDER_CHANGED']);
    expect(await limitsOf()).toMatchObject({ transferLimitPerTransaction: 700_000, dailyTransferLimit: 1_400_000 });
    const replay = await admin.query(SET_LIMITS, { userId: user01, limits: asked, pw: pw(), assertion });
    expect(refusal(replay)).toEqual(['PASSKEY_VERIFICATION_FAILED', 'CHALLENGE_USED']);
    expect(await limitsOf()).toMatchObject({ transferLimitPerTransaction: 700_000, dailyTransferLimit: 1_400_000 });
  });

  it('the assertion for a raise does not set the IP allow-list (another target)', async () => {
    const assertion = await assertionFor(BEGIN_LIMITS, {
      userId: user01,
      limits: { transferLimitPerTransaction: 800_000, dailyTransferLimit: 1_600_000 },
    });
    const response = await admin.query(SET_IP, { entries: ['0.0.0.0/0', '::/0'], pw: pw(), assertion });
    expect(refusal(response)).toEqual(['PASSKEY_VERIFICATION_FAILED', 'OTHER_ORDER']);
    expect((await gw.gateway.services.db.writableManager.findOneByOrFail(Contract, { id: contractId })).ipAllowList ?? '').toBe('');
  });

  it('a lowering takes no passkey', async () => {
    const response = await admin.query(SET_LIMITS, {
      userId: user01,
      limits: { transferLimitPerTransaction: 500_000, dailyTransferLimit: 1_000_000 },
      pw: pw(),
    });
    expect(response.body.errors).toBeUndefined();
    expect(await limitsOf()).toMatchObject({ transferLimitPerTransaction: 500_000, dailyTransferLimit: 1_000_000 });
  });

  it('the IP allow-list: bound to its entries as a set (confirmed in one order, sent in another), refused without an assertion', async () => {
    const without = await admin.query(SET_IP, { entries: ['0.0.0.0/0', '::/0'], pw: pw() });
    expect(errorCode(without)).toBe('PASSKEY_REQUIRED');
    const assertion = await assertionFor(BEGIN_IP, { entries: ['::/0', '0.0.0.0/0'] });
    const response = await admin.query(SET_IP, { entries: ['0.0.0.0/0', '::/0'], pw: pw(), assertion });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.setIpAllowList.ipAllowList).toEqual(['0.0.0.0/0', '::/0']);
  });

  it('a new user: the assertion for one login ID does not create another; the right one does', async () => {
    const input = {
      loginId: 'keiri05',
      displayName: '経理 五郎',
      permissions: ['ACCOUNT_INQUIRY'],
      transferLimitPerTransaction: 0,
      dailyTransferLimit: 0,
    };
    const assertion = await assertionFor(BEGIN_USER, { input });
    const other = await admin.query(CREATE_USER, {
      input: { ...input, loginId: 'keiri06', permissions: ['TRANSFER'] },
      pw: pw(),
      assertion,
    });
    expect(refusal(other)).toEqual(['PASSKEY_VERIFICATION_FAILED', 'ORDER_CHANGED']);
    expect(await gw.gateway.services.db.writableManager.existsBy(User, { loginId: 'keiri06' })).toBe(false);
    const without = await admin.query(CREATE_USER, { input, pw: pw() });
    expect(errorCode(without)).toBe('PASSKEY_REQUIRED');
    const created = await admin.query(CREATE_USER, { input, pw: pw(), assertion: await assertionFor(BEGIN_USER, { input }) });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createUser.user.loginId).toBe('keiri05');
  });

  it('a payee: registering and changing its destination take the assertion for that destination; a new nickname takes none', async () => {
    const grant = await admin.query(
      'mutation($id: Int!, $pw: String!) { setUserPermissions(userId: $id, permissions: [ACCOUNT_INQUIRY, PAYEE_MANAGEMENT], confirmationPassword: $pw) { id } }',
      { id: adminId, pw: pw() },
    );
    expect(grant.body.errors).toBeUndefined();
    const input = {
      nickname: '仕入先',
      bankCode: '0001',
      branchCode: '001',
      accountType: 'ORDINARY',
      accountNumber: '1234567',
      payeeName: 'ｶ)ｼｲﾚｻｷ',
    };
    expect(errorCode(await admin.query(CREATE_PAYEE, { input }))).toBe('PASSKEY_REQUIRED');
    const assertion = await assertionFor(BEGIN_PAYEE, { input });
    const swapped = await admin.query(CREATE_PAYEE, { input: { ...input, accountNumber: '7654321' }, assertion });
    expect(refusal(swapped)).toEqual(['PASSKEY_VERIFICATION_FAILED', 'ORDER_CHANGED']);
    const created = await admin.query(CREATE_PAYEE, { input, assertion: await assertionFor(BEGIN_PAYEE, { input }) });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createPayee.id as number;

    const renamed = await admin.query(UPDATE_PAYEE, { id, input: { nickname: '主要仕入先' } });
    expect(renamed.body.errors).toBeUndefined();
    const moved = { accountNumber: '7654321' };
    expect(errorCode(await admin.query(UPDATE_PAYEE, { id, input: moved }))).toBe('PASSKEY_REQUIRED');
    const changed = await admin.query(UPDATE_PAYEE, {
      id,
      input: moved,
      assertion: await assertionFor(BEGIN_UPDATE_PAYEE, { id, input: moved }),
    });
    expect(changed.body.errors).toBeUndefined();
    expect(changed.body.data.updatePayee).toMatchObject({ nickname: '主要仕入先', accountNumber: '7654321' });
  });

  it('REQUIRED by the bank, an administrator without a passkey is refused (PASSKEY_REQUIRED) and cannot begin one; OPTIONAL asks none', async () => {
    const own = (await admin.query('{ passkeys { id } }')).body.data.passkeys as Array<{ id: number }>;
    for (const passkey of own) {
      const removed = await admin.query(
        'mutation($id: Int!, $pw: String!) { removePasskey(passkeyId: $id, confirmationPassword: $pw) { id } }',
        { id: passkey.id, pw: pw() },
      );
      expect(removed.body.errors).toBeUndefined();
    }
    await gw.gateway.services.db.writableManager.update(Contract, { id: contractId }, { passkeyApproval: 'REQUIRED' as never });
    const limits = { transferLimitPerTransaction: 900_000, dailyTransferLimit: 1_800_000 };
    expect(errorCode(await admin.query(SET_LIMITS, { userId: user01, limits, pw: pw() }))).toBe('PASSKEY_REQUIRED');
    expect(errorCode(await admin.query(BEGIN_LIMITS, { userId: user01, limits }))).toBe('PASSKEY_REQUIRED');
    expect(await limitsOf()).toMatchObject({ transferLimitPerTransaction: 500_000, dailyTransferLimit: 1_000_000 });

    await gw.gateway.services.db.writableManager.update(Contract, { id: contractId }, { passkeyApproval: 'OPTIONAL' as never });
    await registerPasskey();
    const response = await admin.query(SET_LIMITS, { userId: user01, limits, pw: pw() });
    expect(response.body.errors).toBeUndefined();
    expect(await limitsOf()).toMatchObject(limits);
  });
});
