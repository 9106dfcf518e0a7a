import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { Between } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account, AccountType } from '../../src/banking/accounts/account.entity';
import { StatementDirection, StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { ACCOUNTS } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { onboardContract, onboardUser, sessionAs } from '../helpers/lifecycle';
import { bookedLines, sampleMovements, type Movement } from '../helpers/statement-lines';
import { readZenginStatement, reiwaDate } from '../helpers/zengin-statement-reader';

type Download = Awaited<ReturnType<GraphqlClient['download']>>;

const refusal = (download: Download) => {
  expect(download.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(download.bytes.toString('utf8')) as GraphqlResponse['body'];
};

/** December 2030: fixed days after the demo history (which is dated from the day the test runs). */
const MOVEMENTS: Movement[] = [
  ...sampleMovements('2030-12'),
  ['2030-12-05', StatementDirection.CREDIT, 20_000, '振込 髙橋①'],
  ['2030-12-06', StatementDirection.DEBIT, 1, '=HYPERLINK("http://x")'],
];

/**
 * Issue 17, item 7: 入出金明細 for accounting software, streamed over HTTPS with the session of
 * /graphql, the GraphQL statement's account rule, audited: Shift_JIS CSV with Japanese headers
 * (UTF-8 on request) and the 全銀協 入出金取引明細 file.
 */
describe('statement downloads (GET /downloads/statement)', () => {
  let gw: TestGateway;
  let user: GraphqlClient;
  let account: Account;
  let lines: StatementLine[];
  let opening: number;
  const db = () => gw.gateway.services.db.writableManager;
  const statement = (query: string, id = account.id) => `/downloads/statement?accountId=${id}&${query}`;
  const DECEMBER = 'from=2030-12-01&to=2030-12-31';
  const downloadsBy = (loginId: string) => db().countBy(AuditEvent, { action: AuditAction.STATEMENT_DOWNLOADED, actorLoginId: loginId });
  /** March 2032 on the second account (the 2,170-line case books it): its days, in order. */
  const day = (n: number) => `2032-03-${String(n).padStart(2, '0')}`;
  let second: number;
  let march: StatementLine[];

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    user = await sessionAs(gw, 'user01');
    const accountId: number = (await user.query(ACCOUNTS)).body.data.accounts[0].id;
    account = await db().findOneByOrFail(Account, { id: accountId });
    opening = account.balance;
    const booked = bookedLines(accountId, opening, MOVEMENTS);
    await db().insert(StatementLine, booked);
    await db().update(Account, { id: accountId }, { balance: booked.at(-1)!.balanceAfter });
    lines = await db().find(StatementLine, { where: { accountId }, order: { id: 'ASC' } });
    lines = lines.slice(-MOVEMENTS.length);
  });
  afterAll(() => gw.stop());

  it('is a Shift_JIS CSV by default that Debian’s iconv reads as the UTF-8 download (〓 for what JIS lacks), headers and all; each download audited', async () => {
    const before = await downloadsBy('user01');
    const sjis = await user.download(statement(DECEMBER));
    expect(sjis.status).toBe(200);
    expect(sjis.headers).toMatchObject({
      'content-type': 'text/csv; charset=Shift_JIS',
      'content-disposition': `attachment; filename="statement-${account.accountNumber}-20301201-20301231.csv"`,
      'cache-control': 'no-store',
      'transfer-encoding': 'chunked',
    });
    const utf8 = await user.download(statement(`${DECEMBER}&encoding=utf-8`));
    expect(utf8.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(utf8.bytes[0]).not.toBe(0xef); // no byte-order mark
    const viaIconv = execFileSync('iconv', ['-f', 'SHIFT_JIS', '-t', 'UTF-8'], { input: sjis.bytes }).toString('utf8');
    expect(viaIconv).toBe(utf8.bytes.toString('utf8').replace('髙橋①', '〓橋〓'));

    const rows: Array<Record<string, string>> = parse(viaIconv, { columns: true });
    expect(rows).toEqual(
      lines.map((line) => ({
        日付: line.businessDate.replaceAll('-', '/'),
        摘要: line.description.replace('髙橋①', '〓橋〓').replace(/^=/, "'="),
        お支払金額: line.direction === StatementDirection.DEBIT ? String(line.amount) : '',
        お預り金額: line.direction === StatementDirection.CREDIT ? String(line.amount) : '',
        残高: String(line.balanceAfter),
        照会番号: String(line.id),
      })),
    );
    expect(await downloadsBy('user01')).toBe(before + 2);
    const audited = await db().findOneOrFail(AuditEvent, { where: { action: AuditAction.STATEMENT_DOWNLOADED }, order: { id: 'DESC' } });
    expect(audited).toMatchObject({
      actorLoginId: 'user01',
      contractId: account.contractId,
      targetType: 'Account',
      targetId: String(account.id),
    });
    expect(JSON.parse(audited.detail!)).toEqual({ from: '2030-12-01', to: '2030-12-31', format: 'csv', encoding: 'utf-8' });
  });

  it('is the 全銀協 入出金取引明細 file with format=zengin: read back field by field against the account and its lines', async () => {
    const file = await user.download(statement(`${DECEMBER}&format=zengin`));
    expect(file.headers).toMatchObject({
      'content-type': 'text/plain; charset=Shift_JIS',
      'content-disposition': `attachment; filename="statement-${account.accountNumber}-20301201-20301231.txt"`,
    });
    expect(file.bytes.length).toBe((MOVEMENTS.length + 3) * 202);
    const read = readZenginStatement(file.bytes);
    expect(read.header).toMatchObject({
      typeCode: '03',
      from: '121201', // 令和12年
      to: '121231',
      bankCode: gw.config.bank.code, // this bank (BANK_CODE)
      branchCode: account.branchCode,
      accountType: account.accountType === AccountType.ORDINARY ? '1' : '2',
      accountNumber: account.accountNumber.padStart(10, '0'),
      accountName: 'ｶ)ﾃﾞﾓｼﾖｳｼﾞ'.padEnd(40),
      openingBalance: String(opening).padStart(14, '0'),
    });
    expect(reiwaDate(read.header.createdOn)).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(gw.clock.now()));
    expect(read.data.map((d) => [reiwaDate(d.bookingDate), d.direction, Number(d.amount), Number(d.inquiryNumber)])).toEqual(
      lines.map((l) => [l.businessDate, l.direction === StatementDirection.CREDIT ? '1' : '2', l.amount, l.id]),
    );
    expect(read.data.map((d) => [d.transactionKind, d.summary.trimEnd(), d.remitterName.trimEnd()])).toEqual([
      ['11', 'ﾌﾘｺﾐ ｶ)ｻﾝﾌﾟﾙｼｮｳｼﾞ', 'ｶ)ｻﾝﾌﾟﾙｼｮｳｼﾞ'],
      ['11', 'ﾌﾘｺﾐ ﾕ)ﾃﾞﾓﾌﾞｯｻﾝ', ''],
      ['14', 'ｺｳﾌﾘ ﾃﾞﾝｷﾘｮｳｷﾝ', ''],
      ['11', 'ｿｳﾌﾘ ﾃｽﾄ 0001', ''],
      ['11', 'ﾌﾘｺﾐ **1', '**1'], // kanji have no half-width form: one "*" each; ① is 1 (NFKC)
      ['18', '=HYPERLINK("HTTP://X', ''], // 20 bytes of 摘要内容, upper case
    ]);
    const credits = lines.filter((l) => l.direction === StatementDirection.CREDIT);
    const debits = lines.filter((l) => l.direction === StatementDirection.DEBIT);
    const sum = (ls: StatementLine[]) => ls.reduce((s, l) => s + l.amount, 0);
    expect(read.trailer).toMatchObject({
      creditCount: String(credits.length).padStart(6, '0'),
      creditTotal: String(sum(credits)).padStart(13, '0'),
      debitCount: String(debits.length).padStart(6, '0'),
      debitTotal: String(sum(debits)).padStart(13, '0'),
      closingBalance: String(lines.at(-1)!.balanceAfter).padStart(14, '0'),
      dataCount: String(lines.length).padStart(7, '0'),
    });
    expect(read.end).toMatchObject({ recordCount: String(lines.length + 2).padStart(10, '0'), accountCount: '00001' });
  });

  it('opens each period at the balance before it: a later half, a quiet month, a month before any movement', async () => {
    const zengin = async (query: string) => readZenginStatement((await user.download(statement(`${query}&format=zengin`))).bytes);
    const later = await zengin('from=2030-12-05&to=2030-12-31');
    expect(Number(later.header.openingBalance)).toBe(lines[2].balanceAfter);
    expect(later.data).toHaveLength(3);
    const after = await zengin('from=2031-01-01&to=2031-01-31');
    const before = await zengin('from=2030-11-01&to=2030-11-30');
    expect([after.data.length, Number(after.header.openingBalance), Number(after.trailer.closingBalance)]).toEqual([
      0,
      lines.at(-1)!.balanceAfter,
      lines.at(-1)!.balanceAfter,
    ]);
    expect([before.data.length, Number(before.header.openingBalance), Number(before.trailer.closingBalance)]).toEqual([
      0,
      opening,
      opening,
    ]);
  });

  it('arrives whole across the read’s pages: a month of 2,170 lines, 1,300 of them on one day, between busier days before and after, each line once, in order', async () => {
    second = (await user.query(ACCOUNTS)).body.data.accounts[1].id;
    const { balance } = await db().findOneByOrFail(Account, { id: second });
    const movements: Movement[] = [
      ...Array.from({ length: 300 }, (_, i): Movement => ['2032-02-29', StatementDirection.CREDIT, 1_000 + i, `前月 ${i}`]),
      // Nothing on the 1st; the 2nd is more than a page on either engine, so pages also end within a day.
      ...Array.from({ length: 2_170 }, (_, i): Movement => [
        day(i < 1_300 ? 2 : 3 + Math.floor((i - 1_300) / 30)),
        StatementDirection.DEBIT,
        1 + i,
        `当月 ${i}`,
      ]),
      ...Array.from({ length: 300 }, (_, i): Movement => ['2032-04-01', StatementDirection.CREDIT, 2_000 + i, `翌月 ${i}`]),
    ];
    const booked = bookedLines(second, balance, movements);
    for (let start = 0; start < booked.length; start += 500) await db().insert(StatementLine, booked.slice(start, start + 500));
    march = await db().find(StatementLine, {
      where: { accountId: second, businessDate: Between(day(1), day(31)) },
      order: { id: 'ASC' },
    });
    expect(march).toHaveLength(2_170); // more than a page on either engine (250 on SQLite, 1,000 on a server)

    const csv = await user.download(statement(`from=${day(1)}&to=${day(31)}&encoding=utf-8`, second));
    const rows: Array<Record<string, string>> = parse(csv.bytes.toString('utf8'), { columns: true });
    expect(rows.map((row) => [row.照会番号, row.摘要, row.残高])).toEqual(
      march.map((line) => [String(line.id), line.description, String(line.balanceAfter)]),
    );
    const zengin = readZenginStatement((await user.download(statement(`from=${day(1)}&to=${day(31)}&format=zengin`, second))).bytes);
    expect([zengin.data.length, Number(zengin.header.openingBalance), Number(zengin.trailer.closingBalance)]).toEqual([
      2_170,
      march[0].balanceAfter + march[0].amount,
      march.at(-1)!.balanceAfter,
    ]);
  });

  it('pages the same month in the GraphQL statement (the web’s 入出金明細) newest first, by day and then as booked, each line once, from any cursor', async () => {
    const STATEMENT = `query($a: Int!, $first: Int!, $before: Int, $from: String, $to: String) {
      statement(accountId: $a, first: $first, before: $before, from: $from, to: $to) { items { id businessDate } nextCursor }
    }`;
    const pageThrough = async (variables: Record<string, unknown>, before: number | null = null) => {
      const read: Array<{ id: number; businessDate: string }> = [];
      for (let pages = 0; pages < 100; pages++) {
        const response = await user.query(STATEMENT, { a: second, first: 200, ...variables, before });
        expect(response.body.errors).toBeUndefined();
        read.push(...response.body.data.statement.items);
        before = response.body.data.statement.nextCursor;
        if (before === null) return read;
      }
      throw new Error('more than 100 pages');
    };
    const newestFirst = (lines: StatementLine[]) => lines.map(({ id, businessDate }) => ({ id, businessDate })).reverse();
    // Eleven pages of 200; the 2nd alone is seven, ending within the day.
    expect(await pageThrough({ from: day(1), to: day(31) })).toEqual(newestFirst(march));
    expect(await pageThrough({ from: day(2), to: day(2) })).toEqual(newestFirst(march.filter((line) => line.businessDate === day(2))));
    // From a cursor in the middle of the 2nd, and from numbers that are no line’s: the lines older than them.
    const onTheSecond = march.filter((line) => line.businessDate === day(2));
    const middle = onTheSecond[650].id;
    expect(await pageThrough({ from: day(1), to: day(31) }, middle)).toEqual(newestFirst(onTheSecond.slice(0, 650)));
    expect(await pageThrough({ to: day(3) }, march.at(-1)!.id + 10_000)).toEqual(
      newestFirst(
        (await db().find(StatementLine, { where: { accountId: second }, order: { id: 'ASC' } })).filter(
          (line) => line.businessDate <= day(3),
        ),
      ),
    );
    expect(await pageThrough({}, 0)).toEqual([]);

    // A line booked late for an earlier day is listed on its day, as the download lists it.
    const [late] = bookedLines(second, march.at(-1)!.balanceAfter, [[day(2), StatementDirection.CREDIT, 7, '訂正 入金']]);
    const { id: lateId } = await db().save(db().create(StatementLine, late));
    const withLate = await pageThrough({ from: day(2), to: day(3) });
    expect(withLate.findIndex((line) => line.id === lateId)).toBe(march.filter((line) => line.businessDate === day(3)).length);
    const csv = await user.download(statement(`from=${day(2)}&to=${day(3)}&encoding=utf-8`, second));
    const rows: Array<Record<string, string>> = parse(csv.bytes.toString('utf8'), { columns: true });
    expect(rows.map((row) => Number(row.照会番号)).reverse()).toEqual(withLate.map((line) => line.id));
    await db().delete(StatementLine, { id: lateId });
  });

  it('finds a period’s lines and the balance before them by day, not by reading the account’s other lines (EXPLAIN on the suite’s engine)', async () => {
    const { db: database, statementFiles, accounts } = gw.gateway.services;
    const sqlite = database.isSqlite;
    const balanceBefore =
      'SELECT id FROM statement_lines WHERE accountId = ? AND businessDate >= ? ORDER BY businessDate ASC, id ASC LIMIT 1'; // balanceAtStartOf's findOne
    // The download reads every page, the first included, by the keyset (PreparedPages.read with `from`);
    // the GraphQL statement reads its pages backwards by the keyset from the page's start.
    const [, periodPage] = statementFiles['linesOfPeriod'].statements;
    const queryPage = accounts['statementPage'].sql;
    const statements = [periodPage, balanceBefore, queryPage];
    const parameters = [
      [1, '2032-03-31', '2032-03-02', '2032-03-02', 5],
      [1, '2032-03-01'],
      [1, '2032-03-01', '2032-03-15', '2032-03-15', 900, 51],
    ];
    const plans = await Promise.all(
      statements.map(async (sql, i) => {
        const rows: Array<Record<string, unknown>> = await db().query(`${sqlite ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${sql}`, parameters[i]);
        return rows.map((row) => (sqlite ? String(row.detail) : `${String(row.key)} ${String(row.type)} ${String(row.Extra)}`)).join('; ');
      }),
    );
    for (const plan of plans) {
      // SQLite: SEARCH … USING INDEX IDX_statement_lines_account_day (accountId=? AND businessDate>? …), no TEMP B-TREE.
      // MySQL/MariaDB: key IDX_statement_lines_account_day, type range, no filesort.
      expect({
        plan,
        byDay: sqlite
          ? /IDX_statement_lines_account_day \(accountId=\? AND businessDate>/.test(plan)
          : /^IDX_statement_lines_account_day range/.test(plan),
        sorts: /TEMP B-TREE|filesort/i.test(plan),
      }).toEqual({ plan, byDay: true, sorts: false });
    }
  });

  it('refuses another contract’s account as the GraphQL statement does, and a caller without ACCOUNT_INQUIRY at the door', async () => {
    const operator = await sessionAs(gw, 'operator01');
    const other = await onboardContract(gw, operator, 'STMT0001', 'statement-admin');
    const foreign = await db().save(
      db().create(Account, {
        contractId: other.contractId,
        branchCode: '001',
        branchName: '本店',
        accountType: AccountType.ORDINARY,
        accountNumber: '7777777',
        holderName: 'カ)ヨソ',
        balance: 1_000,
        createdAt: gw.clock.now(),
      }),
    );
    const before = await downloadsBy('user01');
    for (const id of [foreign.id, 999_999]) {
      const graphql = await user.query('query($a: Int!) { statement(accountId: $a) { nextCursor } }', { a: id });
      const download = await user.download(statement(DECEMBER, id));
      expect([download.status, refusal(download).errors![0].extensions]).toEqual([
        403,
        expect.objectContaining({ code: errorCode(graphql) }),
      ]);
      expect(errorCode(graphql)).toBe('FORBIDDEN');
    }
    const admin = await sessionAs(gw, 'admin01');
    const makerOnly = await onboardUser(gw, admin, gw.credentials('admin01').confirmationPassword, 'statement-maker', ['TRANSFER']);
    const door = await makerOnly.client.download(statement(DECEMBER));
    expect([door.status, refusal(door).errors![0].extensions]).toEqual([
      403,
      expect.objectContaining({ code: 'FORBIDDEN', required: 'ACCOUNT_INQUIRY' }),
    ]);
    expect(await downloadsBy('user01')).toBe(before);
  });

  it('answers bad dates, formats and encodings with 400 BAD_USER_INPUT naming the field, before any byte of a file; nothing is audited', async () => {
    const before = await downloadsBy('user01');
    const cases: Array<[string, string]> = [
      [statement('from=2030-02-30&to=2030-03-31'), 'from'],
      [statement('from=2030/12/01&to=2030-12-31'), 'from'],
      [statement('from=2030-12-31&to=2030-12-01'), 'to'],
      [statement('from=2030-12-01'), 'to'],
      [statement(`${DECEMBER}&from=2030-12-02`), 'from'],
      [statement(DECEMBER, Number.NaN), 'accountId'],
      [statement(`${DECEMBER}&format=xlsx`), 'format'],
      [statement(`${DECEMBER}&encoding=euc-jp`), 'encoding'],
      [statement(`${DECEMBER}&format=zengin&encoding=utf-8`), 'encoding'],
    ];
    for (const [path, field] of cases) {
      const answer = await user.download(path);
      expect([path, answer.status, refusal(answer).errors![0].extensions]).toEqual([
        path,
        400,
        expect.objectContaining({ code: 'BAD_USER_INPUT', field }),
      ]);
    }
    expect(await downloadsBy('user01')).toBe(before);
  });

  it('answers 401 without a PIN session and nothing without a certificate', async () => {
    const answer = await gw.asUser('user02').download(statement(DECEMBER));
    expect([answer.status, refusal(answer).errors![0].extensions!.code]).toEqual([401, 'UNAUTHENTICATED']);
    await expect(gw.withoutCertificate().download(statement(DECEMBER))).rejects.toThrow();
  });
});
