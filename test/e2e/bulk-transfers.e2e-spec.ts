import holidayJp from '@holiday-jp/holiday_jp';
import iconv from 'iconv-lite';
import { MoreThan } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { BulkTransfer, BulkTransferLine } from '../../src/banking/bulk-transfers/bulk-transfer.entity';
import { businessDate } from '../../src/banking/calendar/business-day';
import { IdempotencyKey } from '../../src/banking/orders/idempotency-key.entity';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { DATA, TRAILER } from '../../src/banking/zengin/zengin-layout';
import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS, atBusinessMorning, bulkLines, monthDay, tokyoTime, zenginFile } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

const FIELDS = 'id status source lineCount totalAmount businessDate executionDate requestedDate requesterName executedAt failureCode';
const IMPORT = `mutation Import($file: String!, $from: Int!, $pw: String!, $key: String) {
  importBulkTransfer(fileBase64: $file, fromAccountId: $from, confirmationPassword: $pw, idempotencyKey: $key) { ${FIELDS} maker { loginId } }
}`;
const CREATE = `mutation Create($lines: [BulkTransferLineInput!]!, $from: Int!, $pw: String!, $date: String) {
  createBulkTransfer(lines: $lines, fromAccountId: $from, confirmationPassword: $pw, transferDate: $date) { ${FIELDS} }
}`;
const APPROVE = `mutation($id: Int!, $pw: String!) { approveBulkTransfer(bulkTransferId: $id, confirmationPassword: $pw) { ${FIELDS} approver { loginId } } }`;
const REJECT = `mutation($id: Int!, $pw: String!) { rejectBulkTransfer(bulkTransferId: $id, reason: "wrong month", confirmationPassword: $pw) { ${FIELDS} } }`;
const LINES = `query($id: Int!, $first: Int!, $after: Int) {
  bulkTransfer(id: $id) { id status lines(first: $first, after: $after) { items { lineNumber bankCode bankName branchCode branchName accountNumber payeeName amount } nextCursor } }
}`;

const base64 = (bytes: Buffer) => bytes.toString('base64');

/**
 * Issue 10, item 3: bulk transfers (総合振込) from a Zengin file or JSON lines — every record
 * checked, one confirmation, one approval, the total against the daily limits all or nothing,
 * and all lines executed in one transaction with their statement lines.
 */
describe('bulk transfers (総合振込)', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let approver: GraphqlClient;
  let accountId: number;
  let user01Id: number;
  let contractId: number;
  let today: string;
  const db = () => gw.gateway.services.db.writableManager;
  const makerPw = () => gw.credentials('user01').confirmationPassword;
  const approverPw = () => gw.credentials('user02').confirmationPassword;
  const importFile = (file: Buffer, pw = makerPw(), key?: string) => maker.query(IMPORT, { file: base64(file), from: accountId, pw, key });
  const usage = async (scope: string, day = today) => (await db().findOneBy(LimitUsage, { scopeKey: scope, businessDate: day }))?.used ?? 0;
  /** Everything a bulk transfer changes, for "nothing changed" and "changed exactly this" assertions. */
  const books = async () => ({
    bulkTransfers: await db().count(BulkTransfer),
    lines: await db().count(BulkTransferLine),
    statementLines: await db().count(StatementLine),
    balance: (await db().findOneByOrFail(Account, { id: accountId })).balance,
    userUsage: await usage(`user:${user01Id}`),
    contractUsage: await usage(`contract:${contractId}`),
    audit: await db().count(AuditEvent),
    failedAttempts: (await db().findOneByOrFail(User, { id: user01Id })).failedAttempts,
  });
  const setLimits = (values: { userDaily?: number; perTransfer?: number; contractDaily?: number; requiresApproval?: boolean }) =>
    gw.gateway.services.db.transaction(async (m) => {
      if (values.userDaily !== undefined) await m.update(User, { id: user01Id }, { dailyTransferLimit: values.userDaily });
      if (values.perTransfer !== undefined) await m.update(User, { id: user01Id }, { transferLimitPerTransaction: values.perTransfer });
      if (values.contractDaily !== undefined) await m.update(Contract, { id: contractId }, { dailyTransferLimit: values.contractDaily });
      if (values.requiresApproval !== undefined)
        await m.update(Contract, { id: contractId }, { requiresApproval: values.requiresApproval });
    });

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    today = atBusinessMorning(gw);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    user01Id = (await db().findOneByOrFail(User, { loginId: 'user01' })).id;
    contractId = (await db().findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
  });
  afterAll(() => gw.stop());

  it('successful: a Zengin file of 1,000 lines is imported, approved once and executed; balances, statement lines, limits and audit agree to the yen', async () => {
    const lines = bulkLines(1000, (n) => 1_000 + n);
    const total = lines.reduce((sum, line) => sum + line.amount, 0);
    expect(total).toBe(1_500_500);
    const before = await books();
    const auditBefore = (await db().find(AuditEvent, { order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;

    const imported = await importFile(zenginFile(lines, monthDay(today)));
    expect(imported.body.errors).toBeUndefined();
    const bulk = imported.body.data.importBulkTransfer;
    expect(bulk).toMatchObject({
      status: 'PENDING_APPROVAL',
      source: 'ZENGIN_FILE',
      lineCount: 1000,
      totalAmount: total,
      businessDate: today,
      executionDate: today,
      requestedDate: today,
      requesterName: 'ｶ)ﾃﾞﾓ ｺ-ﾎﾟﾚ-ｼﾖﾝ',
      maker: { loginId: 'user01' },
    });
    // Reserved at once, both limits, against the execution date; no money yet.
    expect(await books()).toMatchObject({
      lines: before.lines + 1000,
      balance: before.balance,
      userUsage: before.userUsage + total,
      contractUsage: before.contractUsage + total,
      statementLines: before.statementLines,
    });

    // Maker ≠ checker, for a bulk transfer as for a transfer.
    const own = await maker.query(APPROVE, { id: bulk.id, pw: makerPw() });
    expect(errorCode(own)).toBe('FORBIDDEN');

    const approved = await approver.query(APPROVE, { id: bulk.id, pw: approverPw() });
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.approveBulkTransfer).toMatchObject({
      status: 'EXECUTED',
      approver: { loginId: 'user02' },
      executionDate: today,
    });

    const after = await books();
    expect(after).toMatchObject({
      balance: before.balance - total,
      statementLines: before.statementLines + 1000,
      userUsage: before.userUsage + total,
      contractUsage: before.contractUsage + total,
      failedAttempts: 0,
    });
    const statement = await db().find(StatementLine, { where: { bulkTransferId: bulk.id }, order: { id: 'ASC' } });
    expect(statement).toHaveLength(1000);
    expect(statement.reduce((sum, line) => sum + line.amount, 0)).toBe(total);
    expect(statement.map((line) => line.amount)).toEqual(lines.map((line) => line.amount));
    // Each line's balance after it, down to the account's balance.
    expect(statement[0]).toMatchObject({ direction: 'DEBIT', balanceAfter: before.balance - 1_001, description: '総合振込 テスト 00001' });
    expect(statement[999].balanceAfter).toBe(before.balance - total);
    // One audit record per step of the bulk transfer, none per line.
    const audit = await db().find(AuditEvent, { where: { id: MoreThan(auditBefore) }, order: { id: 'ASC' } });
    expect(audit.map((event) => event.action).filter((action) => action !== AuditAction.LOGIN)).toEqual([
      AuditAction.BULK_TRANSFER_CREATED,
      AuditAction.BULK_TRANSFER_APPROVED,
      AuditAction.BULK_TRANSFER_EXECUTED,
    ]);
    expect(JSON.parse(audit.find((e) => e.action === AuditAction.BULK_TRANSFER_EXECUTED)!.detail!)).toMatchObject({
      lineCount: 1000,
      totalAmount: total,
      balanceAfter: before.balance - total,
    });
    expect(await db().count(Transfer)).toBe(0);
  });

  it('successful: the lines page in order with the directory’s bank and branch names; the result exports as CSV', async () => {
    const [bulk] = await db().find(BulkTransfer, { order: { id: 'ASC' }, take: 1 });
    const page1 = (await approver.query(LINES, { id: bulk.id, first: 2 })).body.data.bulkTransfer.lines;
    expect(page1.items).toEqual([
      {
        lineNumber: 1,
        bankCode: '1000',
        bankName: '信金中央金庫',
        branchCode: '001',
        branchName: '北海道',
        accountNumber: '1000001',
        payeeName: 'テスト 00001',
        amount: 1_001,
      },
      expect.objectContaining({ lineNumber: 2, bankCode: '1000', branchCode: '003', branchName: '東北' }),
    ]);
    const last = (await maker.query(LINES, { id: bulk.id, first: 1000, after: page1.nextCursor })).body.data.bulkTransfer.lines;
    expect(last.items.map((line: { lineNumber: number }) => line.lineNumber)).toEqual(Array.from({ length: 998 }, (_, i) => i + 3));
    expect(last.nextCursor).toBeNull();

    const file = await maker.download(`/downloads/bulk-transfer/${bulk.id}/result?encoding=utf-8`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="bulk-transfer-${bulk.id}-executed.csv"`);
    const csv = file.bytes.toString('utf8');
    expect(csv.startsWith('明細番号,銀行コード,銀行名,')).toBe(true);
    const rows = csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(1001);
    // Read a page (1,000 lines) at a time: every line once, in order.
    expect(rows.slice(1).map((row) => Number(row.split(',')[0]))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(rows[1]).toMatch(
      new RegExp(`^1,1000,信金中央金庫,001,北海道,普通,1000001,テスト 00001,1001,,,,振込済,${today.replaceAll('-', '/')},`),
    );
  });

  it('failing: a malformed file is refused with every problem by record and field, before the password, and nothing changes', async () => {
    const lines = bulkLines(6, () => 5_000);
    const records = zenginFile(lines, monthDay(today))
      .toString('latin1')
      .split('\r\n')
      .filter(Boolean)
      .map((record) => Buffer.from(record, 'latin1'));
    const put = (record: number, span: { start: number; length: number }, bytes: Buffer | string) =>
      (typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes).copy(records[record - 1], span.start);
    put(2, DATA.bankCode, '9999'); // no such bank
    put(3, DATA.branchCode, '999'); // no such branch at bank 1000
    put(4, DATA.accountNumber, '12345AB');
    put(5, DATA.payeeName, Buffer.concat([iconv.encode('山田', 'Shift_JIS'), Buffer.alloc(26, 0x20)]));
    put(6, DATA.amount, '0000000000');
    put(8, TRAILER.totalCount, '000007');
    records[6] = records[6].subarray(0, 119); // record 7: one byte short
    const file = Buffer.concat(records.flatMap((record) => [record, Buffer.from('\r\n')]));
    const before = await books();

    const refused = await importFile(file, 'NotMyPassword9');
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    const extensions = refused.body.errors![0].extensions!;
    expect(extensions).toMatchObject({ field: 'fileBase64', truncated: false });
    const problems = extensions.problems as Array<{ record: number; field: string; message: string }>;
    expect(problems.map(({ record, field }) => ({ record, field }))).toEqual([
      { record: 2, field: 'bankCode' },
      { record: 3, field: 'branchCode' },
      { record: 4, field: 'accountNumber' },
      { record: 5, field: 'payeeName' },
      { record: 6, field: 'amount' },
      { record: 7, field: 'record' },
      { record: 8, field: 'totalCount' },
    ]);
    expect(problems[0].message).toMatch(/9999 is not a bank/);
    expect(problems[1].message).toMatch(/Branch 999 does not exist at 1000 信金中央金庫/);
    expect(problems[4].message).toMatch(/zero/);
    expect(problems[5].message).toMatch(/119 bytes/);
    expect(refused.body.errors![0].message).toMatch(/7 problems; nothing was done/);
    expect(await books()).toEqual(before);
  });

  it.each([
    ['not base64', '@@@', /not base64/],
    ['empty', '', /empty/],
    ['UTF-8 instead of Shift_JIS', Buffer.from('1210ｶ)ﾃﾞﾓ', 'utf8').toString('base64'), /UTF-8/],
  ])('failing: a file that is %s is refused and nothing changes', async (_name, fileBase64, message) => {
    const before = await books();
    const refused = await maker.query(IMPORT, { file: fileBase64, from: accountId, pw: makerPw() });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(refused.body.errors![0])).toMatch(message);
    expect(await books()).toEqual(before);
  });

  it('failing: a file whose total crosses the daily limit is refused whole: LIMIT_EXCEEDED with what remains, nothing reserved, no line', async () => {
    const remaining = 3_000_000 - (await usage(`user:${user01Id}`));
    const lines = bulkLines(3, (n) => (n < 3 ? Math.floor(remaining / 3) : remaining - 2 * Math.floor(remaining / 3) + 1));
    expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(remaining + 1);
    const before = await books();
    const refused = await importFile(zenginFile(lines, monthDay(today)));
    expect(refused.body.errors![0].extensions).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'USER_DAILY', limitAmount: 3_000_000, remaining });
    expect(await books()).toEqual(before);

    // The contract's daily limit binds the total the same way.
    await setLimits({ userDaily: 1_000_000_000, contractDaily: before.contractUsage + 10_000 });
    const byContract = await importFile(
      zenginFile(
        bulkLines(2, () => 5_001),
        monthDay(today),
      ),
    );
    expect(byContract.body.errors![0].extensions).toEqual({
      code: 'LIMIT_EXCEEDED',
      limit: 'CONTRACT_DAILY',
      limitAmount: before.contractUsage + 10_000,
      remaining: 10_000,
    });
    expect(await books()).toEqual(before);
    await setLimits({ userDaily: 3_000_000, contractDaily: 10_000_000 });
  });

  it('failing: a line above the per-transfer limit refuses the file, naming its record, before the password', async () => {
    const before = await books();
    const refused = await importFile(
      zenginFile(
        bulkLines(3, (n) => (n === 2 ? 1_000_001 : 1_000)),
        monthDay(today),
      ),
      'NotMyPassword9',
    );
    expect(refused.body.errors![0].extensions).toEqual({
      code: 'LIMIT_EXCEEDED',
      limit: 'PER_TRANSFER',
      limitAmount: 1_000_000,
      remaining: 1_000_000,
      record: 3,
    });
    expect(await books()).toEqual(before);
  });

  it('failing: more lines than BULK_TRANSFER_MAX_LINES (10,000) are refused with the limit, before the password, as a file or as JSON', async () => {
    const maxLines = 10_000;
    const lines = bulkLines(maxLines + 1, () => 1);
    const before = await books();
    for (const refused of [
      await importFile(zenginFile(lines, monthDay(today)), 'NotMyPassword9'),
      await maker.query(CREATE, { lines, from: accountId, pw: 'NotMyPassword9' }),
    ]) {
      expect(refused.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxLines, lineCount: maxLines + 1 });
      expect(refused.body.errors![0].message).toMatch(/at most 10000 lines/);
    }
    expect(await books()).toEqual(before);
  });

  it('failing: a wrong confirmation password is checked once for the whole file: one attempt counted, nothing created', async () => {
    const before = await books();
    expect(
      errorCode(
        await importFile(
          zenginFile(
            bulkLines(50, () => 100),
            monthDay(today),
          ),
          'NotMyPassword9',
        ),
      ),
    ).toBe('LOGIN_FAILED');
    const after = await books();
    expect(after).toEqual({ ...before, failedAttempts: before.failedAttempts + 1, audit: after.audit });
    expect(await db().countBy(AuditEvent, { action: AuditAction.CONFIRMATION_PASSWORD_FAILED })).toBe(1);
    expect(
      errorCode(
        await importFile(
          zenginFile(
            bulkLines(1, () => 100),
            monthDay(today),
          ),
        ),
      ),
    ).toBeUndefined(); // resets the count
  });

  it('successful: rejection releases the whole reservation and moves no money', async () => {
    const made = (
      await importFile(
        zenginFile(
          bulkLines(10, () => 7_000),
          monthDay(today),
        ),
      )
    ).body.data.importBulkTransfer;
    const before = await books();
    const rejected = await approver.query(REJECT, { id: made.id, pw: approverPw() });
    expect(rejected.body.data.rejectBulkTransfer.status).toBe('REJECTED');
    const after = await books();
    expect({ user: after.userUsage, contract: after.contractUsage, balance: after.balance, lines: after.statementLines }).toEqual({
      user: before.userUsage - 70_000,
      contract: before.contractUsage - 70_000,
      balance: before.balance,
      lines: before.statementLines,
    });
  });

  it('successful: JSON lines are checked like a file’s records and, without approval, execute at once', async () => {
    await setLimits({ requiresApproval: false });
    const lines = bulkLines(3, (n) => n * 1_000).map((line, i) => ({ ...line, payeeName: ['ｶ)ﾃｽﾄ', 'カ)テスト', 'か)てすと'][i] }));
    const before = await books();
    const made = await maker.query(CREATE, { lines, from: accountId, pw: makerPw() });
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data.createBulkTransfer).toMatchObject({ status: 'EXECUTED', source: 'JSON', lineCount: 3, totalAmount: 6_000 });
    expect((await books()).balance).toBe(before.balance - 6_000);
    const stored = await db().find(BulkTransferLine, { where: { bulkTransferId: made.body.data.createBulkTransfer.id } });
    expect(stored.map((line) => line.payeeName)).toEqual(['カ)テスト', 'カ)テスト', 'カ)テスト']);

    const bad = [{ ...lines[0], bankCode: '0001', branchCode: '999' }, lines[1], { ...lines[2], payeeName: '山田', amount: 0 }];
    const refused = await maker.query(CREATE, { lines: bad, from: accountId, pw: 'NotMyPassword9' });
    expect(refused.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines' });
    expect(
      (refused.body.errors![0].extensions!.problems as Array<{ record: number; field: string }>).map((p) => [p.record, p.field]),
    ).toEqual([
      [1, 'branchCode'],
      [3, 'payeeName'],
      [3, 'amount'],
    ]);
    expect((refused.body.errors![0].extensions!.problems as Array<{ message: string }>)[0].message).toMatch(/みずほ/);
    await setLimits({ requiresApproval: true });
  });

  it('successful: a retry of an import with the same idempotency key answers the first bulk transfer and changes nothing', async () => {
    const file = zenginFile(
      bulkLines(20, () => 1_500),
      monthDay(today),
    );
    const first = (await importFile(file, makerPw(), 'payroll-2026-12')).body.data.importBulkTransfer;
    const before = await books();
    // The same file without line breaks is the same request.
    const withoutBreaks = Buffer.from(file.toString('latin1').replace(/\r\n/g, ''), 'latin1');
    const retry = await importFile(withoutBreaks, makerPw(), 'payroll-2026-12');
    expect(retry.body.data.importBulkTransfer.id).toBe(first.id);
    expect(await books()).toEqual({ ...before, audit: (await books()).audit });
    const other = await importFile(
      zenginFile(
        bulkLines(20, () => 1_501),
        monthDay(today),
      ),
      makerPw(),
      'payroll-2026-12',
    );
    expect(errorCode(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await db().countBy(IdempotencyKey, { idempotencyKey: 'payroll-2026-12' })).toBe(1);
  });

  it('successful: a later 振込指定日 in the file is honoured: 予約 for that business day, counted against its limits', async () => {
    const later = nextBusinessDay(nextBusinessDay(today));
    const made = (
      await importFile(
        zenginFile(
          bulkLines(2, () => 2_000),
          monthDay(later),
        ),
      )
    ).body.data.importBulkTransfer;
    expect(made).toMatchObject({ status: 'PENDING_APPROVAL', requestedDate: later, executionDate: later });
    expect(await usage(`user:${user01Id}`, later)).toBe(4_000);
    const approved = (await approver.query(APPROVE, { id: made.id, pw: approverPw() })).body.data.approveBulkTransfer;
    expect(approved).toMatchObject({ status: 'SCHEDULED', executionDate: later });
  });

  it('failing: a file asking for a day that is not a business day is refused at the header’s transferDate (INVALID_EXECUTION_DATE), never moved', async () => {
    const closed = Object.keys(holidayJp.holidays).find((date) => date > today && new Date(`${date}T00:00:00Z`).getUTCDay() !== 0)!;
    const before = await books();
    const refused = await importFile(
      zenginFile(
        bulkLines(2, () => 2_000),
        monthDay(closed),
      ),
    );
    expect(refused.body.errors![0].extensions).toEqual({
      code: 'INVALID_EXECUTION_DATE',
      reason: 'CLOSED_DAY',
      field: 'transferDate',
      record: 1,
      requestedDate: closed,
      firstPossibleDate: today,
      lastPossibleDate: expect.any(String),
    });
    expect(refused.body.errors![0].message).toMatch(/not a bank business day/);
    expect(await books()).toEqual(before);
  });

  it('successful: bulk transfers list with their lines and makers in the same number of SQL statements for 2 as for 8 (no N+1)', async () => {
    const LIST =
      '{ bulkTransfers(first: 50) { items { id maker { loginId } approver { loginId } lines(first: 3) { items { lineNumber } } } } }';
    const counter = gw.gateway.services.db.queryCounter;
    const measure = async () => {
      // The session's lastSeenAt is written at most every 10 s: let that happen before counting, not during.
      await approver.query('{ __typename }');
      const start = counter.count;
      const response = await approver.query(LIST);
      expect(response.body.errors).toBeUndefined();
      return { statements: counter.count - start, listed: response.body.data.bulkTransfers.items.length };
    };
    const few = await measure();
    for (let i = 0; i < 6; i++)
      await importFile(
        zenginFile(
          bulkLines(4, () => 100),
          monthDay(today),
        ),
      );
    const more = await measure();
    expect(more.listed).toBe(few.listed + 6);
    expect(more.statements).toBe(few.statements);
  });

  it('failing: a body larger than MAX_BODY_BYTES is refused with HTTP 413 before anything runs', async () => {
    const response = await maker.request('/graphql', {
      body: JSON.stringify({
        query: IMPORT,
        variables: { file: 'A'.repeat(gw.config.graphql.maxBodyBytes), from: accountId, pw: makerPw() },
      }),
    });
    expect(response.status).toBe(413);
    expect(errorCode(response as GraphqlResponse)).toBe('BAD_USER_INPUT');
  });
});

/** Bank days for bulk transfers: made on a closed day, it runs on the next business day, by the scheduled run. */
describe('bulk transfers on bank days', () => {
  let gw: TestGateway;
  afterAll(() => gw?.stop());

  it('successful: a bulk transfer made on a Saturday without a date is 予約 for the next business day and executes then, once, with every statement line', async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    const db = gw.gateway.services.db.writableManager;
    const contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { id: contractId }, { requiresApproval: false }));
    let saturday = businessDate(gw.clock.now());
    do saturday = new Date(Date.parse(`${saturday}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    while (new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6);
    gw.clock.moveTo(tokyoTime(saturday, '11:00'));
    const maker = await sessionAs(gw, 'user01');
    const accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    const opening = (await db.findOneByOrFail(Account, { id: accountId })).balance;
    // (A Zengin file always names its day: one for the Saturday is refused, CLOSED_DAY; JSON lines need not name one.)
    const made = await maker.query(CREATE, {
      lines: bulkLines(100, (n) => n),
      from: accountId,
      pw: gw.credentials('user01').confirmationPassword,
    });
    const monday = nextBusinessDay(saturday);
    expect(made.body.data.createBulkTransfer).toMatchObject({
      status: 'SCHEDULED',
      businessDate: saturday,
      executionDate: monday,
      requestedDate: null,
      totalAmount: 5_050,
    });
    const userId = (await db.findOneByOrFail(User, { loginId: 'user01' })).id;
    expect((await db.findOneByOrFail(LimitUsage, { scopeKey: `user:${userId}`, businessDate: monday })).used).toBe(5_050);

    gw.clock.moveTo(tokyoTime(monday, '00:01'));
    expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 1, failed: 0, taken: 0 });
    expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 0, failed: 0, taken: 0 });
    const bulk = await db.findOneByOrFail(BulkTransfer, { id: made.body.data.createBulkTransfer.id });
    expect(bulk).toMatchObject({ status: 'EXECUTED', executionDate: monday });
    expect((await db.findOneByOrFail(Account, { id: accountId })).balance).toBe(opening - 5_050);
    const lines = await db.findBy(StatementLine, { bulkTransferId: bulk.id });
    expect(lines).toHaveLength(100);
    expect(lines.every((line) => line.businessDate === monday)).toBe(true);
    expect(await db.countBy(AuditEvent, { action: AuditAction.BULK_TRANSFER_EXECUTED })).toBe(1);
  });
});
