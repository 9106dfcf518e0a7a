import { MoreThan } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { isBankBusinessDay, nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { SalaryTransfer, SalaryTransferLine } from '../../src/banking/salary-transfers/salary-transfer.entity';
import { DAY_MS } from '../../src/common/clock';
import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { loginAsPartner } from '../helpers/auth';
import { ACCOUNTS, bulkLines, monthDay, tokyoTime, zenginFile } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { onboardUser, sessionAs } from '../helpers/lifecycle';

const FIELDS =
  'id status category payday requestedDate scheduledReason executionDate submissionDeadline source lineCount totalAmount requesterName';
const IMPORT = `mutation($file: String!, $from: Int!, $pw: String!) {
  importSalaryTransfer(fileBase64: $file, fromAccountId: $from, confirmationPassword: $pw) { ${FIELDS} maker { loginId } }
}`;
const CREATE = `mutation($input: CreateSalaryTransferInput!, $pw: String!) { createSalaryTransfer(input: $input, confirmationPassword: $pw) { ${FIELDS} } }`;
const DECIDE = (step: 'approve' | 'cancel') =>
  `mutation($id: Int!, $pw: String!) { ${step}SalaryTransfer(salaryTransferId: $id, confirmationPassword: $pw) { ${FIELDS} approver { loginId } } }`;
const REJECT = `mutation($id: Int!, $pw: String!) { rejectSalaryTransfer(salaryTransferId: $id, reason: "wrong month", confirmationPassword: $pw) { ${FIELDS} } }`;
const READ = `query($id: Int!) { salaryTransfer(id: $id) { ${FIELDS} lines(first: 10) { items { lineNumber payeeName amount bankName } nextCursor } } }`;
const SETTINGS = `mutation($c: Int!, $s: ContractTransferSettingsInput!, $pw: String!) {
  setContractTransferSettings(contractId: $c, settings: $s, note: "給与振込契約", confirmationPassword: $pw) { dailyTransferLimit dailySalaryTransferLimit }
}`;

const SALARY_LIMIT = 2_000_000;
const base64 = (bytes: Buffer) => bytes.toString('base64');
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Monday to Friday of the first week after `from` whose five days are all bank business days: the test's fixed calendar. */
function openWeek(from: string): string[] {
  for (let monday = nextBusinessDay(from); ; monday = nextBusinessDay(monday)) {
    const days = [0, 1, 2, 3, 4].map((i) => plusDays(monday, i));
    if (new Date(`${monday}T00:00:00Z`).getUTCDay() === 1 && days.every(isBankBusinessDay)) return days;
  }
}

/** A Zengin 給与振込 (11) or 賞与振込 (12) file (or, to compare, 総合振込 21) paying `lines` on MMDD, from the demo account. */
function salaryFile(typeCode: '11' | '12' | '21', lines: ReturnType<typeof bulkLines>, payday: string): Buffer {
  return zenginFile(lines, monthDay(payday), typeCode);
}

/**
 * Issue 17, item 6: 給与・賞与振込, a third kind of payment order. A 種別 11 file for a payday
 * (Thursday of a week without holidays) is made and approved by Monday's cut-off (three business
 * days before), counts against the contract's salary limit on its debit date (Wednesday, the
 * business day before payday) and not against the daily transfer limits, and the scheduled run
 * debits it on Wednesday, not before. Approval, rejection and cancellation are the shared ones.
 */
describe('salary and bonus transfers (給与・賞与振込)', () => {
  let gw: TestGateway;
  let clerk: GraphqlClient; // SALARY_TRANSFER
  let checker: GraphqlClient; // SALARY_APPROVAL
  let user01: GraphqlClient; // TRANSFER
  let user02: GraphqlClient; // TRANSFER_APPROVAL
  let passwords: { clerk: string; checker: string };
  let logins: { clerk: string; checker: string };
  let accountId: number;
  let contractId: number;
  let week: string[];
  const [MON, TUE, WED, THU, FRI] = [0, 1, 2, 3, 4];
  const db = () => gw.gateway.services.db.writableManager;
  const usage = async (scope: string, day: string) => (await db().findOneBy(LimitUsage, { scopeKey: scope, businessDate: day }))?.used ?? 0;
  const lastAuditId = async () => (await db().find(AuditEvent, { order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;
  const actionsSince = async (id: number) =>
    (await db().find(AuditEvent, { where: { id: MoreThan(id) }, order: { id: 'ASC' } })).map((e) => e.action).filter((a) => a !== 'LOGIN');
  const importFile = (file: Buffer, pw = passwords.clerk) => clerk.query(IMPORT, { file: base64(file), from: accountId, pw });
  const createJson = (category: string, payday: string, lines = bulkLines(2, (n) => 100_000 * n)) =>
    clerk.query(CREATE, { input: { fromAccountId: accountId, category, payday, lines }, pw: passwords.clerk });
  const decide = (step: 'approve' | 'cancel', id: number, as: 'clerk' | 'checker') =>
    (as === 'clerk' ? clerk : checker).query(DECIDE(step), { id, pw: passwords[as] });
  const made = (response: GraphqlResponse, operation: string) => {
    expect(response.body.errors).toBeUndefined();
    return response.body.data[operation];
  };
  /** The clock jumped: new sessions for everyone. */
  async function logInAll(): Promise<void> {
    await loginAsPartner(clerk, logins.clerk);
    await loginAsPartner(checker, logins.checker);
    user01 = await sessionAs(gw, 'user01');
    user02 = await sessionAs(gw, 'user02');
  }

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    // Enrolled before the clock moves: a certificate is valid from the gateway's now.
    const adminPw = gw.credentials('admin01').confirmationPassword;
    const admin = await sessionAs(gw, 'admin01');
    const payroll = await onboardUser(gw, admin, adminPw, 'payroll-clerk', ['SALARY_TRANSFER']);
    const approver = await onboardUser(gw, admin, adminPw, 'payroll-checker', ['SALARY_APPROVAL']);
    [clerk, checker] = [payroll.client, approver.client];
    passwords = { clerk: payroll.confirmationPassword, checker: approver.confirmationPassword };
    logins = { clerk: payroll.loginPassword, checker: approver.loginPassword };
    contractId = (await db().findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    // The bank opens the 給与振込 service with its own limit; the daily transfer limit is set so low that a salary run counted against it would fail.
    const operator = await sessionAs(gw, 'operator01');
    const set = await operator.query(SETTINGS, {
      c: contractId,
      s: { dailyTransferLimit: 1_000, requiresApproval: true, dailySalaryTransferLimit: SALARY_LIMIT },
      pw: gw.credentials('operator01').confirmationPassword,
    });
    expect(set.body.data.setContractTransferSettings).toEqual({ dailyTransferLimit: 1_000, dailySalaryTransferLimit: SALARY_LIMIT });
    week = openWeek(businessDate(gw.clock.now()));
    gw.clock.moveTo(tokyoTime(week[MON], '10:00'));
    await logInAll();
    accountId = (await user01.query(ACCOUNTS)).body.data.accounts[0].id;
  });
  afterAll(() => gw.stop());

  it('only SALARY_TRANSFER makes one, only SALARY_APPROVAL approves or lists them all: transfer permissions reach none of it', async () => {
    const lines = bulkLines(1, () => 1_000);
    const byMaker = await user01.query(IMPORT, { file: base64(salaryFile('11', lines, week[THU])), from: accountId, pw: 'x' });
    expect(errorCode(byMaker)).toBe('FORBIDDEN');
    expect(byMaker.body.errors![0].extensions?.required).toBe('SALARY_TRANSFER');
    const listed = await user02.query('{ salaryTransfers(first: 5) { nextCursor } }');
    expect(listed.body.errors![0].extensions?.required).toBe('SALARY_TRANSFER_OR_APPROVAL');
    const approve = await user02.query(DECIDE('approve'), { id: 1, pw: 'x' });
    expect(approve.body.errors![0].extensions?.required).toBe('SALARY_APPROVAL');
    expect(await db().count(SalaryTransfer)).toBe(0);
  });

  it('a 総合振込 file is not a salary transfer, and a 給与振込 file is not a bulk transfer: the 種別コード is named', async () => {
    const lines = bulkLines(1, () => 1_000);
    const asSalary = await importFile(salaryFile('21', lines, week[THU]));
    expect(errorCode(asSalary)).toBe('BAD_USER_INPUT');
    expect(asSalary.body.errors![0].extensions?.problems).toEqual([
      expect.objectContaining({ record: 1, field: 'typeCode', value: '21', message: expect.stringContaining('this one is 21 (総合振込)') }),
    ]);
    const asBulk = await user01.query(
      'mutation($f: String!, $a: Int!) { importBulkTransfer(fileBase64: $f, fromAccountId: $a, confirmationPassword: "x") { id } }',
      { f: base64(salaryFile('11', lines, week[THU])), a: accountId },
    );
    expect(asBulk.body.errors![0].extensions?.problems).toEqual([expect.objectContaining({ field: 'typeCode', value: '11' })]);
  });

  it('a 種別 11 file for Thursday made on Monday waits for approval, reserved against the salary limit of Wednesday, its debit date, and not the daily transfer limits', async () => {
    const lines = bulkLines(3, (n) => 200_000 + n);
    const total = 600_006;
    const imported = made(await importFile(salaryFile('11', lines, week[THU])), 'importSalaryTransfer');
    expect(imported).toMatchObject({
      status: 'PENDING_APPROVAL',
      category: 'SALARY',
      source: 'ZENGIN_FILE',
      payday: week[THU],
      // The payday is the date asked for, kept as asked; the debit runs the business day before it.
      requestedDate: week[THU],
      scheduledReason: 'REQUESTED_DATE',
      executionDate: week[WED],
      submissionDeadline: tokyoTime(week[MON], '15:00').toISOString(),
      lineCount: 3,
      totalAmount: total,
      maker: { loginId: 'payroll-clerk' },
    });
    expect(await usage(`salary:${contractId}`, week[WED])).toBe(total);
    expect(await usage(`contract:${contractId}`, week[WED])).toBe(0);
    const clerkId = (await db().findOneByOrFail(User, { loginId: 'payroll-clerk' })).id;
    expect(await usage(`user:${clerkId}`, week[WED])).toBe(0);
    const read = await clerk.query(READ, { id: imported.id });
    expect(read.body.data.salaryTransfer.lines).toMatchObject({
      items: [{ lineNumber: 1, payeeName: 'テスト 00001', amount: 200_001 }, { lineNumber: 2 }, { lineNumber: 3 }],
      nextCursor: null,
    });
    // Approved in time, it waits for its debit date.
    const approved = made(await decide('approve', imported.id, 'checker'), 'approveSalaryTransfer');
    expect(approved).toMatchObject({ status: 'SCHEDULED', executionDate: week[WED], approver: { loginId: 'payroll-checker' } });
    expect(await usage(`salary:${contractId}`, week[WED])).toBe(total);
  });

  it('over the salary limit of the debit date is LIMIT_EXCEEDED naming SALARY_DAILY, and nothing is stored', async () => {
    const before = await db().count(SalaryTransfer);
    const refused = await createJson(
      'SALARY',
      week[THU],
      bulkLines(2, () => 700_000),
    );
    expect(errorCode(refused)).toBe('LIMIT_EXCEEDED');
    expect(refused.body.errors![0].extensions).toMatchObject({
      limit: 'SALARY_DAILY',
      limitAmount: SALARY_LIMIT,
      remaining: SALARY_LIMIT - 600_006,
    });
    expect(await db().count(SalaryTransfer)).toBe(before);
  });

  /** The first bank business day on or after `date`. */
  const openFrom = (date: string) => (isBankBusinessDay(date) ? date : nextBusinessDay(date));

  it.each([
    ['a Saturday', () => plusDays(week[FRI], 1), 'CLOSED_DAY'],
    ['last Friday', () => plusDays(week[MON], -3), 'PAST'],
    ['a business day more than 60 days ahead', () => openFrom(plusDays(week[MON], 61)), 'BEYOND_HORIZON'],
    ['today (Monday)', () => week[MON], 'SUBMISSION_DEADLINE_PASSED'],
  ])('a payday on %s is INVALID_EXECUTION_DATE naming payday with its reason; nothing is stored', async (_what, payday, reason) => {
    const before = await db().count(SalaryTransfer);
    const refused = await createJson('SALARY', payday());
    expect(errorCode(refused)).toBe('INVALID_EXECUTION_DATE');
    expect(refused.body.errors![0].extensions).toMatchObject({ field: 'payday', reason, requestedDate: payday() });
    expect(await db().count(SalaryTransfer)).toBe(before);
  });

  it('a payday that is no date is BAD_USER_INPUT naming payday; nothing is stored', async () => {
    const before = await db().count(SalaryTransfer);
    const refused = await createJson('SALARY', '2026-02-30');
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors![0].extensions).toMatchObject({ field: 'payday' });
    expect(await db().count(SalaryTransfer)).toBe(before);
  });

  it('a 給与振込 file whose header names another account than the one paid from is refused on record 1, before the password; nothing is stored', async () => {
    const before = await db().count(SalaryTransfer);
    const file = zenginFile(
      bulkLines(1, () => 1_000),
      monthDay(week[THU]),
      '11',
      { accountNumber: '7777777' },
    );
    const refused = await importFile(file, 'wrong-password');
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors![0].extensions?.problems).toEqual([
      expect.objectContaining({ record: 1, field: 'accountNumber', value: '7777777' }),
    ]);
    expect((await db().findOneByOrFail(User, { loginId: 'payroll-clerk' })).failedAttempts).toBe(0);
    expect(await db().count(SalaryTransfer)).toBe(before);
  });

  it('a bonus (種別 12 as JSON) rejected by the checker, and a salary transfer cancelled by its maker after approval, release the salary limit; each step audited', async () => {
    const auditBefore = await lastAuditId();
    const bonus = made(await createJson('BONUS', week[FRI]), 'createSalaryTransfer');
    expect(bonus).toMatchObject({
      status: 'PENDING_APPROVAL',
      category: 'BONUS',
      source: 'JSON',
      payday: week[FRI],
      executionDate: week[THU],
    });
    expect(await usage(`salary:${contractId}`, week[THU])).toBe(300_000);
    const rejected = await checker.query(REJECT, { id: bonus.id, pw: passwords.checker });
    expect(rejected.body.data.rejectSalaryTransfer.status).toBe('REJECTED');
    expect(await usage(`salary:${contractId}`, week[THU])).toBe(0);

    const salary = made(await createJson('SALARY', week[FRI]), 'createSalaryTransfer');
    const ownApproval = await decide('approve', salary.id, 'clerk');
    expect(errorCode(ownApproval)).toBe('FORBIDDEN');
    expect(made(await decide('approve', salary.id, 'checker'), 'approveSalaryTransfer')).toMatchObject({
      status: 'SCHEDULED',
      approver: { loginId: 'payroll-checker' },
    });
    expect(made(await decide('cancel', salary.id, 'clerk'), 'cancelSalaryTransfer').status).toBe('CANCELLED');
    expect(await usage(`salary:${contractId}`, week[THU])).toBe(0);
    expect(await actionsSince(auditBefore)).toEqual([
      AuditAction.SALARY_TRANSFER_CREATED,
      AuditAction.SALARY_TRANSFER_REJECTED,
      AuditAction.SALARY_TRANSFER_CREATED,
      AuditAction.SALARY_TRANSFER_APPROVED,
      AuditAction.SALARY_TRANSFER_CANCELLED,
    ]);
  });

  it('the submission deadline is the cut-off three business days before payday: made at 14:59 it is taken, approved or imported at 15:00 it is refused with the first payday still possible', async () => {
    gw.clock.moveTo(tokyoTime(week[MON], '14:59'));
    await logInAll();
    const late = made(
      await createJson(
        'SALARY',
        week[THU],
        bulkLines(1, () => 5_000),
      ),
      'createSalaryTransfer',
    );
    expect(late.status).toBe('PENDING_APPROVAL');

    gw.clock.moveTo(tokyoTime(week[MON], '15:00'));
    const checkerAttempts = async () => (await db().findOneByOrFail(User, { loginId: 'payroll-checker' })).failedAttempts;
    const approval = await checker.query(DECIDE('approve'), { id: late.id, pw: 'wrong-password' });
    expect(errorCode(approval)).toBe('INVALID_EXECUTION_DATE');
    expect(approval.body.errors![0].extensions).toMatchObject({ field: 'salaryTransferId', reason: 'SUBMISSION_DEADLINE_PASSED' });
    expect(await checkerAttempts()).toBe(0); // refused before the password
    expect((await db().findOneByOrFail(SalaryTransfer, { id: late.id })).status).toBe('PENDING_APPROVAL');

    const before = await db().count(SalaryTransfer);
    const refused = await importFile(
      salaryFile(
        '11',
        bulkLines(1, () => 5_000),
        week[THU],
      ),
    );
    expect(errorCode(refused)).toBe('INVALID_EXECUTION_DATE');
    expect(refused.body.errors![0].extensions).toMatchObject({
      field: 'transferDate',
      record: 1,
      reason: 'SUBMISSION_DEADLINE_PASSED',
      requestedDate: week[THU],
      firstPossibleDate: week[FRI],
      deadline: tokyoTime(week[MON], '15:00').toISOString(),
    });
    expect(await db().count(SalaryTransfer)).toBe(before);
  });

  it('approved in time, the 種別 11 run is debited by the scheduled run on Wednesday, the business day before payday, not before: one statement line for the total', async () => {
    const run = await db().findOneByOrFail(SalaryTransfer, { payday: week[THU], lineCount: 3 });
    expect(run.status).toBe('SCHEDULED');
    const balance = async () => (await db().findOneByOrFail(Account, { id: accountId })).balance;
    const opening = await balance();
    const auditBefore = await lastAuditId();

    gw.clock.moveTo(tokyoTime(week[TUE], '10:00'));
    await gw.gateway.services.scheduler.runDue();
    expect((await db().findOneByOrFail(SalaryTransfer, { id: run.id })).status).toBe('SCHEDULED');
    expect(await balance()).toBe(opening);

    gw.clock.moveTo(tokyoTime(week[WED], '00:00'));
    expect(await gw.gateway.services.scheduler.runDue()).toMatchObject({ executed: 1, failed: 0 });
    expect(await db().findOneByOrFail(SalaryTransfer, { id: run.id })).toMatchObject({ status: 'EXECUTED', executionDate: week[WED] });
    expect(await balance()).toBe(opening - 600_006);
    const statement = await db().find(StatementLine, { where: { accountId, businessDate: week[WED] } });
    expect(statement).toEqual([
      expect.objectContaining({
        direction: 'DEBIT',
        amount: 600_006,
        balanceAfter: opening - 600_006,
        description: `給与振込 3件 ${week[THU]}`,
      }),
    ]);
    expect(await actionsSince(auditBefore)).toEqual([AuditAction.SALARY_TRANSFER_EXECUTED]);
    // The late one, never approved, did not run; the lines stay as made.
    expect(await db().countBy(SalaryTransfer, { status: 'PENDING_APPROVAL' as never })).toBe(1);
    expect(await db().countBy(SalaryTransferLine, { salaryTransferId: run.id })).toBe(3);
  });
});
