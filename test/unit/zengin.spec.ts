import fc from 'fast-check';
import iconv from 'iconv-lite';
import zenginCode from 'zengin-code';
import { AccountType } from '../../src/banking/accounts/account.entity';
import { normalizePayeeName } from '../../src/banking/payee-name';
import {
  parseZenginTransferFile,
  toZenginKana,
  validateTransferLines,
  writeZenginTransferFile,
  type ZenginProblem,
  type ZenginTransferFileInput,
} from '../../src/banking/zengin';
import { DATA, END, HEADER, TRAILER } from '../../src/banking/zengin/zengin-layout';
import { DomainError } from '../../src/common/domain-error';

// ——— a known-good file, built byte by byte from the published layout (not by the writer) ———

const CRLF = [0x0d, 0x0a];
const sp = (n: number) => ' '.repeat(n);

/** One record from ASCII text and raw Shift_JIS bytes; a test record that is not 120 bytes is a bug in the test. */
function rec(...parts: Array<string | number[]>): Buffer {
  const bytes = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
  if (bytes.length !== 120) throw new Error(`test record is ${bytes.length} bytes`);
  return bytes;
}

/** Half-width kana (JIS X 0201) bytes, space-filled to a width. */
const kana = (bytes: number[], width: number) => [...bytes, ...Array<number>(width - bytes.length).fill(0x20)];

const DEMO_SHOJI = [0xb6, 0x29, 0xc3, 0xde, 0xd3, 0xbc, 0xd6, 0xb3, 0xbc, 0xde]; // ｶ)ﾃﾞﾓｼﾖｳｼﾞ
const MITSUISUMITOMO = [0xd0, 0xc2, 0xb2, 0xbd, 0xd0, 0xc4, 0xd3]; // ﾐﾂｲｽﾐﾄﾓ
const ITACHIBORI = [0xb2, 0xc0, 0xc1, 0xce, 0xde, 0xd8]; // ｲﾀﾁﾎﾞﾘ
const MIZUHO = [0xd0, 0xbd, 0xde, 0xce]; // ﾐｽﾞﾎ
const TOKYO = [0xc4, 0xb3, 0xb7, 0xd6, 0xb3]; // ﾄｳｷﾖｳ
const YAMADA_TARO = [0xd4, 0xcf, 0xc0, 0xde, 0x20, 0xc0, 0xdb, 0xb3]; // ﾔﾏﾀﾞ ﾀﾛｳ
const KA_TESUTO = [0xb6, 0x29, 0xc3, 0xbd, 0xc4]; // ｶ)ﾃｽﾄ

//          区分 種別 コード 依頼人コード   依頼人名                 指定日  銀行    銀行名                    支店   支店名                 種目 口座        ダミー
const header = () =>
  rec(
    '1',
    '21',
    '0',
    '1234567890',
    kana(DEMO_SHOJI, 40),
    '1125',
    '0009',
    kana(MITSUISUMITOMO, 15),
    '123',
    kana(ITACHIBORI, 15),
    '1',
    '1234567',
    sp(17),
  );
//          区分 銀行    銀行名              支店   支店名             交換所  種目 口座       受取人名                  金額          新規 顧客1          顧客2          指定 識別 ダミー
const data1 = () =>
  rec(
    '2',
    '0001',
    kana(MIZUHO, 15),
    '001',
    kana(TOKYO, 15),
    '0000',
    '1',
    '7654321',
    kana(YAMADA_TARO, 30),
    '0000001000',
    '0',
    '0000000000',
    '0000000000',
    '7',
    ' ',
    sp(7),
  );
const data2 = () =>
  rec(
    '2',
    '0009',
    kana(MITSUISUMITOMO, 15),
    '123',
    kana(ITACHIBORI, 15),
    '0000',
    '2',
    '0000001',
    kana(KA_TESUTO, 30),
    '0012345678',
    '0',
    '0000012345',
    '0000000000',
    '7',
    ' ',
    sp(7),
  );
const trailer = (count = '000002', amount = '000012346678') => rec('8', count, amount, sp(101));
const end = () => rec('9', sp(119));

function file(records: Buffer[], separator: number[] = CRLF, tail: number[] = separator): Buffer {
  const parts: Buffer[] = [];
  records.forEach((r, i) => parts.push(r, Buffer.from(i === records.length - 1 ? tail : separator)));
  return Buffer.concat(parts);
}

const goodRecords = () => [header(), data1(), data2(), trailer(), end()];

/** A copy of a record with bytes replaced from a 0-based offset. */
function patch(record: Buffer, offset: number, content: string | number[]): Buffer {
  const copy = Buffer.from(record);
  (typeof content === 'string' ? Buffer.from(content, 'latin1') : Buffer.from(content)).copy(copy, offset);
  return copy;
}

const EXPECTED = {
  header: {
    typeCode: '21',
    requesterCode: '1234567890',
    requesterName: 'ｶ)ﾃﾞﾓｼﾖｳｼﾞ',
    transferDate: '1125',
    bankCode: '0009',
    bankName: '三井住友',
    branchCode: '123',
    branchName: '立売堀',
    accountType: AccountType.ORDINARY,
    accountNumber: '1234567',
  },
  lines: [
    {
      record: 2,
      bankCode: '0001',
      bankName: 'みずほ',
      branchCode: '001',
      branchName: '東京営業部',
      accountType: AccountType.ORDINARY,
      accountNumber: '7654321',
      payeeName: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      amount: 1000,
    },
    {
      record: 3,
      bankCode: '0009',
      bankName: '三井住友',
      branchCode: '123',
      branchName: '立売堀',
      accountType: AccountType.CURRENT,
      accountNumber: '0000001',
      payeeName: 'ｶ)ﾃｽﾄ',
      amount: 12_345_678,
      customerCode1: '0000012345',
    },
  ],
  total: 12_346_678,
};

function problemsOf(bytes: Buffer): ZenginProblem[] {
  const result = parseZenginTransferFile(bytes);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems;
}

describe('the 全銀協 総合振込 layout', () => {
  it('successful: every record is 120 bytes and the fields sit at the published positions', () => {
    for (const layout of [HEADER, DATA, TRAILER, END]) {
      const spans = Object.values(layout);
      expect(spans[0]).toEqual({ start: 0, length: 1 });
      const last = spans[spans.length - 1];
      expect(last.start + last.length).toBe(120);
    }
    // 1-based positions as banks print them: 振込指定日 55–58, 仕向銀行番号 59–62, 受取人名 51–80, 振込金額 81–90, 識別表示 113, 合計金額 8–19.
    expect(HEADER.transferDate).toEqual({ start: 54, length: 4 });
    expect(HEADER.bankCode).toEqual({ start: 58, length: 4 });
    expect(HEADER.accountNumber).toEqual({ start: 96, length: 7 });
    expect(DATA.payeeName).toEqual({ start: 50, length: 30 });
    expect(DATA.amount).toEqual({ start: 80, length: 10 });
    expect(DATA.ediMark).toEqual({ start: 112, length: 1 });
    expect(TRAILER.totalAmount).toEqual({ start: 7, length: 12 });
  });
});

describe('reading a 総合振込 file', () => {
  it('successful: a hand-built file gives the header, the lines with the official bank and branch names, and the total', () => {
    expect(parseZenginTransferFile(file(goodRecords()))).toEqual({ ok: true, file: EXPECTED });
  });

  it.each([
    ['CR LF after every record', file(goodRecords())],
    ['CR LF between records, none after the last', file(goodRecords(), CRLF, [])],
    ['LF only', file(goodRecords(), [0x0a])],
    ['no separators at all', file(goodRecords(), [])],
    ['no separators and an EOF mark (0x1A)', file(goodRecords(), [], [0x1a])],
    ['CR LF and an EOF mark', file(goodRecords(), CRLF, [0x0d, 0x0a, 0x1a])],
  ])('successful: %s', (_name, bytes) => {
    expect(parseZenginTransferFile(bytes)).toEqual({ ok: true, file: EXPECTED });
  });

  it('successful: a line with EDI情報 (識別表示 Y) carries it instead of customer codes; space-filled customer codes mean none', () => {
    const edi = patch(patch(data1(), 91, 'INV-2026/001        '), 112, 'Y');
    const spaces = patch(data2(), 91, sp(20));
    const result = parseZenginTransferFile(file([header(), edi, spaces, trailer(), end()]));
    expect(result.ok && result.file.lines.map((l) => [l.ediInfo, l.customerCode1, l.customerCode2])).toEqual([
      ['INV-2026/001', undefined, undefined],
      [undefined, undefined, undefined],
    ]);
  });

  it.each<[string, () => Buffer[], Partial<ZenginProblem>]>([
    [
      'an unknown bank code',
      () => [header(), patch(data1(), 1, '9999'), data2(), trailer(), end()],
      { record: 2, field: 'bankCode', value: '9999', message: 'Bank code 9999 is not a bank in the Zengin directory.' },
    ],
    [
      'a bank code that is not digits',
      () => [header(), patch(data1(), 1, '00A1'), data2(), trailer(), end()],
      { record: 2, field: 'bankCode', value: '00A1' },
    ],
    [
      'a branch the bank does not have, naming the bank',
      () => [header(), data1(), patch(data2(), 20, '999'), trailer(), end()],
      { record: 3, field: 'branchCode', value: '999', message: 'Branch 999 does not exist at 0009 三井住友.' },
    ],
    [
      'an unknown paying branch in the header',
      () => [patch(header(), 77, '999'), data1(), data2(), trailer(), end()],
      { record: 1, field: 'branchCode', value: '999' },
    ],
    [
      'an account number with a letter',
      () => [header(), patch(data1(), 43, '76543X1'), data2(), trailer(), end()],
      { record: 2, field: 'accountNumber', value: '76543X1' },
    ],
    [
      'an account number of zeros',
      () => [header(), patch(data1(), 43, '0000000'), data2(), trailer(), end()],
      { record: 2, field: 'accountNumber', value: '0000000' },
    ],
    [
      'account type 9 (その他)',
      () => [header(), patch(data1(), 42, '9'), data2(), trailer(), end()],
      { record: 2, field: 'accountType', value: '9' },
    ],
    [
      'account type 3',
      () => [header(), data1(), patch(data2(), 42, '3'), trailer(), end()],
      { record: 3, field: 'accountType', value: '3' },
    ],
    [
      'a payee name in full-width katakana (double-byte ヤマダ)',
      () => [
        header(),
        patch(data1(), 50, [0x83, 0x84, 0x83, 0x7d, 0x83, 0x5f, ...Array<number>(24).fill(0x20)]),
        data2(),
        trailer(),
        end(),
      ],
      { record: 2, field: 'payeeName', value: 'ヤマダ' },
    ],
    [
      'a payee name with a small kana ｯ',
      () => [header(), patch(data1(), 50, [0xaf]), data2(), trailer(), end()],
      { record: 2, field: 'payeeName', message: 'Payee name (受取人名): Small kana are not used in bank names: write "ﾂ" for "ｯ".' },
    ],
    [
      'a payee name with the long-vowel mark ｰ',
      () => [header(), patch(data1(), 51, [0xb0]), data2(), trailer(), end()],
      { record: 2, field: 'payeeName', value: 'ﾔｰﾀﾞ ﾀﾛｳ' },
    ],
    [
      'a payee name in lower case',
      () => [header(), patch(data1(), 50, 'yamada' + sp(24)), data2(), trailer(), end()],
      { record: 2, field: 'payeeName', value: 'yamada' },
    ],
    [
      'a blank payee name',
      () => [header(), patch(data1(), 50, sp(30)), data2(), trailer(), end()],
      { record: 2, field: 'payeeName', message: 'The payee name (受取人名) is blank.' },
    ],
    [
      'a payee name with a stray ﾞ (normalizePayeeName refuses it)',
      () => [header(), patch(data1(), 50, [0xb1, 0xde, ...Array<number>(28).fill(0x20)]), data2(), trailer(), end()],
      { record: 2, field: 'payeeName' },
    ],
    [
      'an amount of zero',
      () => [header(), patch(data1(), 80, '0000000000'), data2(), trailer('000002', '000012345678'), end()],
      { record: 2, field: 'amount', value: '0000000000' },
    ],
    [
      'an amount that is not digits',
      () => [header(), patch(data1(), 80, '     1000 '), data2(), trailer(), end()],
      { record: 2, field: 'amount', value: '     1000' },
    ],
    [
      'a trailer count that does not match',
      () => [header(), data1(), data2(), trailer('000003'), end()],
      { record: 4, field: 'totalCount', value: '3', message: "The trailer's count (合計件数) is 3, but the file has 2 data records." },
    ],
    [
      'a trailer total that does not match',
      () => [header(), data1(), data2(), trailer('000002', '000012346679'), end()],
      {
        record: 4,
        field: 'totalAmount',
        value: '12346679',
        message: "The trailer's total (合計金額) is ¥12,346,679, but the data records add up to ¥12,346,678.",
      },
    ],
    [
      'a record one byte short',
      () => [header(), data1().subarray(0, 119), data2(), trailer(), end()],
      { record: 2, field: 'record', message: 'The record is 119 bytes long; Zengin records are exactly 120 bytes.' },
    ],
    ['a blank line between records', () => [header(), Buffer.alloc(0), data1(), data2(), trailer(), end()], { record: 2, field: 'record' }],
    [
      'a 給与振込 file (種別コード 11)',
      () => [patch(header(), 1, '11'), data1(), data2(), trailer(), end()],
      {
        record: 1,
        field: 'typeCode',
        value: '11',
        message: 'Only 総合振込 files (種別コード 21) are accepted; this one is 11 (給与振込).',
      },
    ],
    [
      'コード区分 1 (EBCDIC) declared in a Shift_JIS file',
      () => [patch(header(), 3, '1'), data1(), data2(), trailer(), end()],
      { record: 1, field: 'codeType', value: '1' },
    ],
    [
      'a transfer date that is no date',
      () => [patch(header(), 54, '0231'), data1(), data2(), trailer(), end()],
      { record: 1, field: 'transferDate', value: '0231' },
    ],
    [
      'a requester name in lower case',
      () => [patch(header(), 14, 'demo'), data1(), data2(), trailer(), end()],
      { record: 1, field: 'requesterName' },
    ],
    [
      'an unknown データ区分',
      () => [header(), patch(data1(), 0, '3'), data2(), trailer('000001', '000012345678'), end()],
      { record: 2, field: 'recordKind', value: '3' },
    ],
    [
      'no header',
      () => [data1(), data2(), trailer(), end()],
      { record: 1, field: 'recordKind', message: 'The file must start with a header record (データ区分 1).' },
    ],
    ['two headers (a multi-file)', () => [header(), data1(), header(), data2(), trailer(), end()], { record: 3, field: 'recordKind' }],
    [
      'a data record after the trailer',
      () => [header(), data1(), trailer('000002'), data2(), end()],
      { record: 4, field: 'recordKind', message: 'A data record (データ区分 2) after the trailer record.' },
    ],
    [
      'no trailer',
      () => [header(), data1(), data2(), end()],
      { record: 4, field: 'recordKind', message: 'The end record (データ区分 9) must follow the trailer record (データ区分 8).' },
    ],
    [
      'no end record',
      () => [header(), data1(), data2(), trailer()],
      { record: 0, field: 'file', message: 'The file has no end record (データ区分 9).' },
    ],
    ['a record after the end record', () => [...goodRecords(), data1()], { record: 6, field: 'recordKind' }],
    ['no data records', () => [header(), trailer('000000', '000000000000'), end()], { record: 0, field: 'file' }],
  ])('failing: %s is reported by record and field', (_name, records, expected) => {
    expect(problemsOf(file(records()))).toContainEqual(expect.objectContaining(expected));
  });

  it('failing: every problem of every record is reported, in file order, not only the first', () => {
    const records = [
      patch(header(), 1, '11'),
      patch(patch(data1(), 1, '9999'), 80, '0000000000'),
      patch(patch(data2(), 43, '12X'), 50, sp(30)),
      trailer('000009', '000012345678'),
      end(),
    ];
    expect(problemsOf(file(records)).map((p) => [p.record, p.field])).toEqual([
      [1, 'typeCode'],
      [2, 'bankCode'],
      [2, 'amount'],
      [3, 'accountNumber'],
      [3, 'payeeName'],
      [4, 'totalCount'],
    ]);
  });

  it('failing: problems stop at 1,000 and say that more were left out', () => {
    const bad = patch(data1(), 1, '9999');
    const result = parseZenginTransferFile(
      file([header(), ...Array.from({ length: 1200 }, () => bad), trailer('001200', '000001200000'), end()]),
    );
    expect(result).toMatchObject({ ok: false, truncated: true });
    expect(!result.ok && result.problems.length).toBe(1000);
  });

  it('failing: without line breaks, a short record is reported once instead of shifting every field after it', () => {
    const problems = problemsOf(file([header(), data1().subarray(0, 118), data2(), trailer(), end()], []));
    expect(problems).toEqual([
      expect.objectContaining({ record: 3, field: 'record', message: expect.stringContaining('not a whole number of 120-byte records') }),
    ]);
  });

  it('failing: the same file saved as UTF-8 is refused with one clear problem', () => {
    const utf8 = Buffer.from(iconv.decode(file(goodRecords()), 'Shift_JIS'), 'utf8');
    expect(problemsOf(utf8)).toEqual([
      { record: 0, field: 'file', message: expect.stringMatching(/^The file is UTF-8, not Shift_JIS.*Shift_JIS\.$/) },
    ]);
    expect(problemsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toEqual([
      expect.objectContaining({ field: 'file', message: expect.stringContaining('UTF-8') }),
    ]);
  });

  it('failing: UTF-16 and EBCDIC files are refused with one clear problem', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(iconv.decode(file(goodRecords()), 'Shift_JIS'), 'utf16le')]);
    expect(problemsOf(utf16)).toEqual([expect.objectContaining({ record: 0, field: 'file', message: expect.stringContaining('UTF-16') })]);
    const ebcdic = Buffer.from([0xf1, 0xf2, 0xf1, 0xf1, ...Array<number>(116).fill(0x40)]);
    expect(problemsOf(ebcdic)).toEqual([expect.objectContaining({ record: 0, field: 'file', message: expect.stringContaining('EBCDIC') })]);
  });

  it('failing: an empty file is refused', () => {
    expect(problemsOf(Buffer.alloc(0))).toEqual([{ record: 0, field: 'file', message: 'The file is empty.' }]);
    expect(problemsOf(Buffer.from([0x0d, 0x0a, 0x1a]))).toEqual([{ record: 0, field: 'file', message: 'The file is empty.' }]);
  });
});

describe('writing a 総合振込 file', () => {
  const input: ZenginTransferFileInput = {
    header: {
      requesterCode: '1234567890',
      requesterName: 'ｶ)ﾃﾞﾓｼﾖｳｼﾞ',
      transferDate: '1125',
      bankCode: '0009',
      branchCode: '123',
      accountType: AccountType.ORDINARY,
      accountNumber: '1234567',
    },
    lines: [
      {
        bankCode: '0001',
        branchCode: '001',
        accountType: AccountType.ORDINARY,
        accountNumber: '7654321',
        payeeName: 'ﾔﾏﾀﾞ ﾀﾛｳ',
        amount: 1000,
      },
      {
        bankCode: '0009',
        branchCode: '123',
        accountType: AccountType.CURRENT,
        accountNumber: '0000001',
        payeeName: 'ｶ)ﾃｽﾄ',
        amount: 12_345_678,
        customerCode1: '0000012345',
      },
    ],
  };

  it('successful: the writer produces the hand-built file byte for byte', () => {
    expect(writeZenginTransferFile(input).equals(file(goodRecords()))).toBe(true);
  });

  it('successful: names as the bank stores them (full-width, from normalizePayeeName) are written half-width', () => {
    const stored = {
      header: { ...input.header, requesterName: normalizePayeeName('ｶ)ﾃﾞﾓｼｮｳｼﾞ') },
      lines: input.lines.map((l) => ({ ...l, payeeName: normalizePayeeName(l.payeeName) })),
    };
    expect(stored.lines[0].payeeName).toBe('ヤマダ タロウ');
    expect(writeZenginTransferFile(stored).equals(file(goodRecords()))).toBe(true);
  });

  it.each<[string, Partial<ZenginTransferFileInput['lines'][number]>, RegExp]>([
    [
      'a payee name longer than 30 half-width characters',
      { payeeName: 'ガ'.repeat(16) },
      /^Line 1: payeeName: Payee name \(受取人名\): it has 32 half-width characters/,
    ],
    ['a payee name in kanji', { payeeName: '山田太郎' }, /^Line 1: payeeName: Payee name \(受取人名\): "山" is not allowed/],
    ['an amount of 11 digits', { amount: 10_000_000_000 }, /^Line 1: amount must be at most 10 digits/],
    ['an amount of zero', { amount: 0 }, /^Line 1: amount must be at least ¥1/],
    ['an account number of 8 digits', { accountNumber: '12345678' }, /^Line 1: accountNumber must be at most 7 digits/],
  ])('failing: %s is BAD_USER_INPUT naming the line and field, not cut short', (_name, change, message) => {
    const bad = { ...input, lines: [{ ...input.lines[0], ...change }] };
    expect(() => writeZenginTransferFile(bad)).toThrow(DomainError);
    expect(() => writeZenginTransferFile(bad)).toThrow(message);
  });

  it.each([[1000], [10_000]])('successful: %i lines are written and read back', (count) => {
    const lines = Array.from({ length: count }, (_, i) => ({ ...input.lines[i % 2], amount: 1 + i }));
    const bytes = writeZenginTransferFile({ ...input, lines });
    expect(bytes.length).toBe((count + 3) * 122);
    const result = parseZenginTransferFile(bytes);
    expect(result.ok && result.file.lines.length).toBe(count);
    expect(result.ok && result.file.total).toBe((count * (count + 1)) / 2);
  });
});

// ——— property: write → parse gives the same lines ———

const SINGLE_KANA = Array.from({ length: 0xff9d - 0xff71 + 1 }, (_, i) => String.fromCharCode(0xff71 + i)); // ｱ–ﾝ
const VOICED = [...'ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎｳ'].map((k) => `${k}ﾞ`).concat([...'ﾊﾋﾌﾍﾎ'].map((k) => `${k}ﾟ`));
const OTHER = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()./-'];
const token = fc.constantFrom(...SINGLE_KANA, ...VOICED, ...OTHER);
/** A Zengin name as the bank keeps it: words of Zengin characters, one space between them. */
const zenginName = (max: number) =>
  fc
    .array(fc.array(token, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 })
    .map((words) => words.map((w) => w.join('')).join(' '))
    .filter((name) => name.length <= max);

const BRANCHES = Object.values(zenginCode).flatMap((bank) =>
  Object.keys(bank.branches)
    .slice(0, 3)
    .map((branchCode) => ({ bankCode: bank.code, branchCode })),
);
const digitsOf = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)).filter((s) => /[1-9]/.test(s));

const line = fc
  .record(
    {
      destination: fc.constantFrom(...BRANCHES),
      accountType: fc.constantFrom(AccountType.ORDINARY, AccountType.CURRENT, AccountType.SAVINGS),
      accountNumber: digitsOf(7),
      payeeName: zenginName(30),
      amount: fc.integer({ min: 1, max: 9_999_999_999 }),
      codes: fc.oneof(
        fc.record({ customerCode1: digitsOf(10), customerCode2: digitsOf(10) }, { requiredKeys: [] }),
        fc.record({ ediInfo: zenginName(20) }),
      ),
    },
    { requiredKeys: ['destination', 'accountType', 'accountNumber', 'payeeName', 'amount', 'codes'] },
  )
  .map(({ destination, codes, ...rest }) => ({ ...destination, ...rest, ...codes }));

describe('write → parse round trip', () => {
  it('successful: any lines written are read back the same, with the trailer total', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), zenginName(40), (lines, requesterName) => {
        const bytes = writeZenginTransferFile({ header: { ...EXPECTED.header, requesterName }, lines });
        const result = parseZenginTransferFile(bytes);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.file.header.requesterName).toBe(requesterName);
        expect(result.file.lines.map(({ record, bankName, branchName, ...rest }) => rest)).toEqual(lines);
        expect(result.file.lines.map((l) => l.record)).toEqual(lines.map((_, i) => i + 2));
        expect(result.file.total).toBe(lines.reduce((sum, l) => sum + l.amount, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('successful: every name a file may carry is one normalizePayeeName accepts, and it maps back to the same half-width name', () => {
    fc.assert(
      fc.property(zenginName(30), (name) => {
        expect(toZenginKana(normalizePayeeName(name))).toBe(name);
      }),
      { numRuns: 500 },
    );
  });
});

describe('bulk transfer lines sent as JSON (createBulkTransfer)', () => {
  const good = {
    bankCode: '0001',
    branchCode: '001',
    accountType: AccountType.ORDINARY,
    accountNumber: '7654321',
    payeeName: 'ヤマダ タロウ',
    amount: 1000,
  };

  it('successful: lines in any payee-name form come back in the file form, with the official names and the total', () => {
    const result = validateTransferLines([
      good,
      { ...good, bankCode: '0009', branchCode: '123', payeeName: 'か)てすと', amount: 5 },
      { ...good, payeeName: 'ｷｯﾃ ｼｮｳｼﾞ' },
    ]);
    expect(result).toEqual({
      ok: true,
      total: 2005,
      lines: [
        {
          record: 1,
          bankCode: '0001',
          bankName: 'みずほ',
          branchCode: '001',
          branchName: '東京営業部',
          accountType: AccountType.ORDINARY,
          accountNumber: '7654321',
          payeeName: 'ﾔﾏﾀﾞ ﾀﾛｳ',
          amount: 1000,
        },
        {
          record: 2,
          bankCode: '0009',
          bankName: '三井住友',
          branchCode: '123',
          branchName: '立売堀',
          accountType: AccountType.ORDINARY,
          accountNumber: '7654321',
          payeeName: 'ｶ)ﾃｽﾄ',
          amount: 5,
        },
        {
          record: 3,
          bankCode: '0001',
          bankName: 'みずほ',
          branchCode: '001',
          branchName: '東京営業部',
          accountType: AccountType.ORDINARY,
          accountNumber: '7654321',
          payeeName: 'ｷﾂﾃ ｼﾖｳｼﾞ',
          amount: 1000,
        },
      ],
    });
  });

  it('failing: each problem of each line is reported by its 1-based index and field, in the shape the file parser uses', () => {
    const result = validateTransferLines([
      good,
      { ...good, bankCode: '9999', accountNumber: '123' },
      { ...good, branchCode: '999', payeeName: '山田', amount: 0 },
      { ...good, accountType: 'CHECKING' as AccountType, payeeName: 'ア'.repeat(31), amount: 10_000_000_000 },
      { ...good, payeeName: 'ターミナル' },
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => [p.record, p.field])).toEqual([
      [2, 'bankCode'],
      [2, 'accountNumber'],
      [3, 'branchCode'],
      [3, 'payeeName'],
      [3, 'amount'],
      [4, 'accountType'],
      [4, 'payeeName'],
      [4, 'amount'],
      [5, 'payeeName'],
    ]);
    expect(!result.ok && result.problems[2].message).toBe('Branch 999 does not exist at 0001 みずほ.');
    expect(!result.ok && result.problems[8].message).toBe(
      'Payee name (受取人名): The long-vowel mark "ｰ" is not used in bank names: write "-".',
    );
  });

  it('failing: an empty list, and lines adding up to more than a Zengin trailer holds, are refused', () => {
    expect(validateTransferLines([])).toEqual({
      ok: false,
      truncated: false,
      problems: [{ record: 0, field: 'lines', message: 'A bulk transfer needs at least one line.' }],
    });
    const result = validateTransferLines(Array.from({ length: 101 }, () => ({ ...good, amount: 9_999_999_999 })));
    expect(result).toMatchObject({ ok: false, problems: [{ record: 0, field: 'amount' }] });
  });
});
