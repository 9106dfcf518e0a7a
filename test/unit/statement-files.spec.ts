import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AccountType } from '../../src/banking/accounts/account.entity';
import { StatementDirection, type StatementLine } from '../../src/banking/accounts/statement-line.entity';
import type { BulkTransfer, BulkTransferLine } from '../../src/banking/bulk-transfers/bulk-transfer.entity';
import { toZenginKana } from '../../src/banking/zengin';
import { linesResultFormat } from '../../src/banking/lines/lines-result';
import { OrderStatus } from '../../src/banking/orders/order-status';
import type { FileFormat } from '../../src/downloads/file-format';
import { eraDate } from '../../src/downloads/japanese-era';
import { statementCsvFormat } from '../../src/downloads/statement-csv';
import { encodeText, GETA } from '../../src/downloads/text-encoding';
import { zenginStatementFormat, type StatementFileHeader } from '../../src/downloads/zengin-statement';
import { bookedLines, sampleMovements, type Movement } from '../helpers/statement-lines';
import { readZenginStatement, reiwaDate } from '../helpers/zengin-statement-reader';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'downloads');

/**
 * A file compared byte for byte with its committed golden copy. `UPDATE_GOLDEN=1` writes the
 * copy instead (then read the diff: the golden is what a customer's software receives).
 */
function expectGolden(name: string, bytes: Buffer): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, bytes);
  expect(bytes.equals(fs.readFileSync(file))).toBe(true);
}

/** A whole file as the download writes it: begin, the pages, end. */
function written<Row>(format: FileFormat<Row>, pages: Row[][]): Buffer {
  return Buffer.concat([format.begin(), ...pages.map((page) => format.rows(page)), format.end?.() ?? Buffer.alloc(0)]);
}

/** Six movements of Demo Corporation's ordinary account, 2026-12-01 … 12-07, from a balance of ¥48,000,000, numbered from 101. */
const OPENING = 48_000_000;

function statementLines(): StatementLine[] {
  const movements: Movement[] = [
    ...sampleMovements('2026-12'),
    ['2026-12-07', StatementDirection.DEBIT, 304_322, '手形決済'],
    ['2026-12-07', StatementDirection.CREDIT, 5_000, '=利息'],
  ];
  return bookedLines(1, OPENING, movements).map((line, index) => ({ ...line, id: 101 + index }));
}

const HEADER: StatementFileHeader = {
  bank: { code: '2999', kana: 'ﾃﾞﾓｼﾝｸﾐ' },
  branchKana: 'ﾎﾝﾃﾝ',
  account: { branchCode: '001', accountType: AccountType.ORDINARY, accountNumber: '1234567', holderName: 'カ)デモコーポレーション' },
  createdOn: '2026-12-07',
  from: '2026-12-01',
  to: '2026-12-07',
  openingBalance: OPENING,
};

describe('the Zengin 入出金取引明細 file', () => {
  const lines = statementLines();
  const file = written(zenginStatementFormat(HEADER), [lines.slice(0, 4), lines.slice(4)]);

  it('is the golden file byte for byte (fixed data, fixed date)', () => {
    expectGolden('statement-zengin.txt', file);
  });

  it('reads back field by field with a reader written from the 全銀協 layout', () => {
    const read = readZenginStatement(file);
    expect(read.crlf).toBe(true);
    expect(read.header).toEqual({
      recordKind: '1',
      typeCode: '03',
      codeType: '0',
      createdOn: '081207',
      from: '081201',
      to: '081207',
      bankCode: '2999',
      bankName: 'ﾃﾞﾓｼﾝｸﾐ'.padEnd(15),
      branchCode: '001',
      branchName: 'ﾎﾝﾃﾝ'.padEnd(15),
      reserved: '000',
      accountType: '1',
      accountNumber: '0001234567',
      accountName: 'ｶ)ﾃﾞﾓｺｰﾎﾟﾚｰｼｮﾝ'.padEnd(40),
      openingSign: '1',
      passbook: '1',
      openingBalance: '00000048000000',
      dummy: ' '.repeat(71),
    });
    expect(read.data.map((d) => [reiwaDate(d.bookingDate), d.direction, d.transactionKind, Number(d.amount), d.summary.trimEnd()])).toEqual(
      [
        ['2026-12-01', '1', '11', 3_500_000, 'ﾌﾘｺﾐ ｶ)ｻﾝﾌﾟﾙｼｮｳｼﾞ'],
        ['2026-12-01', '2', '11', 1_200_000, 'ﾌﾘｺﾐ ﾕ)ﾃﾞﾓﾌﾞｯｻﾝ'],
        ['2026-12-02', '2', '14', 88_000, 'ｺｳﾌﾘ ﾃﾞﾝｷﾘｮｳｷﾝ'],
        ['2026-12-05', '2', '11', 10_000, 'ｿｳﾌﾘ ﾃｽﾄ 0001'],
        ['2026-12-07', '2', '13', 304_322, 'ﾃｶﾞﾀ'],
        ['2026-12-07', '1', '18', 5_000, '=**'], // no kana for 利息: one "*" per character, never a different length
      ],
    );
    // 入金: the remitter in 振込依頼人名; 出金: blank (the field is 口座振替's 契約者番号 then).
    expect(read.data.map((d) => d.remitterName.trimEnd())).toEqual(['ｶ)ｻﾝﾌﾟﾙｼｮｳｼﾞ', '', '', '', '', '']);
    expect(read.data.map((d) => Number(d.inquiryNumber))).toEqual([101, 102, 103, 104, 105, 106]);
    for (const d of read.data) {
      expect(d.valueDate).toBe(d.bookingDate);
      expect([d.otherBankCheques, d.clearingDate, d.dishonourDate, d.billKind, d.billNumber].every((v) => /^0+$/.test(v))).toBe(true);
    }
    const credits = lines.filter((l) => l.direction === StatementDirection.CREDIT);
    const debits = lines.filter((l) => l.direction === StatementDirection.DEBIT);
    const sum = (ls: StatementLine[]) => ls.reduce((s, l) => s + l.amount, 0);
    expect(read.trailer).toMatchObject({
      creditCount: '000002',
      creditTotal: String(sum(credits)).padStart(13, '0'),
      debitCount: '000004',
      debitTotal: String(sum(debits)).padStart(13, '0'),
      closingSign: '1',
      closingBalance: String(lines.at(-1)!.balanceAfter).padStart(14, '0'),
      dataCount: '0000006',
    });
    // The balances agree: before + in − out = after.
    expect(Number(read.header.openingBalance) + sum(credits) - sum(debits)).toBe(Number(read.trailer.closingBalance));
    expect(read.end).toMatchObject({ recordCount: '0000000008', accountCount: '00001' });
  });

  it('for a period without movements: a header and a trailer whose balances are the same', () => {
    const empty = readZenginStatement(written(zenginStatementFormat({ ...HEADER, openingBalance: 7 }), []));
    expect(empty.data).toEqual([]);
    expect([empty.header.openingBalance, empty.trailer.closingBalance, empty.trailer.dataCount]).toEqual([
      '00000000000007',
      '00000000000007',
      '0000000',
    ]);
  });

  it('writes each JIS X 0201 character as Shift_JIS does, upper-cases, cuts at the field and marks what it cannot hold', () => {
    // Every printable ASCII character and every half-width katakana, in payee names of 42, and one longer than the field's 48.
    const ascii = String.fromCharCode(...Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i));
    const kana = String.fromCharCode(...Array.from({ length: 0xff9f - 0xff61 + 1 }, (_, i) => 0xff61 + i));
    const names = [...(ascii + kana).matchAll(/.{1,40}/gsu)].map(([chunk]) => `X${chunk}X`);
    names.push('カ)ナガイナマエノトリヒキサキ'.repeat(4));
    const movements: Movement[] = names.map((name) => ['2026-12-03', StatementDirection.CREDIT, 1, `振込 ${name}`]);
    const file = written(zenginStatementFormat(HEADER), [bookedLines(1, OPENING, movements).map((line, id) => ({ ...line, id }))]);
    // 振込依頼人名 is columns 82–129 of a data record (the reader's layout), the data records follow the header.
    const remitterNames = names.map((_, i) => file.subarray(202 * (1 + i) + 81, 202 * (1 + i) + 129));
    const expected = names.map((name) => toZenginKana(name).toUpperCase().replace(/[\\~]/g, '*').slice(0, 48).padEnd(48));
    expect(remitterNames.map((bytes, i) => bytes.equals(iconv.encode(expected[i], 'shift_jis')))).toEqual(names.map(() => true));
    expect(readZenginStatement(file).data.map((d) => d.remitterName)).toEqual(expected);
    expect(expected.at(-1)).toBe('ｶ)ﾅｶﾞｲﾅﾏｴﾉﾄﾘﾋｷｻｷ'.repeat(3)); // 64 half-width characters cut at 48
  });

  it('refuses an amount its field cannot hold rather than write a record of another length', () => {
    const [line] = bookedLines(1, OPENING, [['2026-12-03', StatementDirection.CREDIT, 1_000_000_000_000, '振込 ﾃｽﾄ']]);
    expect(() => zenginStatementFormat(HEADER).rows([{ ...line, id: 1 }])).toThrow('amount 1000000000000 does not fit N(12)');
  });

  it('writes dates in the Japanese era, across the change of era', () => {
    expect([eraDate('2026-12-07'), eraDate('2019-05-01'), eraDate('2019-04-30')]).toEqual(['081207', '010501', '310430']);
  });
});

describe('the statement CSV', () => {
  const lines = [
    ...statementLines(),
    { ...statementLines()[0], id: 107, description: '振込 髙橋①😀', amount: 1, balanceAfter: 49_902_679 },
  ];
  const sjis = written(statementCsvFormat('shift_jis'), [lines]);
  const utf8 = written(statementCsvFormat('utf-8'), [lines]);

  it('is the golden file byte for byte, in Shift_JIS with CRLF', () => {
    expectGolden('statement.csv', sjis);
    expect(sjis.toString('latin1')).toMatch(/^[^\n]*\r\n([^\n]*\r\n)*$/);
  });

  it('reads back through Debian’s iconv -f SHIFT_JIS as the UTF-8 file, characters outside JIS X 0208 as 〓', () => {
    const viaIconv = execFileSync('iconv', ['-f', 'SHIFT_JIS', '-t', 'UTF-8'], { input: sjis }).toString('utf8');
    expect(viaIconv).toBe(utf8.toString('utf8').replace('髙橋①😀', `${GETA}橋${GETA}${GETA}`));
    expect(utf8.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false); // no byte-order mark
  });

  it('is read by a CSV parser by its Japanese headers: dates, amounts as integers, formulas as text', () => {
    const rows: Array<Record<string, string>> = parse(utf8, { columns: true });
    expect(Object.keys(rows[0])).toEqual(['日付', '摘要', 'お支払金額', 'お預り金額', '残高', '照会番号']);
    expect(rows.slice(0, 2)).toEqual([
      { 日付: '2026/12/01', 摘要: '振込 カ)サンプルショウジ', お支払金額: '', お預り金額: '3500000', 残高: '51500000', 照会番号: '101' },
      { 日付: '2026/12/01', 摘要: '振込 ユ)デモブッサン', お支払金額: '1200000', お預り金額: '', 残高: '50300000', 照会番号: '102' },
    ]);
    expect(rows[5].摘要).toBe("'=利息");
  });
});

describe('the bulk transfer result CSV', () => {
  const bulk = {
    status: OrderStatus.EXECUTED,
    executionDate: '2026-12-07',
    executedAt: new Date('2026-12-07T01:02:03Z'),
    failureCode: null,
  };
  const line = {
    lineNumber: 1,
    bankCode: '0009',
    bankName: '三井住友',
    branchCode: '123',
    branchName: '立売堀',
    accountType: AccountType.ORDINARY,
    accountNumber: '7654321',
    payeeName: 'カ)デモ',
    amount: 1000,
    customerCode1: null,
    customerCode2: null,
    ediInfo: '-2-3',
  } as BulkTransferLine;

  it('is the golden file byte for byte: Japanese headers, the outcome in Japanese, Japan’s time, Shift_JIS', () => {
    const file = written(linesResultFormat(bulk as BulkTransfer, bulk.executionDate, 'shift_jis'), [
      [line, { ...line, lineNumber: 2, ediInfo: null }],
    ]);
    expectGolden('bulk-transfer-result.csv', file);
    const rows: Array<Record<string, string>> = parse(execFileSync('iconv', ['-f', 'SHIFT_JIS', '-t', 'UTF-8'], { input: file }), {
      columns: true,
    });
    expect(rows[0]).toMatchObject({
      明細番号: '1',
      預金種目: '普通',
      受取人名: 'カ)デモ',
      振込金額: '1000',
      EDI情報: "'-2-3",
      結果: '振込済',
    });
    expect(rows[0]).toMatchObject({ 振込指定日: '2026/12/07', 処理日時: '2026/12/07 10:02:03' });
  });
});

describe('Shift_JIS text', () => {
  it('keeps JIS X 0201 and 0208 (and "?") and writes 〓 for what strict Shift_JIS lacks', () => {
    const kept = 'ｶﾞA?ー〓漢字、';
    expect(new TextDecoder('shift_jis').decode(encodeText(kept, 'shift_jis'))).toBe(kept);
    for (const outside of ['①', '髙', '㈱', 'Ⅰ', '😀', '€']) {
      expect(encodeText(`a${outside}b`, 'shift_jis').equals(Buffer.from([0x61, 0x81, 0xac, 0x62]))).toBe(true);
    }
  });
});
