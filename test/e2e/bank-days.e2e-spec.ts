import holidayJp from '@holiday-jp/holiday_jp';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { isBankBusinessDay, nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { IdempotencyKeys } from '../../src/banking/orders/idempotency';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { TransferScheduler } from '../../src/banking/scheduler/transfer-scheduler';
import { BULK_TRANSFER } from '../../src/banking/bulk-transfers/bulk-transfer.kind';
import { TRANSFER as TRANSFER_KIND } from '../../src/banking/transfers/transfer.kind';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { Contract, ContractStatus } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS, APPROVE, tokyoTime, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { sessionAs } from '../helpers/lifecycle';
import { loginAsPartner } from '../helpers/auth';

const CREATE = `mutation Create($input: CreateTransferInput!, $pw: String!) {
  createTransfer(input: $input, confirmationPassword: $pw) { id status amount businessDate executionDate executedAt failureCode }
}`;
const TRANSFER = 'query($id: Int!) { transfer(id: $id) { id status executionDate executedAt failureCode } }';

const DAY_MS = 24 * 3600_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const today = () => businessDate(new Date());
/** The first day after today for which `test` holds. */
function nextDay(test: (date: string) => boolean): string {
  for (let date = addDays(today(), 1); ; date = addDays(date, 1)) if (test(date)) return date;
}
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Days the tests run on, found from today, so that they hold whatever day they run. */
const NEXT_BUSINESS_DAY = nextBusinessDay(today());
const NEXT_SATURDAY = nextDay((date) => weekday(date) === 6);
const NEXT_WEEKDAY_HOLIDAY = nextDay((date) => date in holidayJp.holidays && weekday(date) >= 1 && weekday(date) <= 5);
const NEXT_NEW_YEARS_EVE = nextDay((date) => date.endsWith('-12-31') && weekday(date) >= 1 && weekday(date) <= 5);

/**
 * Issue 10, item 4: the Japanese bank calendar. A transfer made on a closed day or after the
 * cut-off (15:00 Tokyo by default) carries the next business day as its executionDate (予約扱い),
 * counts its daily limits against that day, and runs when that day comes — once, however many
 * instances run the schedule.
 */
describe('bank days: closed days, the cut-off and the scheduled run', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let approver: GraphqlClient;
  let accountId: number;
  let user01Id: number;
  let contractId: number;
  const db = () => gw.gateway.services.db.writableManager;
  const create = (amount: number) =>
    maker.query(CREATE, { input: transferInput(accountId, amount), pw: gw.credentials('user01').confirmationPassword });
  const usage = async (day: string, scope = `user:${user01Id}`) =>
    (await db().findOneBy(LimitUsage, { scopeKey: scope, businessDate: day }))?.used ?? 0;
  const balance = async () => (await db().findOneByOrFail(Account, { id: accountId })).balance;
  const linesOf = (transferId: number) => db().countBy(StatementLine, { transferId });

  /** A gateway whose clock is at `moment` (Tokyo), with sessions made there; the scheduled run is called by the tests. */
  async function startAt(moment: Date, options: { requiresApproval?: boolean; env?: Record<string, string> } = {}) {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0', ...options.env });
    contractId = (await db().findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    user01Id = (await db().findOneByOrFail(User, { loginId: 'user01' })).id;
    await gw.gateway.services.db.transaction((m) =>
      m.update(Contract, { id: contractId }, { requiresApproval: options.requiresApproval ?? false }),
    );
    gw.clock.moveTo(moment);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
  }

  /** Sessions time out when the clock jumps ahead: log in again there. */
  async function moveTo(moment: Date) {
    gw.clock.moveTo(moment);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
  }

  afterEach(async () => {
    await gw?.stop();
  });

  it('successful: before the cut-off a transfer runs the same business day; from 15:00 it is 予約 for the next one and counts against that day’s limits', async () => {
    const day = NEXT_BUSINESS_DAY;
    await startAt(tokyoTime(day, '14:59'));
    const opening = await balance();
    const sameDay = (await create(100_000)).body.data.createTransfer;
    expect(sameDay).toMatchObject({ status: 'EXECUTED', businessDate: day, executionDate: day, executedAt: expect.any(String) });

    await moveTo(tokyoTime(day, '15:00'));
    const reserved = await create(200_000);
    expect(reserved.body.errors).toBeUndefined();
    expect(reserved.body.data.createTransfer).toMatchObject({
      status: 'SCHEDULED',
      businessDate: day,
      executionDate: nextBusinessDay(day),
      executedAt: null,
    });
    expect(await balance()).toBe(opening - 100_000);
    expect({ today: await usage(day), next: await usage(nextBusinessDay(day)) }).toEqual({ today: 100_000, next: 200_000 });
  });

  it('successful: the cut-off is configurable (TRANSFER_CUTOFF)', async () => {
    await startAt(tokyoTime(NEXT_BUSINESS_DAY, '09:30'), { env: { TRANSFER_CUTOFF: '09:30' } });
    expect((await create(1_000)).body.data.createTransfer).toMatchObject({
      status: 'SCHEDULED',
      executionDate: nextBusinessDay(NEXT_BUSINESS_DAY),
    });
  });

  it.each([
    ['a Saturday', NEXT_SATURDAY],
    ['a national holiday on a weekday', NEXT_WEEKDAY_HOLIDAY],
    ['New Year’s Eve (年末年始)', NEXT_NEW_YEARS_EVE],
  ])('successful: a transfer made on %s runs on the next business day, by the scheduled run, once', async (_name, closed) => {
    expect(isBankBusinessDay(closed)).toBe(false);
    await startAt(tokyoTime(closed, '10:00'));
    const opening = await balance();
    const made = (await create(300_000)).body.data.createTransfer;
    const runDay = nextBusinessDay(closed);
    expect(made).toMatchObject({ status: 'SCHEDULED', businessDate: closed, executionDate: runDay });
    expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 0, failed: 0, taken: 0 });

    await moveTo(tokyoTime(runDay, '00:00'));
    expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 1, failed: 0, taken: 0 });
    expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 0, failed: 0, taken: 0 });
    const ran = (await maker.query(TRANSFER, { id: made.id })).body.data.transfer;
    expect(ran).toMatchObject({ status: 'EXECUTED', executionDate: runDay, failureCode: null });
    expect(businessDate(new Date(ran.executedAt))).toBe(runDay);
    expect(await balance()).toBe(opening - 300_000);
    const line = await db().findOneByOrFail(StatementLine, { transferId: made.id });
    expect(line).toMatchObject({ amount: 300_000, balanceAfter: opening - 300_000, businessDate: runDay });
    expect(await db().countBy(AuditEvent, { action: AuditAction.TRANSFER_EXECUTED, targetId: String(made.id) })).toBe(1);
  });

  it('failing: daily limits count against the execution date: 予約 for tomorrow do not use today’s room, and fill tomorrow’s', async () => {
    const day = NEXT_BUSINESS_DAY;
    await startAt(tokyoTime(day, '10:00'));
    for (const amount of [1_000_000, 1_000_000]) expect(errorCode(await create(amount))).toBeUndefined();
    await moveTo(tokyoTime(day, '15:30'));
    // user01 may send ¥3,000,000 a day: ¥2,000,000 went today, and tomorrow still has all of it.
    for (const amount of [1_000_000, 1_000_000, 1_000_000]) {
      expect((await create(amount)).body.data.createTransfer.executionDate).toBe(nextBusinessDay(day));
    }
    const refused = await create(1);
    expect(refused.body.errors![0].extensions).toEqual({
      code: 'LIMIT_EXCEEDED',
      limit: 'USER_DAILY',
      limitAmount: 3_000_000,
      remaining: 0,
    });
    expect({ today: await usage(day), next: await usage(nextBusinessDay(day)) }).toEqual({ today: 2_000_000, next: 3_000_000 });
  });

  it('successful: an approval after the cut-off moves the transfer to the next business day, and its reserved limits with it', async () => {
    const day = NEXT_BUSINESS_DAY;
    await startAt(tokyoTime(day, '10:00'), { requiresApproval: true });
    const made = (await create(400_000)).body.data.createTransfer;
    expect(made).toMatchObject({ status: 'PENDING_APPROVAL', executionDate: day });
    await moveTo(tokyoTime(day, '16:00'));
    const approved = await approver.query(APPROVE, { id: made.id, pw: gw.credentials('user02').confirmationPassword });
    expect(approved.body.data.approveTransfer.status).toBe('SCHEDULED');
    expect((await approver.query(TRANSFER, { id: made.id })).body.data.transfer.executionDate).toBe(nextBusinessDay(day));
    expect({ today: await usage(day), next: await usage(nextBusinessDay(day)) }).toEqual({ today: 0, next: 400_000 });
    expect({
      today: await usage(day, `contract:${contractId}`),
      next: await usage(nextBusinessDay(day), `contract:${contractId}`),
    }).toEqual({
      today: 0,
      next: 400_000,
    });
  });

  it('failing: a 予約 transfer the balance cannot cover on its day FAILS with INSUFFICIENT_FUNDS; nothing moves and its limits are released', async () => {
    const day = NEXT_BUSINESS_DAY;
    await startAt(tokyoTime(day, '18:00'));
    const made = (await create(500_000)).body.data.createTransfer;
    const runDay = nextBusinessDay(day);
    expect(await usage(runDay)).toBe(500_000);
    await gw.gateway.services.db.transaction((m) => m.update(Account, { id: accountId }, { balance: 499_999 }));
    await moveTo(tokyoTime(runDay, '08:00'));
    expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 0, failed: 1, taken: 0 });
    expect((await maker.query(TRANSFER, { id: made.id })).body.data.transfer).toMatchObject({
      status: 'FAILED',
      failureCode: 'INSUFFICIENT_FUNDS',
      executedAt: null,
    });
    expect(await balance()).toBe(499_999);
    expect(await linesOf(made.id)).toBe(0);
    expect(await usage(runDay)).toBe(0);
    expect(await db().countBy(AuditEvent, { action: AuditAction.TRANSFER_FAILED, targetId: String(made.id) })).toBe(1);
  });

  it('failing: a 予約 transfer of a contract under emergency stop FAILS with CONTRACT_STOPPED when its day comes', async () => {
    const day = NEXT_BUSINESS_DAY;
    await startAt(tokyoTime(day, '18:00'));
    const opening = await balance();
    const made = (await create(600_000)).body.data.createTransfer;
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { id: contractId }, { status: ContractStatus.STOPPED }));
    gw.clock.moveTo(tokyoTime(nextBusinessDay(day), '08:00'));
    expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 0, failed: 1, taken: 0 });
    expect(await db().findOneByOrFail(Transfer, { id: made.id })).toMatchObject({ status: 'FAILED', failureCode: 'CONTRACT_STOPPED' });
    expect(await balance()).toBe(opening);
    expect(await usage(nextBusinessDay(day))).toBe(0);
  });

  it('successful: two instances running the due transfers at the same moment execute each exactly once', async () => {
    const day = NEXT_BUSINESS_DAY;
    await startAt(tokyoTime(day, '17:00'));
    const opening = await balance();
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push((await create(10_000 + i)).body.data.createTransfer.id);
    gw.clock.moveTo(tokyoTime(nextBusinessDay(day), '00:00'));
    const { services } = gw.gateway;
    const instances = [
      services.scheduler,
      new TransferScheduler(
        services.orderExecution,
        [TRANSFER_KIND, BULK_TRANSFER],
        new IdempotencyKeys(services.db, services.clock),
        services.auditRetention,
        services.auditChain,
        services.logger,
        0,
      ),
    ];
    const runs = await Promise.all(instances.map((scheduler) => scheduler.runDue()));
    expect(runs.reduce((sum, run) => sum + run.executed, 0)).toBe(20);
    const total = ids.reduce((sum, _id, i) => sum + 10_000 + i, 0);
    expect(await balance()).toBe(opening - total);
    for (const id of ids) expect(await linesOf(id)).toBe(1);
    expect(await db().countBy(AuditEvent, { action: AuditAction.TRANSFER_EXECUTED })).toBe(20);
  });
});

/** The same across two gateway processes on one database, each with its own timer (the second process keeps the real time). */
describe('the scheduled run across two gateway processes', () => {
  let gw: TestGateway;
  let second: GatewayProcess;

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  it('successful: 1,000 transfers falling due while both processes poll each execute exactly once', async () => {
    const db = gw.gateway.services.db.writableManager;
    const contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    const user01Id = (await db.findOneByOrFail(User, { loginId: 'user01' })).id;
    const account = await db.findOneByOrFail(Account, { contractId, accountNumber: '1234567' });
    // 予約 transfers for tomorrow, as approved transfers stand (their limits are not this test's concern).
    const amounts = Array.from({ length: 1000 }, (_, i) => 1_000 + i);
    await gw.gateway.services.db.transaction((m) =>
      m.insert(
        Transfer,
        amounts.map((amount) => ({
          contractId,
          accountId: account.id,
          makerUserId: user01Id,
          makerCertificateFingerprint: 'f'.repeat(64),
          approverUserId: null,
          approverCertificateFingerprint: null,
          destinationBankCode: '0009',
          destinationBranchCode: '123',
          destinationAccountType: 'ORDINARY' as never,
          destinationAccountNumber: '7654321',
          payeeName: 'カ)テスト',
          amount,
          businessDate: today(),
          executionDate: addDays(today(), 1),
          status: TransferStatus.SCHEDULED,
          createdAt: new Date(),
          decidedAt: null,
          rejectionReason: null,
          executedAt: null,
          failureCode: null,
        })),
      ),
    );
    second = await GatewayProcess.start(gw, { env: { SCHEDULER_INTERVAL_SECONDS: '1' } });
    // Their day comes while the second process polls every second and this one runs them (taking longer than a second).
    await gw.gateway.services.db.transaction((m) => m.update(Transfer, { status: TransferStatus.SCHEDULED }, { executionDate: today() }));
    while ((await db.countBy(Transfer, { status: TransferStatus.SCHEDULED })) > 0) await gw.gateway.services.scheduler.runDue();

    const total = amounts.reduce((sum, amount) => sum + amount, 0);
    expect((await db.findOneByOrFail(Account, { id: account.id })).balance).toBe(account.balance - total);
    const lines = await db.findBy(StatementLine, { accountId: account.id });
    const perTransfer = new Map<number | null, number>();
    for (const line of lines) perTransfer.set(line.transferId, (perTransfer.get(line.transferId) ?? 0) + 1);
    const executed = await db.findBy(Transfer, { status: TransferStatus.EXECUTED });
    expect(executed).toHaveLength(1000);
    expect(executed.map((t) => perTransfer.get(t.id))).toEqual(Array(1000).fill(1));
    expect(await db.countBy(AuditEvent, { action: AuditAction.TRANSFER_EXECUTED })).toBe(1000);
  });
});

/** A gateway process started by a test keeps the test's clock: both gateways decide a transfer's day alike. */
describe("a gateway process on its test's clock", () => {
  let gw: TestGateway;
  let second: GatewayProcess;

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  it('successful: with the clock at 10:00 of the next business day, a transfer made through the process runs that day', async () => {
    const day = NEXT_BUSINESS_DAY;
    gw.clock.moveTo(tokyoTime(day, '10:00'));
    second = await GatewayProcess.start(gw, { env: { SCHEDULER_INTERVAL_SECONDS: '0' } });
    const maker = gw.withCertificate(gw.demoIdentity('user01'), second.apiOrigin);
    await loginAsPartner(maker, gw.credentials('user01').loginPassword);
    const accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    const made = await maker.query(CREATE, { input: transferInput(accountId, 1_000), pw: gw.credentials('user01').confirmationPassword });
    expect(made.body.errors).toBeUndefined();
    // Not today's date by the real clock, nor the day after it (予約): the test's business morning.
    expect(made.body.data.createTransfer).toMatchObject({ businessDate: day, executionDate: day });
  });
});
