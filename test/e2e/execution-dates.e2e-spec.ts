import { AuditEvent } from '../../src/audit/audit-event.entity';
import { addDays, isBankBusinessDay, nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { BulkTransfer } from '../../src/banking/bulk-transfers/bulk-transfer.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS, atBusinessMorning, bulkLines, monthDay, tokyoTime, transferInput, zenginFile } from '../helpers/banking';
import type { GraphqlClient, GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

const FIELDS = 'id status businessDate executionDate requestedDate scheduledReason';
const CREATE = `mutation Create($input: CreateTransferInput!, $pw: String!) { createTransfer(input: $input, confirmationPassword: $pw) { ${FIELDS} } }`;
const APPROVE = `mutation($id: Int!, $pw: String!) { approveTransfer(transferId: $id, confirmationPassword: $pw) { ${FIELDS} } }`;
const CANCEL = `mutation($id: Int!, $pw: String!) { cancelTransfer(transferId: $id, confirmationPassword: $pw) { ${FIELDS} } }`;
const CREATE_KEYED = `mutation Create($input: CreateTransferInput!, $pw: String!, $key: String) {
  createTransfer(input: $input, confirmationPassword: $pw, idempotencyKey: $key) { ${FIELDS} }
}`;
const READ = `query($id: Int!) { transfer(id: $id) { ${FIELDS} } }`;
const IMPORT = `mutation Import($file: String!, $from: Int!, $pw: String!) {
  importBulkTransfer(fileBase64: $file, fromAccountId: $from, confirmationPassword: $pw) { ${FIELDS} }
}`;
const CREATE_BULK = `mutation Create($lines: [BulkTransferLineInput!]!, $from: Int!, $pw: String!, $date: String) {
  createBulkTransfer(lines: $lines, fromAccountId: $from, confirmationPassword: $pw, transferDate: $date) { ${FIELDS} }
}`;
const APPROVE_BULK = `mutation($id: Int!, $pw: String!) { approveBulkTransfer(bulkTransferId: $id, confirmationPassword: $pw) { ${FIELDS} } }`;

const base64 = (bytes: Buffer) => bytes.toString('base64');
const HORIZON_DAYS = 60;

/** The last business day within the horizon from `today` (TRANSFER_DATE_HORIZON_DAYS, 60 by default). */
function lastPossible(today: string): string {
  let day = addDays(today, HORIZON_DAYS);
  while (!isBankBusinessDay(day)) day = addDays(day, -1);
  return day;
}

/** A business day from 1 to 20 December after `today`: at most eleven and a half months ahead, within the certificates' year. */
function nextDecemberBusinessDay(today: string): string {
  for (let day = addDays(today, 1); ; day = addDays(day, 1)) {
    if (day.slice(5, 7) === '12' && Number(day.slice(8)) <= 20 && isBankBusinessDay(day)) return day;
  }
}

/**
 * Issue 17, item 4 (DESIGN.md §6.9): a transfer date asked for (振込指定日) is kept as asked or
 * refused with INVALID_EXECUTION_DATE — why, and the first and last dates possible — never moved:
 * not when it is past, closed, too far or today after the cut-off, and not when an approval comes
 * too late for it. Without a date, "after the cut-off" still means the next business day, and the
 * answer says so.
 */
describe('transfer dates (振込指定日): kept as asked or refused, never moved', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let approver: GraphqlClient;
  let accountId: number;
  let today: string;
  const db = () => gw.gateway.services.db.writableManager;
  const makerPw = () => gw.credentials('user01').confirmationPassword;
  const approverPw = () => gw.credentials('user02').confirmationPassword;
  const books = async () => ({
    transfers: await db().count(Transfer),
    bulkTransfers: await db().count(BulkTransfer),
    audit: await db().count(AuditEvent),
    failedAttempts: (await db().findOneByOrFail(User, { loginId: 'user01' })).failedAttempts,
  });
  const create = (transferDate: string | undefined, pw = makerPw()) =>
    maker.query(CREATE, { input: transferInput(accountId, 1_000, transferDate === undefined ? {} : { transferDate }), pw });
  const refusal = (response: GraphqlResponse) => response.body.errors?.[0]?.extensions;
  /** Sessions time out when the clock jumps: log in again there. */
  async function moveTo(moment: Date) {
    gw.clock.moveTo(moment);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
  }

  beforeEach(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    today = atBusinessMorning(gw);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
  });
  afterEach(() => gw.stop());

  it('refuses a past, closed or too distant date with the reason and the possible dates, before the password; nothing is done', async () => {
    const saturday = (() => {
      let day = addDays(today, 1);
      while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 6) day = addDays(day, 1);
      return day;
    })();
    const beyond = nextBusinessDay(lastPossible(today));
    const window = { firstPossibleDate: today, lastPossibleDate: lastPossible(today), field: 'transferDate' };
    const before = await books();
    for (const [date, reason] of [
      [addDays(today, -1), 'PAST'],
      [saturday, 'CLOSED_DAY'],
      [beyond, 'BEYOND_HORIZON'],
    ]) {
      const refused = await create(date, 'wrong-password');
      expect(refusal(refused)).toEqual({ code: 'INVALID_EXECUTION_DATE', reason, requestedDate: date, ...window });
      expect(refused.status).toBe(200);
    }
    expect(await books()).toEqual(before);
    const notADate = await create('2026-02-30');
    expect(refusal(notADate)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'transferDate' });

    // The last possible day is kept as asked.
    const last = (await create(lastPossible(today))).body.data.createTransfer;
    expect(last).toMatchObject({
      status: 'PENDING_APPROVAL',
      requestedDate: lastPossible(today),
      executionDate: lastPossible(today),
      scheduledReason: 'REQUESTED_DATE',
    });
  });

  it('keeps a later business day as asked, counted against that day’s limits; with an idempotency key the date is part of the request', async () => {
    const later = nextBusinessDay(nextBusinessDay(today));
    const keyed = (transferDate: string) =>
      maker.query(CREATE_KEYED, { input: transferInput(accountId, 1_000, { transferDate }), pw: makerPw(), key: 'invoice-42' });
    const made = (await keyed(later)).body.data.createTransfer;
    expect(made).toMatchObject({ status: 'PENDING_APPROVAL', businessDate: today, requestedDate: later, executionDate: later });
    const user01 = await db().findOneByOrFail(User, { loginId: 'user01' });
    expect((await db().findOneByOrFail(LimitUsage, { scopeKey: `user:${user01.id}`, businessDate: later })).used).toBe(1_000);

    expect((await keyed(later)).body.data.createTransfer).toEqual(made);
    expect(refusal(await keyed(nextBusinessDay(later)))).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(await db().count(Transfer)).toBe(1);
  });

  it('refuses today after the cut-off (AFTER_CUTOFF, first possible the next business day); without a date it runs then and says why', async () => {
    await moveTo(tokyoTime(today, '15:00'));
    const tomorrow = nextBusinessDay(today);
    const before = await books();
    expect(refusal(await create(today))).toEqual({
      code: 'INVALID_EXECUTION_DATE',
      reason: 'AFTER_CUTOFF',
      field: 'transferDate',
      requestedDate: today,
      firstPossibleDate: tomorrow,
      lastPossibleDate: expect.any(String),
    });
    expect(await books()).toEqual(before);

    const undated = (await create(undefined)).body.data.createTransfer;
    expect(undated).toMatchObject({
      status: 'PENDING_APPROVAL',
      businessDate: today,
      requestedDate: null,
      executionDate: tomorrow,
      scheduledReason: 'AFTER_CUTOFF',
    });
    expect((await maker.query(READ, { id: undated.id })).body.data.transfer).toEqual(undated);
  });

  it('an undated order runs today before the cut-off, with no scheduledReason', async () => {
    const made = (await create(undefined)).body.data.createTransfer;
    expect(made).toMatchObject({ requestedDate: null, executionDate: today, scheduledReason: null });
  });

  it('refuses the approval of a dated order after its day’s cut-off: it stays waiting, then its maker cancels it; an undated one moves as before', async () => {
    const dated = (await create(today)).body.data.createTransfer;
    const undated = (await create(undefined)).body.data.createTransfer;
    const user02 = () => db().findOneByOrFail(User, { loginId: 'user02' });
    await moveTo(tokyoTime(today, '15:30'));

    const late = await approver.query(APPROVE, { id: dated.id, pw: 'wrong-password' });
    expect(refusal(late)).toEqual({
      code: 'INVALID_EXECUTION_DATE',
      reason: 'AFTER_CUTOFF',
      field: 'transferId',
      requestedDate: today,
      firstPossibleDate: nextBusinessDay(today),
      lastPossibleDate: expect.any(String),
    });
    expect((await user02()).failedAttempts).toBe(0);
    expect(await db().findOneByOrFail(Transfer, { id: dated.id })).toMatchObject({
      status: TransferStatus.PENDING_APPROVAL,
      executionDate: today,
      approverUserId: null,
    });
    expect((await maker.query(CANCEL, { id: dated.id, pw: makerPw() })).body.data.cancelTransfer.status).toBe('CANCELLED');

    // Today's behaviour, kept for an order made for the first day possible: it moves, and says why.
    const moved = (await approver.query(APPROVE, { id: undated.id, pw: approverPw() })).body.data.approveTransfer;
    expect(moved).toMatchObject({ status: 'SCHEDULED', executionDate: nextBusinessDay(today), scheduledReason: 'AFTER_CUTOFF' });
  });

  it('refuses a bulk transfer’s past date (JSON transferDate, a file’s header) and the late approval of a dated file', async () => {
    const before = await books();
    const json = await maker.query(CREATE_BULK, {
      lines: bulkLines(2, () => 500),
      from: accountId,
      pw: makerPw(),
      date: addDays(today, -3),
    });
    expect(refusal(json)).toMatchObject({
      code: 'INVALID_EXECUTION_DATE',
      reason: 'PAST',
      field: 'transferDate',
      firstPossibleDate: today,
    });
    expect(await books()).toEqual(before);

    const file = (
      await maker.query(IMPORT, {
        file: base64(
          zenginFile(
            bulkLines(2, () => 500),
            monthDay(today),
          ),
        ),
        from: accountId,
        pw: makerPw(),
      })
    ).body.data.importBulkTransfer;
    expect(file).toMatchObject({ status: 'PENDING_APPROVAL', requestedDate: today, executionDate: today });
    await moveTo(tokyoTime(today, '15:00'));
    const late = await approver.query(APPROVE_BULK, { id: file.id, pw: approverPw() });
    expect(refusal(late)).toMatchObject({ code: 'INVALID_EXECUTION_DATE', reason: 'AFTER_CUTOFF', field: 'bulkTransferId' });
    expect((await db().findOneByOrFail(BulkTransfer, { id: file.id })).status).toBe('PENDING_APPROVAL');
  });
});

/** A Zengin header's 振込指定日 is MMDD without a year: the next such date that is not past. */
describe('a Zengin header’s MMDD read in December', () => {
  let gw: TestGateway;
  afterAll(() => gw?.stop());

  it('means next January for 01DD, and next year for a day already past this year (refused as too far, never moved)', async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    const db = gw.gateway.services.db.writableManager;
    const contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { id: contractId }, { requiresApproval: true }));
    const december = nextDecemberBusinessDay(businessDate(gw.clock.now()));
    const year = Number(december.slice(0, 4));
    gw.clock.moveTo(tokyoTime(december, '10:00'));
    const maker = await sessionAs(gw, 'user01');
    const accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    const importFor = (mmdd: string) =>
      maker.query(IMPORT, {
        file: base64(
          zenginFile(
            bulkLines(1, () => 100),
            mmdd,
          ),
        ),
        from: accountId,
        pw: gw.credentials('user01').confirmationPassword,
      });

    const january = nextBusinessDay(`${year + 1}-01-03`);
    const made = await importFor(monthDay(january));
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data.importBulkTransfer).toMatchObject({
      requestedDate: january,
      executionDate: january,
      scheduledReason: 'REQUESTED_DATE',
    });

    // Yesterday's MMDD is next year's day (not a past day moved to the next business day)…
    const yesterday = addDays(december, -1);
    const past = await importFor(monthDay(yesterday));
    expect(past.body.errors![0].extensions).toMatchObject({
      code: 'INVALID_EXECUTION_DATE',
      reason: 'BEYOND_HORIZON',
      field: 'transferDate',
      record: 1,
      requestedDate: `${year + 1}${yesterday.slice(4)}`,
      firstPossibleDate: december,
    });
    // …and 0607 is next June, not June of this year.
    const june = await importFor('0607');
    expect(june.body.errors![0].extensions).toMatchObject({ reason: 'BEYOND_HORIZON', requestedDate: `${year + 1}-06-07` });
  });
});
