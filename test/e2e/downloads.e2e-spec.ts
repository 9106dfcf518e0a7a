import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { AuditAction } from '../../src/audit/audit-action';
import { chainOf } from '../../src/audit/audit-chain';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { User } from '../../src/users/user.entity';
import { fillerAuditEvent } from '../helpers/audit';
import { loginAsPartner } from '../helpers/auth';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { bulkLines, monthDay, zenginFile } from '../helpers/banking';
import { errorCode, GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { onboardContract, onboardUser, sessionAs } from '../helpers/lifecycle';

type Download = Awaited<ReturnType<GraphqlClient['download']>>;

/** A refused download answers as GraphQL refusals do: a JSON body with coded errors. */
const refusal = (download: Download) => {
  expect(download.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(download.bytes.toString('utf8')) as GraphqlResponse['body'];
};
const codeOf = (download: Download) => refusal(download).errors?.[0]?.extensions?.code;

const IMPORT = `mutation Import($file: String!, $pw: String!) {
  importBulkTransfer(fileBase64: $file, fromAccountId: 1, confirmationPassword: $pw) { id lineCount }
}`;

/**
 * Issue 21, item 10: large results are streamed HTTP downloads, not GraphQL strings — on the API
 * listener, authorised by the session /graphql uses (bound to the certificate), with the same
 * access and contract-scope rules as the fields they replace, audited, written page by page.
 */
describe('downloads (GET /downloads/…)', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let admin: GraphqlClient;
  let operator: GraphqlClient;
  let bulkId: number;
  let contractId: number;
  const db = () => gw.gateway.services.db.writableManager;
  const resultPath = () => `/downloads/bulk-transfer/${bulkId}/result`;

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    // The file asks for the next business day (予約): the clock stays real, so certificates enrolled later are valid now.
    const day = nextBusinessDay(businessDate(gw.clock.now()));
    maker = await sessionAs(gw, 'user01');
    admin = await sessionAs(gw, 'admin01');
    operator = await sessionAs(gw, 'operator01');
    contractId = (await db().findOneByOrFail(User, { loginId: 'user01' })).contractId!;
    // Through the real import path: a Zengin file whose payee name and EDI a spreadsheet would run.
    const lines = bulkLines(3, (n) => n * 1_000);
    lines[0] = { ...lines[0], payeeName: '-SUM(A1/A1)' };
    const hostile = { ...lines[1], ediInfo: '-2-3' };
    const file = zenginFile([lines[0], hostile, lines[2]] as typeof lines, monthDay(day));
    const imported = await maker.query(IMPORT, { file: file.toString('base64'), pw: gw.credentials('user01').confirmationPassword });
    expect(imported.body.errors).toBeUndefined();
    bulkId = imported.body.data.importBulkTransfer.id;
  });
  afterAll(() => gw.stop());

  it('a bulk transfer’s result is a Shift_JIS CSV with Japanese headers, named, no-store, streamed, and the download is audited', async () => {
    const before = await db().countBy(AuditEvent, { action: AuditAction.BULK_TRANSFER_RESULT_DOWNLOADED });
    const file = await maker.download(resultPath());
    expect(file.status).toBe(200);
    expect(file.headers).toMatchObject({
      'content-type': 'text/csv; charset=Shift_JIS',
      'content-disposition': `attachment; filename="bulk-transfer-${bulkId}-pending_approval.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'transfer-encoding': 'chunked',
    });
    const text = execFileSync('iconv', ['-f', 'SHIFT_JIS', '-t', 'UTF-8'], { input: file.bytes }).toString('utf8');
    const rows = text.split('\r\n');
    expect(rows[0]).toBe(
      '明細番号,銀行コード,銀行名,支店コード,支店名,預金種目,口座番号,受取人名,振込金額,顧客コード1,顧客コード2,EDI情報,結果,振込指定日,処理日時,不能事由',
    );
    expect(rows.slice(1, -1).map((row) => row.split(',')[0])).toEqual(['1', '2', '3']);
    expect(rows.slice(1, -1).map((row) => row.split(',')[12])).toEqual(['承認待ち', '承認待ち', '承認待ち']);
    expect(rows.at(-1)).toBe('');
    // encoding=utf-8: the same text, without a byte-order mark.
    const utf8 = await maker.download(`${resultPath()}?encoding=utf-8`);
    expect([utf8.headers['content-type'], utf8.bytes.toString('utf8')]).toEqual(['text/csv; charset=utf-8', text]);
    const audited = await db().find(AuditEvent, { where: { action: AuditAction.BULK_TRANSFER_RESULT_DOWNLOADED }, order: { id: 'DESC' } });
    expect(audited).toHaveLength(before + 2);
    expect(audited[0]).toMatchObject({ actorLoginId: 'user01', contractId, targetType: 'BulkTransfer', targetId: String(bulkId) });
  });

  it('a result as a Zengin file, or in another encoding, is refused with 400 naming the field: Zengin has no 振込結果 record', async () => {
    for (const [query, field] of [
      ['format=zengin', 'format'],
      ['format=pdf', 'format'],
      ['encoding=euc-jp', 'encoding'],
    ]) {
      const answer = await maker.download(`${resultPath()}?${query}`);
      expect([answer.status, refusal(answer).errors![0].extensions]).toEqual([
        400,
        expect.objectContaining({ code: 'BAD_USER_INPUT', field }),
      ]);
    }
  });

  it('a salary transfer’s result: its payday as 振込指定日, for its maker and the salary approvers only, audited as its own action', async () => {
    const adminPw = gw.credentials('admin01').confirmationPassword;
    const clerk = await onboardUser(gw, admin, adminPw, 'salary-clerk', ['SALARY_TRANSFER']);
    const otherClerk = await onboardUser(gw, admin, adminPw, 'salary-clerk2', ['SALARY_TRANSFER']);
    const checker = await onboardUser(gw, admin, adminPw, 'salary-checker', ['SALARY_APPROVAL']);
    const settings = await operator.query(
      'mutation($c: Int!, $pw: String!) { setContractTransferSettings(contractId: $c, settings: { dailyTransferLimit: 100000000, requiresApproval: true, dailySalaryTransferLimit: 10000000 }, note: "給与振込契約", confirmationPassword: $pw) { id } }',
      { c: contractId, pw: gw.credentials('operator01').confirmationPassword },
    );
    expect(settings.body.errors).toBeUndefined();
    // Five business days ahead: before its submission deadline (three business days before), whatever the hour.
    const payday = [1, 2, 3, 4, 5].reduce((day) => nextBusinessDay(day), businessDate(gw.clock.now()));
    const made = await clerk.client.query(
      'mutation($i: CreateSalaryTransferInput!, $pw: String!) { createSalaryTransfer(input: $i, confirmationPassword: $pw) { id executionDate } }',
      { i: { fromAccountId: 1, category: 'SALARY', payday, lines: bulkLines(2, (n) => n * 100_000) }, pw: clerk.confirmationPassword },
    );
    expect(made.body.errors).toBeUndefined();
    const { id, executionDate } = made.body.data.createSalaryTransfer;
    const path = `/downloads/salary-transfer/${id}/result`;

    const file = await clerk.client.download(path);
    expect([file.status, file.headers['content-type'], file.headers['content-disposition']]).toEqual([
      200,
      'text/csv; charset=Shift_JIS',
      `attachment; filename="salary-transfer-${id}-pending_approval.csv"`,
    ]);
    const text = execFileSync('iconv', ['-f', 'SHIFT_JIS', '-t', 'UTF-8'], { input: file.bytes }).toString('utf8');
    const rows = text.split('\r\n').slice(0, -1);
    expect(rows[0]).toBe(
      '明細番号,銀行コード,銀行名,支店コード,支店名,預金種目,口座番号,受取人名,振込金額,顧客コード1,顧客コード2,EDI情報,結果,振込指定日,処理日時,不能事由',
    );
    // The employees' day, not the debit date (the business day before it).
    expect(executionDate).not.toBe(payday);
    expect(rows.slice(1).map((row) => row.split(',').slice(8, 14))).toEqual([
      ['100000', '', '', '', '承認待ち', payday.replaceAll('-', '/')],
      ['200000', '', '', '', '承認待ち', payday.replaceAll('-', '/')],
    ]);
    // The approver sees every salary transfer of the contract; UTF-8 is the same text.
    const utf8 = await checker.client.download(`${path}?encoding=utf-8`);
    expect([utf8.status, utf8.bytes.toString('utf8')]).toEqual([200, text]);
    const audited = await db().find(AuditEvent, { where: { action: AuditAction.SALARY_TRANSFER_RESULT_DOWNLOADED }, order: { id: 'ASC' } });
    expect(audited.map((e) => [e.actorLoginId, e.targetType, e.targetId])).toEqual([
      ['salary-clerk', 'SalaryTransfer', String(id)],
      ['salary-checker', 'SalaryTransfer', String(id)],
    ]);

    // Another maker: NOT_FOUND, as salaryTransfer(id) says; a supplier-payment maker: refused at the door; Zengin: no result record.
    const asked = await otherClerk.client.query('query($id: Int!) { salaryTransfer(id: $id) { id } }', { id });
    const notTheirs = await otherClerk.client.download(path);
    expect([notTheirs.status, codeOf(notTheirs), errorCode(asked)]).toEqual([404, 'NOT_FOUND', 'NOT_FOUND']);
    const door = await maker.download(path);
    expect([door.status, codeOf(door), refusal(door).errors![0].extensions!.required]).toEqual([
      403,
      'FORBIDDEN',
      'SALARY_TRANSFER_OR_APPROVAL',
    ]);
    const zengin = await clerk.client.download(`${path}?format=zengin`);
    expect([zengin.status, refusal(zengin).errors![0].extensions]).toEqual([
      400,
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'format' }),
    ]);
    expect(await db().countBy(AuditEvent, { action: AuditAction.SALARY_TRANSFER_RESULT_DOWNLOADED })).toBe(2);
  });

  it('failing: a payee name or EDI a spreadsheet would run as a formula (-SUM(A1/A1), -2-3) is written as text; amounts stay numbers', async () => {
    const rows = (await maker.download(`${resultPath()}?encoding=utf-8`)).bytes.toString('utf8').split('\r\n');
    const cells = (row: string) => row.split(',');
    expect(cells(rows[1])[7]).toBe("'-SUM(A1/A1)");
    expect(cells(rows[2])[11]).toBe("'-2-3");
    expect(rows.slice(1, 4).map((row) => cells(row)[8])).toEqual(['1000', '2000', '3000']);
  });

  it('successful: the audit log downloads as JSON Lines of the caller’s contract, oldest first, within from–to', async () => {
    const all = await admin.download('/downloads/audit-log');
    expect(all.status).toBe(200);
    expect(all.headers).toMatchObject({
      'content-type': 'application/jsonl; charset=utf-8',
      'content-disposition': `attachment; filename="audit-log-contract-${contractId}.jsonl"`,
      'cache-control': 'no-store',
    });
    const lines = all.bytes
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const events = await db().find(AuditEvent, { where: { contractId }, order: { id: 'ASC' } });
    expect(lines.map((line) => line.id)).toEqual(events.map((event) => event.id));
    expect(lines.at(-1)).toMatchObject({ action: AuditAction.AUDIT_LOG_DOWNLOADED, actorLoginId: 'admin01' });

    const from = events[1].occurredAt.toISOString();
    const to = events[3].occurredAt.toISOString();
    const period = await admin.download(`/downloads/audit-log?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    const inPeriod = events.filter((e) => e.occurredAt >= events[1].occurredAt && e.occurredAt <= events[3].occurredAt);
    expect(
      period.bytes
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual(inPeriod.map((e) => e.id));

    const bad = await admin.download('/downloads/audit-log?from=yesterday');
    expect(bad.status).toBe(400);
    expect(refusal(bad).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('failing: another contract, or another maker’s bulk transfer, is refused as the GraphQL fields refuse it', async () => {
    // An operator names the contract, as for auditEvents; without one it is BAD_USER_INPUT.
    expect((await operator.download(`/downloads/audit-log?contractId=${contractId}`)).status).toBe(200);
    const unnamed = await operator.download('/downloads/audit-log');
    expect([unnamed.status, codeOf(unnamed)]).toEqual([400, 'BAD_USER_INPUT']);

    // Another contract's administrator: FORBIDDEN for the demo contract's log, as auditEvents says.
    const other = await onboardContract(gw, operator, 'DWNL0001', 'download-admin');
    const graphql = await other.client.query('query($c: Int) { auditEvents(contractId: $c) { nextCursor } }', { c: contractId });
    const foreign = await other.client.download(`/downloads/audit-log?contractId=${contractId}`);
    expect([foreign.status, codeOf(foreign)]).toEqual([403, errorCode(graphql)]);
    expect(errorCode(graphql)).toBe('FORBIDDEN');

    // A maker without TRANSFER_APPROVAL sees only their own bulk transfers: NOT_FOUND, as bulkTransfer(id) says.
    const adminPw = gw.credentials('admin01').confirmationPassword;
    const makerOnly = await onboardUser(gw, admin, adminPw, 'download-maker', ['TRANSFER']);
    const asked = await makerOnly.client.query('query($id: Int!) { bulkTransfer(id: $id) { id } }', { id: bulkId });
    const notTheirs = await makerOnly.client.download(resultPath());
    expect([notTheirs.status, codeOf(notTheirs)]).toEqual([404, errorCode(asked)]);
    expect(errorCode(asked)).toBe('NOT_FOUND');

    // The administrator lacks TRANSFER and TRANSFER_APPROVAL: refused at the door, naming the requirement.
    const door = await admin.download(resultPath());
    expect([door.status, codeOf(door), refusal(door).errors![0].extensions!.required]).toEqual([403, 'FORBIDDEN', 'TRANSFER_OR_APPROVAL']);
    // Nobody learns what a refused download holds, and none of these is audited as a download.
    for (const refused of [unnamed, foreign, notTheirs, door]) expect(refused.bytes.toString('utf8')).not.toContain('SUM');
    expect(await db().countBy(AuditEvent, { action: AuditAction.BULK_TRANSFER_RESULT_DOWNLOADED, actorLoginId: 'download-maker' })).toBe(0);
  });

  it('failing: without a PIN session, or without a certificate, nothing is downloaded', async () => {
    const noSession = gw.asUser('user02');
    for (const path of [resultPath(), '/downloads/audit-log']) {
      const answer = await noSession.download(path);
      expect([answer.status, codeOf(answer)]).toEqual([401, 'UNAUTHENTICATED']);
    }
    await expect(gw.withoutCertificate().download(resultPath())).rejects.toThrow();
  });

  it('failing: a session token presented with another user’s certificate is refused (and ended), as a cookie or a bearer', async () => {
    const approver = await sessionAs(gw, 'user02');
    const token = approver.bearer!;
    // The session cookie of the web app works like the bearer, on its own certificate.
    const withCookie = gw.asUser('user02');
    expect((await withCookie.download(resultPath(), { cookie: `cibg_session=${token}` })).status).toBe(200);
    // user01's certificate with user02's token: refused; the token is ended for its owner too.
    const stolen = await gw.asUser('user01').download(resultPath(), { cookie: `cibg_session=${token}` });
    expect([stolen.status, codeOf(stolen), refusal(stolen).errors![0].extensions!.reason]).toEqual([
      401,
      'UNAUTHENTICATED',
      'OTHER_CERTIFICATE',
    ]);
    expect(stolen.bytes.toString('utf8')).not.toContain('SUM');
    expect(codeOf(await approver.download(resultPath()))).toBe('UNAUTHENTICATED');
  });

  it('successful: 20,000 audit events download a page at a time while /healthz on the other listener keeps answering', async () => {
    await appendEvents(gw, contractId, 20_000);
    await loginAsPartner(admin, gw.credentials('admin01').loginPassword);
    const health = new GraphqlClient(gw.enrollOrigin, gw.caPem, null);
    await health.download('/healthz'); // its connection is open before the download starts
    let done = false;
    const started = performance.now();
    const download = admin.download('/downloads/audit-log').finally(() => (done = true));
    const gaps: number[] = [];
    while (!done) {
      const asked = performance.now();
      expect((await health.download('/healthz')).status).toBe(200);
      gaps.push(performance.now() - asked);
    }
    const file = await download;
    const seconds = (performance.now() - started) / 1000;
    await health.close();
    const lines = file.bytes.toString('utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(20_000);
    expect(new Set(lines.map((line) => JSON.parse(line).id)).size).toBe(lines.length);
    // Answered while the file was still being written: the download did not hold the event loop.
    expect(gaps.length).toBeGreaterThan(1);
    process.stdout.write(
      `audit-log download: ${lines.length} events, ${(file.bytes.length / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s; ` +
        `/healthz answered ${gaps.length} times meanwhile, slowest ${Math.max(...gaps).toFixed(1)} ms\n`,
    );
  });
});

/** Appends `count` filler events to the contract's audit log, in multi-row INSERTs (the download does not check the chain). */
async function appendEvents(gw: TestGateway, contractId: number, count: number): Promise<void> {
  const db = gw.gateway.services.db.writableManager;
  const chain = chainOf(contractId);
  for (let done = 0; done < count;) {
    const batch = [];
    for (const end = Math.min(count, done + 500); done < end; done++) {
      batch.push({
        ...fillerAuditEvent(contractId, done),
        chain,
        sequence: 1_000_000 + done,
        previousHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      });
    }
    await db.createQueryBuilder().insert().into(AuditEvent).values(batch).updateEntity(false).execute();
  }
}
