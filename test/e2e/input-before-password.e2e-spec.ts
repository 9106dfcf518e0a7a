import { User } from '../../src/users/user.entity';
import { ACCOUNTS, CREATE_TRANSFER, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { CREATE_CONTRACT, CREATE_USER, onboardContract, sessionAs } from '../helpers/lifecycle';

const WRONG = 'not-my-password-9';
const LIMITS =
  'mutation($id: Int!, $l: UserLimitsInput!, $pw: String!) { setUserLimits(userId: $id, limits: $l, confirmationPassword: $pw) { id } }';
const ALLOW = 'mutation($e: [String!]!, $pw: String!) { setIpAllowList(entries: $e, confirmationPassword: $pw) { id } }';
const SETTINGS = `mutation($id: Int!, $pw: String!) {
  setContractTransferSettings(contractId: $id, settings: { dailyTransferLimit: 1000, requiresApproval: true }, note: "branch request", confirmationPassword: $pw) { id }
}`;
const RESUME =
  'mutation($id: Int!, $pw: String!) { resumeContract(contractId: $id, note: "verified at branch", confirmationPassword: $pw) { id } }';
const TERMINATE =
  'mutation($id: Int!, $pw: String!) { terminateContract(contractId: $id, note: "contract cancelled", confirmationPassword: $pw) { id } }';

interface Case {
  name: string;
  caller: DemoLoginId;
  query: string;
  variables: () => Record<string, unknown>;
  code: string;
  message?: RegExp;
  field?: string;
}

/**
 * Issue 8, defect 16: whatever can be checked without the confirmation password is checked
 * first, so a typo in a form together with a mistyped password answers the typo and costs no
 * attempt toward the lock (R9).
 */
describe('input is checked before the confirmation password', () => {
  let gw: TestGateway;
  const clients = {} as Record<DemoLoginId, GraphqlClient>;
  let accountId: number;
  let user01Id: number;
  let activeContractId: number;
  let terminatedContractId: number;
  const failedAttempts = async (loginId: string) =>
    (await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId })).failedAttempts;

  beforeAll(async () => {
    gw = await TestGateway.start();
    for (const loginId of ['admin01', 'operator01', 'user01'] as const) clients[loginId] = await sessionAs(gw, loginId);
    accountId = (await clients.user01.query(ACCOUNTS)).body.data.accounts[0].id;
    user01Id = (await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user01' })).id;
    activeContractId = (await onboardContract(gw, clients.operator01, 'LIVE0001', 'live-admin1')).contractId;
    terminatedContractId = (await onboardContract(gw, clients.operator01, 'GONE0001', 'gone-admin1')).contractId;
    const terminated = await clients.operator01.query(TERMINATE, {
      id: terminatedContractId,
      pw: gw.credentials('operator01').confirmationPassword,
    });
    expect(terminated.body.errors).toBeUndefined();
  });
  afterAll(() => gw.stop());

  const newUser = (overrides: Record<string, unknown>) => ({
    loginId: 'new-user01',
    displayName: 'New User',
    permissions: ['ACCOUNT_INQUIRY'],
    transferLimitPerTransaction: 1000,
    dailyTransferLimit: 5000,
    ...overrides,
  });
  const newContract = (overrides: Record<string, unknown>) => ({
    code: 'NEWC0001',
    name: 'New Co.',
    administratorLoginId: 'new-admin01',
    administratorName: 'New Admin',
    ...overrides,
  });

  const cases: Case[] = [
    {
      name: 'createUser with a per-transfer limit above the daily limit',
      caller: 'admin01',
      query: CREATE_USER,
      variables: () => ({ input: newUser({ transferLimitPerTransaction: 6000 }), confirmationPassword: WRONG }),
      code: 'BAD_USER_INPUT',
      field: 'transferLimitPerTransaction',
    },
    {
      name: 'createUser with the login ID of one of the administrator’s own users',
      caller: 'admin01',
      query: CREATE_USER,
      variables: () => ({ input: newUser({ loginId: 'user02' }), confirmationPassword: WRONG }),
      code: 'BAD_USER_INPUT',
      field: 'loginId',
    },
    {
      name: 'setUserLimits with a per-transfer limit above the daily limit',
      caller: 'admin01',
      query: LIMITS,
      variables: () => ({ id: user01Id, l: { transferLimitPerTransaction: 2, dailyTransferLimit: 1 }, pw: WRONG }),
      code: 'BAD_USER_INPUT',
      field: 'transferLimitPerTransaction',
    },
    {
      name: 'setIpAllowList with a list too long to store',
      caller: 'admin01',
      query: ALLOW,
      variables: () => ({ e: ['127.0.0.1', ...Array.from({ length: 70 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`)], pw: WRONG }),
      code: 'BAD_USER_INPUT',
      message: /too long/,
    },
    {
      name: 'createContract with a contract number already used',
      caller: 'operator01',
      query: CREATE_CONTRACT,
      variables: () => ({ input: newContract({ code: 'DEMO0001' }), confirmationPassword: WRONG }),
      code: 'BAD_USER_INPUT',
      field: 'code',
    },
    {
      name: 'createContract with an administrator login ID already taken',
      caller: 'operator01',
      query: CREATE_CONTRACT,
      variables: () => ({ input: newContract({ administratorLoginId: 'admin01' }), confirmationPassword: WRONG }),
      code: 'BAD_USER_INPUT',
      field: 'administratorLoginId',
    },
    {
      name: 'setContractTransferSettings of a contract that does not exist',
      caller: 'operator01',
      query: SETTINGS,
      variables: () => ({ id: 999_999, pw: WRONG }),
      code: 'BAD_USER_INPUT',
      message: /no such contract/,
    },
    {
      name: 'resumeContract of a contract that is not stopped',
      caller: 'operator01',
      query: RESUME,
      variables: () => ({ id: activeContractId, pw: WRONG }),
      code: 'BAD_USER_INPUT',
      message: /Only an emergency-stopped contract/,
    },
    {
      name: 'resumeContract of a contract that does not exist',
      caller: 'operator01',
      query: RESUME,
      variables: () => ({ id: 999_999, pw: WRONG }),
      code: 'BAD_USER_INPUT',
      message: /no such contract/,
    },
    {
      name: 'terminateContract of a contract already terminated',
      caller: 'operator01',
      query: TERMINATE,
      variables: () => ({ id: terminatedContractId, pw: WRONG }),
      code: 'BAD_USER_INPUT',
      message: /already terminated/,
    },
    {
      name: 'terminateContract of a contract that does not exist',
      caller: 'operator01',
      query: TERMINATE,
      variables: () => ({ id: 999_999, pw: WRONG }),
      code: 'BAD_USER_INPUT',
      message: /no such contract/,
    },
    {
      name: 'createTransfer above the per-transfer limit',
      caller: 'user01',
      query: CREATE_TRANSFER,
      variables: () => ({ input: transferInput(accountId, 1_000_001), pw: WRONG }),
      code: 'LIMIT_EXCEEDED',
    },
  ];

  it.each(cases)('failing: $name, with a wrong confirmation password, answers the input error and costs no password attempt', async (c) => {
    const before = await failedAttempts(c.caller);
    const response = await clients[c.caller].query(c.query, c.variables());
    expect(errorCode(response)).toBe(c.code);
    if (c.field) expect(response.body.errors![0].extensions).toMatchObject({ field: c.field });
    if (c.message) expect(response.body.errors![0].message).toMatch(c.message);
    expect(await failedAttempts(c.caller)).toBe(before);
    expect(before).toBe(0);
  });

  it('successful: with valid input, a wrong confirmation password is still checked and counted', async () => {
    expect(errorCode(await clients.operator01.query(SETTINGS, { id: activeContractId, pw: WRONG }))).toBe('LOGIN_FAILED');
    expect(await failedAttempts('operator01')).toBe(1);
    expect(errorCode(await clients.user01.query(CREATE_TRANSFER, { input: transferInput(accountId, 1000), pw: WRONG }))).toBe(
      'LOGIN_FAILED',
    );
    expect(await failedAttempts('user01')).toBe(1);
  });
});
