import fs from 'node:fs';
import path from 'node:path';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { AccountType } from '../../src/banking/accounts/account.entity';
import { BulkTransfer } from '../../src/banking/bulk-transfers/bulk-transfer.entity';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { writeZenginTransferFile, type ZenginTransferFileInput } from '../../src/banking/zengin';
import { businessDate } from '../../src/banking/calendar/business-day';
import { DEMO_BANK_CODE } from '../../src/config';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS, bulkLines, monthDay, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';
import { migrations } from '../../src/db/migrations';
import { TransferDestinations1765000000000 } from '../../src/db/migrations/1765000000000-transfer-destinations';

const FIXTURES = '/work/shared/fixtures/zengin-public';

const CREATE = `mutation Create($input: CreateTransferInput!, $pw: String!) {
  createTransfer(input: $input, confirmationPassword: $pw) {
    id status destinationBankCode destinationBankName destinationBankNameKana destinationBranchCode destinationBranchName destinationBranchNameKana
  }
}`;
const READ = `query($id: Int!) { transfer(id: $id) { destinationBankName destinationBankNameKana destinationBranchName destinationBranchNameKana } }`;
const IMPORT = `mutation Import($file: String!, $from: Int!, $pw: String!) {
  importBulkTransfer(fileBase64: $file, fromAccountId: $from, confirmationPassword: $pw) { id status }
}`;
const BANKS = 'query($search: String!, $first: Int) { banks(search: $search, first: $first) { code name kana } }';
const BRANCHES =
  'query($bank: String!, $search: String!, $first: Int) { branches(bankCode: $bank, search: $search, first: $first) { code name kana } }';

const base64 = (bytes: Buffer) => bytes.toString('base64');
/** A refused bulk transfer's problems, as [record, field, value]. */
const problemsOf = (response: GraphqlResponse) =>
  (response.body.errors?.[0]?.extensions?.problems as Array<{ record: number; field: string; value?: string }>).map((p) => [
    p.record,
    p.field,
    p.value,
  ]);

/**
 * Issue 17, item 2 (DESIGN.md §6.9: no unknown bank paid, no other account debited): every
 * destination is a bank and branch of the zengin-code directory, answers name them, the form's
 * 金融機関検索 searches the directory, and a Zengin file's header must name this bank
 * (BANK_CODE) and exactly the account paid from.
 */
describe('the bank directory: destinations, names, 金融機関検索 and the Zengin header', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let accounts: Array<{ id: number; branchCode: string; accountType: string; accountNumber: string }>;
  const db = () => gw.gateway.services.db.writableManager;
  const makerPw = () => gw.credentials('user01').confirmationPassword;
  /** What a refused request must leave as it was: no order, no audit event, no attempt counted toward the lock. */
  const books = async () => ({
    transfers: await db().count(Transfer),
    bulkTransfers: await db().count(BulkTransfer),
    audit: await db().count(AuditEvent),
    failedAttempts: (await db().findOneByOrFail(User, { loginId: 'user01' })).failedAttempts,
  });

  beforeAll(async () => {
    // No cut-off: what is checked here does not depend on the hour.
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none', SCHEDULER_INTERVAL_SECONDS: '0' });
    maker = await sessionAs(gw, 'user01');
    accounts = (await maker.query(ACCOUNTS)).body.data.accounts;
  });
  afterAll(() => gw.stop());

  it('refuses a transfer to a bank the directory does not know, naming destinationBankCode, before the password; nothing is done', async () => {
    const before = await books();
    const refused = await maker.query(CREATE, {
      input: transferInput(accounts[0].id, 1_000, { destinationBankCode: '9999', destinationBranchCode: '999' }),
      pw: 'wrong-password',
    });
    expect(refused.body.errors![0]).toMatchObject({
      message: 'Bank code 9999 is not a bank in the Zengin directory.',
      extensions: { code: 'BAD_USER_INPUT', field: 'destinationBankCode' },
    });
    expect(await books()).toEqual(before);
  });

  it('refuses a branch the bank does not have, naming destinationBranchCode and the bank; nothing is done', async () => {
    const before = await books();
    const refused = await maker.query(CREATE, {
      input: transferInput(accounts[0].id, 1_000, { destinationBankCode: '0009', destinationBranchCode: '999' }),
      pw: makerPw(),
    });
    expect(refused.body.errors![0]).toMatchObject({
      message: 'Branch 999 does not exist at 0009 三井住友.',
      extensions: { code: 'BAD_USER_INPUT', field: 'destinationBranchCode' },
    });
    expect(await books()).toEqual(before);
  });

  it('answers a transfer with its bank’s and branch’s names in kanji and kana, as stored when it was made', async () => {
    const made = await maker.query(CREATE, { input: transferInput(accounts[0].id, 1_000), pw: makerPw() });
    expect(made.body.errors).toBeUndefined();
    const names = {
      destinationBankName: '三井住友',
      destinationBankNameKana: 'ミツイスミトモ',
      destinationBranchName: '立売堀',
      destinationBranchNameKana: 'イタチボリ',
    };
    expect(made.body.data.createTransfer).toMatchObject({ destinationBankCode: '0009', destinationBranchCode: '123', ...names });
    expect((await maker.query(READ, { id: made.body.data.createTransfer.id })).body.data.transfer).toEqual(names);
    expect(await db().findOneByOrFail(Transfer, { id: made.body.data.createTransfer.id })).toMatchObject(names);
  });

  it.each([
    ['a code', '0009', '0009'],
    ['a code prefix', '000', '0001'],
    ['the kanji name', '三井住友', '0009'],
    ['the name as people write it (…銀行, 信用金庫)', '昭和信用金庫', DEMO_BANK_CODE],
    ['katakana', 'ミツイスミトモ', '0009'],
    ['hiragana', 'みついすみとも', '0009'],
    ['half-width kana', 'ﾐﾂｲｽﾐﾄﾓ', '0009'],
    ['kana with small letters (the directory writes them large)', 'ゆうちょ', '9900'],
  ])('金融機関検索 finds a bank by %s', async (_, search, code) => {
    const found = (await maker.query(BANKS, { search, first: 5 })).body.data.banks;
    expect(found[0].code).toBe(code);
  });

  it('金融機関検索 finds branches of one bank by code, name and kana; a page is bounded', async () => {
    const search = async (bank: string, text: string, first?: number) =>
      (await maker.query(BRANCHES, { bank, search: text, first })).body.data.branches as Array<{ code: string; name: string }>;
    expect(await search('0009', '123')).toEqual([{ code: '123', name: '立売堀', kana: 'イタチボリ' }]);
    expect((await search('0009', '立売堀'))[0].code).toBe('123');
    expect((await search('0009', 'いたちぼり'))[0].code).toBe('123');
    // しんじゅく: the small ゅ is the directory's large ユ (シンジユク).
    expect((await search(DEMO_BANK_CODE, 'しんじゅく'))[0]).toMatchObject({ code: '002', name: '新宿' });
    expect(await search('0009', '', 3)).toHaveLength(3);

    const tooMany = await maker.query(BANKS, { search: '', first: 101 });
    expect(tooMany.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const unknownBank = await maker.query(BRANCHES, { bank: '9999', search: '' });
    expect(unknownBank.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'bankCode' });
    const tooLong = await maker.query(BANKS, { search: 'ア'.repeat(41) });
    expect(tooLong.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
  });

  it('金融機関検索 is for whoever may list payees: an approver without 振込 or 振込先登録 is refused', async () => {
    const approver = await sessionAs(gw, 'user02');
    for (const query of [BANKS, BRANCHES]) {
      const refused = await approver.query(query, { bank: '0009', search: '三井' });
      expect(refused.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', required: 'TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN' });
    }
  });

  it('the administrator searches the directory too, as whoever keeps the payees does (振込先登録 names bank and branch)', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const banks = await admin.query(BANKS, { search: 'みついすみとも' });
    expect(banks.body.errors).toBeUndefined();
    expect(banks.body.data.banks[0]).toEqual({ code: '0009', name: '三井住友', kana: 'ミツイスミトモ' });
    const branches = await admin.query(BRANCHES, { bank: '0009', search: 'いたちぼり' });
    expect(branches.body.data.branches[0]).toMatchObject({ code: '123', name: '立売堀' });
  });

  /** A 総合振込 file whose header names `payer` (this bank's and the demo account's details unless said). */
  function fileFrom(payer: Partial<ZenginTransferFileInput['header']>): Buffer {
    return writeZenginTransferFile({
      header: {
        requesterCode: '1234567890',
        requesterName: 'ｶ)ﾃﾞﾓ',
        transferDate: monthDay(businessDate(gw.clock.now())),
        bankCode: DEMO_BANK_CODE,
        branchCode: '001',
        accountType: AccountType.ORDINARY,
        accountNumber: '1234567',
        ...payer,
      },
      lines: bulkLines(2, () => 1_000),
    });
  }

  it('refuses a Zengin header naming another bank, branch, account type and number: one problem per field on record 1, before the password', async () => {
    const before = await books();
    const refused = await maker.query(IMPORT, {
      file: base64(fileFrom({ bankCode: '0009', branchCode: '123', accountType: AccountType.CURRENT, accountNumber: '9999999' })),
      from: accounts[0].id,
      pw: 'wrong-password',
    });
    expect(refused.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fileBase64', truncated: false });
    expect(refused.body.errors![0].extensions!.problems).toEqual([
      {
        record: 1,
        field: 'bankCode',
        value: '0009',
        message: `The header names bank 0009 (仕向銀行番号); this bank is ${DEMO_BANK_CODE} 昭和信用金庫. Nothing was done.`,
      },
      { record: 1, field: 'branchCode', value: '123', message: expect.stringContaining('the account paid from is at branch 001') },
      { record: 1, field: 'accountType', value: '2', message: expect.stringContaining('the account paid from is 普通 (1)') },
      { record: 1, field: 'accountNumber', value: '9999999', message: expect.stringContaining('the account paid from is 1234567') },
    ]);
    expect(await books()).toEqual(before);
  });

  it('refuses a file made for the contract’s other account when asked to pay from the first: the differing fields only', async () => {
    const before = await books();
    const other = accounts[1];
    const file = base64(fileFrom({ branchCode: other.branchCode, accountType: AccountType.CURRENT, accountNumber: other.accountNumber }));
    const refused = await maker.query(IMPORT, { file, from: accounts[0].id, pw: makerPw() });
    expect(problemsOf(refused)).toEqual([
      [1, 'branchCode', '002'],
      [1, 'accountType', '2'],
      [1, 'accountNumber', '7654321'],
    ]);
    expect(await books()).toEqual(before);
    // The same file paid from the account it names is accepted.
    const accepted = await maker.query(IMPORT, { file, from: other.id, pw: makerPw() });
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data.importBulkTransfer.status).toBe('PENDING_APPROVAL');
  });

  it('refuses a public sample file (header: bank 0001 みずほ, branch 001, 普通 0000001) paid from the demo account: bank and account number', async () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, 'thanhnd-valid-2-records.txt'));
    const before = await books();
    const refused = await maker.query(IMPORT, { file: base64(bytes), from: accounts[0].id, pw: makerPw() });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(problemsOf(refused)).toEqual([
      [1, 'bankCode', '0001'],
      [1, 'accountNumber', '0000001'],
    ]);
    expect(await books()).toEqual(before);
  });
});

/** The migration that adds the names gives transfers made before it their names from the directory, and makes none up. */
describe('transfers made before names were stored', () => {
  let gw: TestGateway;
  afterAll(() => gw?.stop());

  it('get their names from the directory when the migration runs; a code the directory does not know keeps null names', async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none', SCHEDULER_INTERVAL_SECONDS: '0' });
    const maker = await sessionAs(gw, 'user01');
    const accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    const make = async () =>
      (await maker.query(CREATE, { input: transferInput(accountId, 1_000), pw: gw.credentials('user01').confirmationPassword })).body.data
        .createTransfer.id as number;
    const [known, unknown] = [await make(), await make()];
    const { dataSource } = gw.gateway.services.db;
    // Back to the schema before names were stored (undoing the migrations after it too), with a transfer to a bank that was accepted then.
    const after = migrations.length - migrations.indexOf(TransferDestinations1765000000000);
    for (let i = 0; i < after; i++) await dataSource.undoLastMigration();
    await dataSource.query('UPDATE transfers SET destinationBankCode = ?, destinationBranchCode = ? WHERE id = ?', [
      '9999',
      '999',
      unknown,
    ]);

    await dataSource.runMigrations();
    const names = async (id: number) =>
      (
        await dataSource.query(
          'SELECT destinationBankName, destinationBankNameKana, destinationBranchName, destinationBranchNameKana, requestedDate FROM transfers WHERE id = ?',
          [id],
        )
      )[0];
    expect(await names(known)).toEqual({
      destinationBankName: '三井住友',
      destinationBankNameKana: 'ミツイスミトモ',
      destinationBranchName: '立売堀',
      destinationBranchNameKana: 'イタチボリ',
      requestedDate: null,
    });
    expect(await names(unknown)).toEqual({
      destinationBankName: null,
      destinationBankNameKana: null,
      destinationBranchName: null,
      destinationBranchNameKana: null,
      requestedDate: null,
    });
  });
});
