import { Account } from '../../src/banking/accounts/account.entity';
import { businessDate } from '../../src/banking/calendar/business-day';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { User } from '../../src/users/user.entity';
import { Contract } from '../../src/contract/contract.entity';
import { loginAsPartner } from '../helpers/auth';
import { ACCOUNTS, APPROVE, CREATE_TRANSFER, REJECT, atBusinessMorning, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

describe('accounts, statements and transfers under permissions and limits', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let approver: GraphqlClient;
  let accountId: number;
  const db = () => gw.gateway.services.db.writableManager;
  const makerPw = () => gw.credentials('user01').confirmationPassword;
  const approverPw = () => gw.credentials('user02').confirmationPassword;
  const create = (amount: unknown, overrides: Record<string, unknown> = {}, client = maker, pw = makerPw()) =>
    client.query(CREATE_TRANSFER, { input: transferInput(accountId, amount, overrides), pw });
  const usage = async (scopeKey: string) =>
    (await db().findOneBy(LimitUsage, { scopeKey, businessDate: businessDate(gw.clock.now()) }))?.used ?? 0;
  const snapshot = async () => ({
    transfers: await db().count(Transfer),
    lines: await db().count(StatementLine),
    balance: (await db().findOneByOrFail(Account, { id: accountId })).balance,
    usage: await usage(`user:${(await db().findOneByOrFail(User, { loginId: 'user01' })).id}`),
    failedAttempts: (await db().findOneByOrFail(User, { loginId: 'user01' })).failedAttempts,
  });

  beforeAll(async () => {
    gw = await TestGateway.start();
    // Transfers made now run now: a business day before the cut-off (bank-days.e2e-spec.ts covers the rest).
    atBusinessMorning(gw);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
  });
  afterAll(() => gw.stop());

  it('successful: accounts show balances in whole yen; statements page newest first and filter by date', async () => {
    const accounts = (await maker.query(ACCOUNTS)).body.data.accounts;
    expect(accounts).toEqual([
      {
        id: expect.any(Number),
        branchCode: '001',
        branchName: '本店',
        accountType: 'ORDINARY',
        accountNumber: '1234567',
        holderName: 'カ)デモシヨウジ',
        balance: 50212000,
      },
      {
        id: expect.any(Number),
        branchCode: '002',
        branchName: '新宿支店',
        accountType: 'CURRENT',
        accountNumber: '7654321',
        holderName: 'カ)デモシヨウジ',
        balance: 12345678,
      },
    ]);
    const STATEMENT =
      'query($a: Int!, $first: Int!, $before: Int, $from: String) { statement(accountId: $a, first: $first, before: $before, from: $from) { items { id direction amount balanceAfter description businessDate } nextCursor } }';
    const page1 = (await maker.query(STATEMENT, { a: accountId, first: 2 })).body.data.statement;
    expect(page1.items.map((l: any) => l.description)).toEqual(['口座振替 デンキリョウキン', '振込 ユ)デモブッサン']);
    expect(page1.items[0].balanceAfter).toBe(50212000);
    const page2 = (await maker.query(STATEMENT, { a: accountId, first: 2, before: page1.nextCursor })).body.data.statement;
    expect(page2.items.map((l: any) => l.description)).toEqual(['振込 カ)サンプルショウジ']);
    expect(page2.nextCursor).toBeNull();
    const recent = (await maker.query(STATEMENT, { a: accountId, first: 10, from: page1.items[0].businessDate })).body.data.statement;
    expect(recent.items).toHaveLength(1);
    expect(errorCode(await maker.query(STATEMENT, { a: accountId, first: 10, from: '26/11/2026' }))).toBe('BAD_USER_INPUT');
  });

  it('successful: a transfer waits for approval with its payee normalised; another user approves and it executes all at once', async () => {
    const before = await snapshot();
    const created = (await create(250000)).body.data.createTransfer;
    expect(created).toMatchObject({
      status: 'PENDING_APPROVAL',
      amount: 250000,
      payeeName: 'カ)デモ シヨウジ',
      maker: { loginId: 'user01' },
      approver: null,
    });
    expect(await usage(`user:${(await db().findOneByOrFail(User, { loginId: 'user01' })).id}`)).toBe(before.usage + 250000);
    expect((await db().findOneByOrFail(Account, { id: accountId })).balance).toBe(before.balance); // not yet

    const approved = (await approver.query(APPROVE, { id: created.id, pw: approverPw() })).body.data.approveTransfer;
    expect(approved).toMatchObject({ status: 'EXECUTED', approver: { loginId: 'user02' }, account: { balance: before.balance - 250000 } });
    const line = await db().findOneByOrFail(StatementLine, { transferId: created.id });
    expect(line).toMatchObject({ direction: 'DEBIT', amount: 250000, balanceAfter: before.balance - 250000 });
    expect(errorCode(await approver.query(APPROVE, { id: created.id, pw: approverPw() }))).toBe('BAD_USER_INPUT'); // not twice
  });

  it('failing: the maker cannot approve their own transfer, not even from another session of the same user', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const user01Id = (await db().findOneByOrFail(User, { loginId: 'user01' })).id;
    await admin.query(
      'mutation($id: Int!, $pw: String!) { setUserPermissions(userId: $id, permissions: [ACCOUNT_INQUIRY, TRANSFER, TRANSFER_APPROVAL], confirmationPassword: $pw) { id } }',
      {
        id: user01Id,
        pw: gw.credentials('admin01').confirmationPassword,
      },
    );
    const created = (await create(1000)).body.data.createTransfer;
    const own = await maker.query(APPROVE, { id: created.id, pw: makerPw() });
    expect(errorCode(own)).toBe('FORBIDDEN');
    expect(own.body.errors![0].message).toMatch(/maker ≠ checker/);
    const otherSession = gw.asUser('user01');
    await loginAsPartner(otherSession, gw.credentials('user01').loginPassword);
    expect(errorCode(await otherSession.query(APPROVE, { id: created.id, pw: makerPw() }))).toBe('FORBIDDEN');
    expect((await db().findOneByOrFail(Transfer, { id: created.id })).status).toBe(TransferStatus.PENDING_APPROVAL);
    maker = otherSession;
  });

  it('successful: rejecting releases the reserved limit and moves no money', async () => {
    const before = await snapshot();
    const created = (await create(400000)).body.data.createTransfer;
    expect((await snapshot()).usage).toBe(before.usage + 400000);
    const rejected = (await approver.query(REJECT, { id: created.id, pw: approverPw() })).body.data.rejectTransfer;
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: 'wrong payee' });
    const after = await snapshot();
    expect(after.usage).toBe(before.usage);
    expect(after.balance).toBe(before.balance);
  });

  it('failing: the per-transfer, daily user and daily contract limits each say which and what remains', async () => {
    const perTransfer = await create(1000001);
    expect(errorCode(perTransfer)).toBe('LIMIT_EXCEEDED');
    expect(perTransfer.body.errors![0].message).toMatch(/per-transfer limit of ￥1,000,000|per-transfer limit of ¥1,000,000/);
    // Machine-readable for integrations: which limit, its amount, what this transfer may still be.
    expect(perTransfer.body.errors![0].extensions).toEqual({
      code: 'LIMIT_EXCEEDED',
      limit: 'PER_TRANSFER',
      limitAmount: 1000000,
      remaining: 1000000,
    });

    const used = (await snapshot()).usage;
    const remaining = 3000000 - used;
    for (let left = remaining; left > 0; left -= Math.min(left, 1000000)) {
      expect(errorCode(await create(Math.min(left, 1000000)))).toBeUndefined();
    }
    const daily = await create(1);
    expect(errorCode(daily)).toBe('LIMIT_EXCEEDED');
    expect(daily.body.errors![0].extensions).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'USER_DAILY', limitAmount: 3000000, remaining: 0 });

    // The contract's limit (set by the bank) binds all its users together.
    const operator = await sessionAs(gw, 'operator01');
    const contract = await db().findOneByOrFail(Contract, { code: 'DEMO0001' });
    const contractUsed = await usage(`contract:${contract.id}`);
    await operator.query(
      'mutation($id: Int!, $pw: String!, $limit: Yen!) { setContractTransferSettings(contractId: $id, settings: { dailyTransferLimit: $limit, requiresApproval: true }, note: "customer request form", confirmationPassword: $pw) { id } }',
      {
        id: contract.id,
        pw: gw.credentials('operator01').confirmationPassword,
        limit: contractUsed + 500,
      },
    );
    const admin = await sessionAs(gw, 'admin01');
    const user02Id = (await db().findOneByOrFail(User, { loginId: 'user02' })).id;
    await admin.query(
      'mutation($id: Int!, $pw: String!) { setUserPermissions(userId: $id, permissions: [ACCOUNT_INQUIRY, TRANSFER, TRANSFER_APPROVAL], confirmationPassword: $pw) { id } }',
      { id: user02Id, pw: gw.credentials('admin01').confirmationPassword },
    );
    await admin.query(
      'mutation($id: Int!, $pw: String!) { setUserLimits(userId: $id, limits: { transferLimitPerTransaction: 1000000, dailyTransferLimit: 1000000 }, confirmationPassword: $pw) { id } }',
      { id: user02Id, pw: gw.credentials('admin01').confirmationPassword },
    );
    const byContract = await create(501, {}, approver, approverPw());
    expect(errorCode(byContract)).toBe('LIMIT_EXCEEDED');
    expect(byContract.body.errors![0].extensions).toEqual({
      code: 'LIMIT_EXCEEDED',
      limit: 'CONTRACT_DAILY',
      limitAmount: contractUsed + 500,
      remaining: 500,
    });
    expect(errorCode(await create(500, {}, approver, approverPw()))).toBeUndefined();
  });

  it('failing: a transfer beyond the balance is INSUFFICIENT_FUNDS and changes nothing', async () => {
    const operator = await sessionAs(gw, 'operator01');
    const contract = await db().findOneByOrFail(Contract, { code: 'DEMO0001' });
    await operator.query(
      'mutation($id: Int!, $pw: String!) { setContractTransferSettings(contractId: $id, settings: { dailyTransferLimit: 9007199254740991, requiresApproval: false }, note: "raise for the test", confirmationPassword: $pw) { id } }',
      { id: contract.id, pw: gw.credentials('operator01').confirmationPassword },
    );
    const admin = await sessionAs(gw, 'admin01');
    const user01Id = (await db().findOneByOrFail(User, { loginId: 'user01' })).id;
    await admin.query(
      'mutation($id: Int!, $pw: String!) { setUserLimits(userId: $id, limits: { transferLimitPerTransaction: 9000000000, dailyTransferLimit: 9000000000 }, confirmationPassword: $pw) { id } }',
      { id: user01Id, pw: gw.credentials('admin01').confirmationPassword },
    );
    const before = await snapshot();
    const tooMuch = await create(before.balance + 1);
    expect(errorCode(tooMuch)).toBe('INSUFFICIENT_FUNDS');
    // The refusal says nothing of the balance: a maker may lack ACCOUNT_INQUIRY (DESIGN.md §6.6).
    expect(tooMuch.body.errors![0].extensions).toEqual({ code: 'INSUFFICIENT_FUNDS' });
    expect(JSON.stringify(tooMuch.body)).not.toContain(before.balance.toLocaleString('ja-JP'));
    expect(JSON.stringify(tooMuch.body)).not.toContain(String(before.balance));
    const after = await snapshot();
    expect(after).toEqual({ ...before, failedAttempts: 0 });
    const exact = (await create(before.balance)).body.data.createTransfer;
    expect(exact).toMatchObject({ status: 'EXECUTED', account: { balance: 0 } });
  });

  it.each([
    ['a negative amount', { amount: -1 }],
    ['zero', { amount: 0 }],
    ['a fraction', { amount: 1.5 }],
    ['beyond 2^53', { amount: 2 ** 53 + 2 }],
    ['a string amount', { amount: '1000' }],
    ['a six-digit account number', { destinationAccountNumber: '123456' }],
    ['letters in the account number', { destinationAccountNumber: '12345AB' }],
    ['a three-digit bank code', { destinationBankCode: '009' }],
    ['a branch code with letters', { destinationBranchCode: '1A3' }],
    ['a payee name with kanji', { payeeName: '山田太郎' }],
    ['an unknown account type', { destinationAccountType: 'CHECKING' }],
  ])('failing: %s is BAD_USER_INPUT and nothing changes', async (_name, overrides) => {
    const before = await snapshot();
    const response = await create(1000, overrides);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(await snapshot()).toEqual(before);
  });

  it('failing: a wrong confirmation password creates nothing and counts toward the lock', async () => {
    const before = await snapshot();
    const response = await maker.query(CREATE_TRANSFER, { input: transferInput(accountId, 1000), pw: 'NotMine123' });
    expect(errorCode(response)).toBe('LOGIN_FAILED');
    const after = await snapshot();
    expect(after.failedAttempts).toBe(before.failedAttempts + 1);
    expect(after.transfers).toBe(before.transfers);
  });

  it('failing: an account that is not one of the user’s 利用口座 is FORBIDDEN', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const user01Id = (await db().findOneByOrFail(User, { loginId: 'user01' })).id;
    await admin.query(
      'mutation($id: Int!, $a: [Int!]!, $pw: String!) { setUserAccounts(userId: $id, accountIds: $a, confirmationPassword: $pw) { accountIds } }',
      {
        id: user01Id,
        a: [accountId + 1],
        pw: gw.credentials('admin01').confirmationPassword,
      },
    );
    expect((await maker.query(ACCOUNTS)).body.data.accounts.map((a: any) => a.id)).toEqual([accountId + 1]);
    const refused = await create(1000);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.body.errors![0].message).toMatch(/利用口座/);
  });
});
