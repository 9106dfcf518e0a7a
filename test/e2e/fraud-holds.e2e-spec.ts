import { MoreThan } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { businessDate } from '../../src/banking/calendar/business-day';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Payee } from '../../src/banking/payees/payee.entity';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS, APPROVE, atBusinessMorning, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

/*
 * Issue 19, item 3: holds that stop the voice-phishing script, and the initial period's lower
 * limits, each on a gateway whose clock the test moves (never the weekday or the hour it runs at).
 */

const CREATE = `mutation($input: CreateTransferInput!, $pw: String!) {
  createTransfer(input: $input, confirmationPassword: $pw) { id status holdRule heldAt amount }
}`;
const READ = 'query($id: Int!) { transfer(id: $id) { id status holdRule heldAt executedAt } }';
const QUEUE = `query($after: Int) { heldTransfers(first: 50, after: $after) {
  items { id contractCode makerLoginId holdRule heldAt amount payeeName destinationAccountNumber executionDate } nextCursor } }`;
const RELEASE = `mutation($id: Int!, $v: String!, $pw: String!) {
  releaseHeldTransfer(transferId: $id, verification: $v, confirmationPassword: $pw) { transferId status } }`;
const OPERATOR_CANCEL = `mutation($id: Int!, $note: String!, $pw: String!) {
  cancelHeldTransfer(transferId: $id, note: $note, confirmationPassword: $pw) { transferId status } }`;
const CUSTOMER_CANCEL = 'mutation($id: Int!, $pw: String!) { cancelTransfer(transferId: $id, confirmationPassword: $pw) { id status } }';
const VERIFIED = '代表者 山田様へ届出電話番号で折返し、振込先と金額をご本人が確認';

/** A destination the contract has never paid (account numbers counted up per test). */
let nextAccount = 1_000_001;
const newDestination = () => ({ destinationAccountNumber: String(nextAccount++) });

describe('holds and the operator’s queue (保留中の取引)', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let approver: GraphqlClient;
  let operator: GraphqlClient;
  let accountId: number;
  const db = () => gw.gateway.services.db.writableManager;
  const pw = (loginId: 'user01' | 'user02' | 'operator01') => gw.credentials(loginId).confirmationPassword;
  const lastAuditId = async () => (await db().find(AuditEvent, { order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;
  const auditSince = (id: number) => db().find(AuditEvent, { where: { id: MoreThan(id) }, order: { id: 'ASC' } });
  const balance = async () => (await db().findOneByOrFail(Account, { id: accountId })).balance;
  const used = async () => {
    const user01 = await db().findOneByOrFail(User, { loginId: 'user01' });
    return (await db().findOneBy(LimitUsage, { scopeKey: `user:${user01.id}`, businessDate: businessDate(gw.clock.now()) }))?.used ?? 0;
  };
  const setApproval = (requiresApproval: boolean) =>
    gw.gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval }));
  const logIn = async () => {
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    operator = await sessionAs(gw, 'operator01');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
  };
  const create = async (amount: number, overrides: Record<string, unknown>) => {
    const response = await maker.query(CREATE, { input: transferInput(accountId, amount, overrides), pw: pw('user01') });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.createTransfer as { id: number; status: string; holdRule: string | null; heldAt: string | null };
  };

  beforeAll(async () => {
    gw = await TestGateway.start({
      SCHEDULER_INTERVAL_SECONDS: '0',
      NEW_PAYEE_HOLD_HOURS: '24',
      NEW_PAYEE_HOLD_AMOUNT: '100000',
    });
    atBusinessMorning(gw);
    await logIn();
  });
  afterAll(() => gw?.stop());
  beforeEach(() => setApproval(false));

  it('a transfer above NEW_PAYEE_HOLD_AMOUNT to a destination never paid is HELD: nothing moves, its limits stay reserved, ORDER_HELD names the rule', async () => {
    const [opening, usedBefore, before] = [await balance(), await used(), await lastAuditId()];
    const held = await create(150_000, newDestination());
    expect(held).toMatchObject({ status: 'HELD', holdRule: 'NEW_PAYEE' });
    expect(held.heldAt).not.toBeNull();
    expect(await balance()).toBe(opening);
    expect(await db().countBy(StatementLine, { transferId: held.id })).toBe(0);
    expect(await used()).toBe(usedBefore + 150_000);
    const audit = await auditSince(before);
    expect(audit.map((e) => e.action)).toEqual([AuditAction.TRANSFER_CREATED, AuditAction.ORDER_HELD]);
    expect(JSON.parse(audit[1].detail!)).toMatchObject({ holdRule: 'NEW_PAYEE', amount: 150_000 });
    // The customer sees 保留中 and why.
    expect((await maker.query(READ, { id: held.id })).body.data.transfer).toMatchObject({ status: 'HELD', holdRule: 'NEW_PAYEE' });
    // The scheduled run leaves it alone.
    await gw.gateway.services.scheduler.runDue();
    expect((await db().findOneByOrFail(Transfer, { id: held.id })).status).toBe(TransferStatus.HELD);
  });

  it('up to NEW_PAYEE_HOLD_AMOUNT runs; above it the destination stays new until NEW_PAYEE_HOLD_HOURS after its first executed transfer', async () => {
    const destination = newDestination();
    expect(await create(100_000, destination)).toMatchObject({ status: 'EXECUTED', holdRule: null });
    // Paid once, minutes ago: still new.
    expect(await create(100_001, destination)).toMatchObject({ status: 'HELD', holdRule: 'NEW_PAYEE' });
    gw.clock.advance(25 * 60 * 60 * 1000);
    atBusinessMorning(gw);
    await logIn();
    expect(await create(500_000, destination)).toMatchObject({ status: 'EXECUTED', holdRule: null });
  });

  it('a registered payee is new for NEW_PAYEE_HOLD_HOURS after its registration, even to an account paid long before', async () => {
    const destination = newDestination();
    expect(await create(50_000, destination)).toMatchObject({ status: 'EXECUTED' });
    gw.clock.advance(25 * 60 * 60 * 1000);
    atBusinessMorning(gw);
    await logIn();
    const contractId = (await db().findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    const payee = await db().save(
      db().create(Payee, {
        contractId,
        nickname: '新規登録先',
        bankCode: '0009',
        branchCode: '123',
        accountType: 'ORDINARY',
        accountNumber: destination.destinationAccountNumber,
        payeeName: 'カ）デモシヨウジ',
        createdAt: gw.clock.now(),
        updatedAt: gw.clock.now(),
      } as Payee),
    );
    const byPayee = { payeeId: payee.id, ...Object.fromEntries(PAYEE_FIELDS.map((field) => [field, null])) };
    expect(await create(200_000, byPayee)).toMatchObject({ status: 'HELD', holdRule: 'NEW_PAYEE' });
    // The hand-entered destination was paid more than a day ago: not new.
    expect(await create(200_000, destination)).toMatchObject({ status: 'EXECUTED', holdRule: null });
  });

  it('the operator’s queue shows held transfers of every contract with the rule; a customer may not read it', async () => {
    const held = await create(300_000, newDestination());
    const queue = await operator.query(QUEUE, {});
    expect(queue.body.errors).toBeUndefined();
    const row = queue.body.data.heldTransfers.items.find((item: { id: number }) => item.id === held.id);
    expect(row).toMatchObject({ contractCode: 'DEMO0001', makerLoginId: 'user01', holdRule: 'NEW_PAYEE', amount: 300_000 });
    expect(queue.body.data.heldTransfers.items.every((item: { holdRule: string }) => item.holdRule)).toBe(true);
    expect(errorCode(await maker.query(QUEUE, {}))).toBe('FORBIDDEN');
  });

  it('a release after 本人確認 is audited with the record and executes the order exactly once; a second release changes nothing', async () => {
    const held = await create(120_000, newDestination());
    const [opening, usedBefore, before] = [await balance(), await used(), await lastAuditId()];
    const released = await operator.query(RELEASE, { id: held.id, v: VERIFIED, pw: pw('operator01') });
    expect(released.body.errors).toBeUndefined();
    expect(released.body.data.releaseHeldTransfer).toEqual({ transferId: held.id, status: 'EXECUTED' });
    expect(await balance()).toBe(opening - 120_000);
    expect(await used()).toBe(usedBefore); // reserved when it was made, not again
    expect(await db().countBy(StatementLine, { transferId: held.id })).toBe(1);
    const audit = await auditSince(before);
    expect(audit.map((e) => e.action)).toEqual([AuditAction.ORDER_RELEASED, AuditAction.TRANSFER_EXECUTED]);
    const operatorId = (await db().findOneByOrFail(User, { loginId: 'operator01' })).id;
    expect(audit[0]).toMatchObject({ actorUserId: operatorId, targetType: 'Transfer', targetId: String(held.id) });
    expect(JSON.parse(audit[0].detail!)).toMatchObject({ holdRule: 'NEW_PAYEE', verification: VERIFIED });

    const again = await operator.query(RELEASE, { id: held.id, v: VERIFIED, pw: pw('operator01') });
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.body.errors![0].extensions?.field).toBe('transferId');
    expect(await balance()).toBe(opening - 120_000);
    expect((await maker.query(READ, { id: held.id })).body.data.transfer).toMatchObject({ status: 'EXECUTED', holdRule: 'NEW_PAYEE' });
  });

  it.each([
    ['a verification too short to be a record', 'BAD_USER_INPUT', { v: 'ok' }],
    ['an unknown transfer', 'NOT_FOUND', { id: 99_999_999 }],
    ['a wrong confirmation password', 'LOGIN_FAILED', { pw: 'wrong-password-1' }],
  ])('%s is refused with %s and changes nothing', async (_what, code, overrides) => {
    const held = await create(110_000, newDestination());
    const before = await lastAuditId();
    const refused = await operator.query(RELEASE, { id: held.id, v: VERIFIED, pw: pw('operator01'), ...overrides });
    expect(errorCode(refused)).toBe(code);
    expect((await db().findOneByOrFail(Transfer, { id: held.id })).status).toBe(TransferStatus.HELD);
    const actions = (await auditSince(before)).map((e) => e.action);
    expect(actions.filter((action) => action !== AuditAction.CONFIRMATION_PASSWORD_FAILED)).toEqual([]);
  });

  it('the operator cancels a held transfer with a note, or the customer withdraws it (予約取消): its reserved limits are released', async () => {
    const byOperator = await create(130_000, newDestination());
    const byCustomer = await create(140_000, newDestination());
    const usedBefore = await used();
    const cancelled = await operator.query(OPERATOR_CANCEL, {
      id: byOperator.id,
      note: 'ご本人に連絡したところ身に覚えなし',
      pw: pw('operator01'),
    });
    expect(cancelled.body.data.cancelHeldTransfer).toEqual({ transferId: byOperator.id, status: 'CANCELLED' });
    const withdrawn = await maker.query(CUSTOMER_CANCEL, { id: byCustomer.id, pw: pw('user01') });
    expect(withdrawn.body.data.cancelTransfer).toEqual({ id: byCustomer.id, status: 'CANCELLED' });
    expect(await used()).toBe(usedBefore - 130_000 - 140_000);
    // A cancelled order is no longer held: a release is refused.
    expect(errorCode(await operator.query(RELEASE, { id: byOperator.id, v: VERIFIED, pw: pw('operator01') }))).toBe('BAD_USER_INPUT');
  });

  it('with approval required, a transfer a rule judged against waits for approval and is held once approved, not run', async () => {
    await setApproval(true);
    const opening = await balance();
    const made = await create(160_000, newDestination());
    expect(made).toMatchObject({ status: 'PENDING_APPROVAL', holdRule: 'NEW_PAYEE', heldAt: null });
    const before = await lastAuditId();
    const approved = await approver.query(APPROVE, { id: made.id, pw: pw('user02') });
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.approveTransfer).toMatchObject({ status: 'HELD', approver: { loginId: 'user02' } });
    expect((await auditSince(before)).map((e) => e.action)).toEqual([AuditAction.TRANSFER_APPROVED, AuditAction.ORDER_HELD]);
    expect(await balance()).toBe(opening);
    const released = await operator.query(RELEASE, { id: made.id, v: VERIFIED, pw: pw('operator01') });
    expect(released.body.data.releaseHeldTransfer.status).toBe('EXECUTED');
    expect(await balance()).toBe(opening - 160_000);
  });
});

const PAYEE_FIELDS = ['destinationBankCode', 'destinationBranchCode', 'destinationAccountType', 'destinationAccountNumber', 'payeeName'];

describe('the velocity rule', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let accountId: number;

  beforeAll(async () => {
    gw = await TestGateway.start({
      SCHEDULER_INTERVAL_SECONDS: '0',
      VELOCITY_WINDOW_MINUTES: '10',
      VELOCITY_MAX_ORDERS: '3',
      VELOCITY_MAX_AMOUNT: '1000000',
    });
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false }));
    atBusinessMorning(gw);
    maker = await sessionAs(gw, 'user01');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
  });
  afterAll(() => gw?.stop());

  const create = async (amount: number) => {
    const response = await maker.query(CREATE, {
      input: transferInput(accountId, amount),
      pw: gw.credentials('user01').confirmationPassword,
    });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.createTransfer as { status: string; holdRule: string | null };
  };

  it('holds the orders beyond VELOCITY_MAX_ORDERS in the window, and none once the window has passed', async () => {
    const made = [await create(1_000), await create(1_000), await create(1_000), await create(1_000), await create(1_000)];
    expect(made.map((order) => order.holdRule)).toEqual([null, null, null, 'USER_VELOCITY', 'USER_VELOCITY']);
    expect(made.map((order) => order.status)).toEqual(['EXECUTED', 'EXECUTED', 'EXECUTED', 'HELD', 'HELD']);
    gw.clock.advanceMinutes(11);
    expect(await create(1_000)).toMatchObject({ status: 'EXECUTED', holdRule: null });
  });

  it('holds an order that takes the window’s sum above VELOCITY_MAX_AMOUNT', async () => {
    gw.clock.advanceMinutes(11);
    expect(await create(600_000)).toMatchObject({ status: 'EXECUTED', holdRule: null });
    expect(await create(400_001)).toMatchObject({ status: 'HELD', holdRule: 'USER_VELOCITY' });
  });
});

describe('the initial period’s lower daily limits', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0', INITIAL_PERIOD_DAYS: '30', INITIAL_PERIOD_DAILY_LIMIT: '200000' });
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false }));
  });
  afterAll(() => gw?.stop());

  const transfer = async (amount: number) => {
    const maker = await sessionAs(gw, 'user01');
    const accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    return maker.query(CREATE, { input: transferInput(accountId, amount), pw: gw.credentials('user01').confirmationPassword });
  };

  it('in its first INITIAL_PERIOD_DAYS a contract’s daily limits are at most INITIAL_PERIOD_DAILY_LIMIT; after them, its own', async () => {
    atBusinessMorning(gw);
    expect((await transfer(150_000)).body.data.createTransfer.status).toBe('EXECUTED');
    const refused = await transfer(50_001);
    expect(errorCode(refused)).toBe('LIMIT_EXCEEDED');
    expect(refused.body.errors![0].extensions).toMatchObject({
      limit: 'USER_DAILY',
      limitAmount: 200_000,
      remaining: 50_000,
      initialPeriod: true,
    });
    expect((await transfer(50_000)).body.data.createTransfer.status).toBe('EXECUTED');

    // Day 31 from the contract's creation: user01's own daily limit (¥3,000,000) again.
    gw.clock.advanceDays(30);
    atBusinessMorning(gw);
    expect((await transfer(1_000_000)).body.data.createTransfer.status).toBe('EXECUTED');
  });
});

describe('a raised limit takes effect after LIMIT_RAISE_DELAY_HOURS', () => {
  let gw: TestGateway;
  const SET_LIMITS = `mutation($id: Int!, $l: UserLimitsInput!, $pw: String!) {
    setUserLimits(userId: $id, limits: $l, confirmationPassword: $pw) {
      transferLimitPerTransaction dailyTransferLimit pendingLimitRaise { transferLimitPerTransaction dailyTransferLimit effectiveAt }
    }
  }`;
  const db = () => gw.gateway.services.db.writableManager;
  const actions = async (from: number) =>
    (await db().find(AuditEvent, { where: { id: MoreThan(from) }, order: { id: 'ASC' } })).map((e) => e.action);
  const lastAuditId = async () => (await db().find(AuditEvent, { order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0', LIMIT_RAISE_DELAY_HOURS: '24' });
  });
  afterAll(() => gw?.stop());

  it('a raise waits (announced by LIMIT_RAISE_SCHEDULED), is applied once by the scheduled run after the delay (LIMIT_RAISE_EFFECTIVE); a lowering is at once', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const user01 = await db().findOneByOrFail(User, { loginId: 'user01' });
    const before = await lastAuditId();
    const raised = await admin.query(SET_LIMITS, {
      id: user01.id,
      l: { transferLimitPerTransaction: 2_000_000, dailyTransferLimit: 5_000_000 },
      pw: gw.credentials('admin01').confirmationPassword,
    });
    expect(raised.body.errors).toBeUndefined();
    expect(raised.body.data.setUserLimits).toMatchObject({
      transferLimitPerTransaction: 1_000_000,
      dailyTransferLimit: 3_000_000,
      pendingLimitRaise: { transferLimitPerTransaction: 2_000_000, dailyTransferLimit: 5_000_000 },
    });
    expect(await actions(before)).toEqual([AuditAction.LIMITS_CHANGED, AuditAction.LIMIT_RAISE_SCHEDULED]);

    // Not yet: the run an hour before the time changes nothing.
    gw.clock.advance(23 * 60 * 60 * 1000);
    await gw.gateway.services.scheduler.runDue();
    expect(await db().findOneByOrFail(User, { id: user01.id })).toMatchObject({ transferLimitPerTransaction: 1_000_000 });

    gw.clock.advance(60 * 60 * 1000);
    const applying = await lastAuditId();
    await Promise.all([gw.gateway.services.scheduler.runDue(), gw.gateway.services.limitRaises.applyDue()]);
    await gw.gateway.services.scheduler.runDue();
    expect(await db().findOneByOrFail(User, { id: user01.id })).toMatchObject({
      transferLimitPerTransaction: 2_000_000,
      dailyTransferLimit: 5_000_000,
      pendingDailyTransferLimit: null,
      limitRaiseEffectiveAt: null,
    });
    expect((await actions(applying)).filter((a) => a === AuditAction.LIMIT_RAISE_EFFECTIVE)).toHaveLength(1);

    const admin2 = await sessionAs(gw, 'admin01'); // the first session timed out while the clock moved
    const lowering = await lastAuditId();
    const lowered = await admin2.query(SET_LIMITS, {
      id: user01.id,
      l: { transferLimitPerTransaction: 500_000, dailyTransferLimit: 1_000_000 },
      pw: gw.credentials('admin01').confirmationPassword,
    });
    expect(lowered.body.data.setUserLimits).toMatchObject({ transferLimitPerTransaction: 500_000, pendingLimitRaise: null });
    expect(await actions(lowering)).toEqual([AuditAction.LIMITS_CHANGED]);
  });
});
