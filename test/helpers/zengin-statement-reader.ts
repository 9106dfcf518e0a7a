/**
 * A reader of 全銀協 入出金取引明細 (種別コード 03) files for tests, written from the layout as
 * banks publish it (column positions counted from 1, as their tables give them), not from the
 * gateway's writer: it shares no code with src/downloads/zengin-statement.ts, and decodes with
 * the platform's own Shift_JIS decoder (TextDecoder, ICU) rather than iconv-lite.
 */

/** [first column, last column] of a field, 1-based and inclusive, as the layout tables list them. */
type Columns = readonly [number, number];

const HEADER = {
  recordKind: [1, 1],
  typeCode: [2, 3],
  codeType: [4, 4],
  createdOn: [5, 10],
  from: [11, 16],
  to: [17, 22],
  bankCode: [23, 26],
  bankName: [27, 41],
  branchCode: [42, 44],
  branchName: [45, 59],
  reserved: [60, 62],
  accountType: [63, 63],
  accountNumber: [64, 73],
  accountName: [74, 113],
  openingSign: [114, 114],
  passbook: [115, 115],
  openingBalance: [116, 129],
  dummy: [130, 200],
} as const satisfies Record<string, Columns>;

const DATA = {
  recordKind: [1, 1],
  inquiryNumber: [2, 9],
  bookingDate: [10, 15],
  valueDate: [16, 21],
  direction: [22, 22],
  transactionKind: [23, 24],
  amount: [25, 36],
  otherBankCheques: [37, 48],
  clearingDate: [49, 54],
  dishonourDate: [55, 60],
  billKind: [61, 61],
  billNumber: [62, 68],
  branchOfTransaction: [69, 71],
  remitterCode: [72, 81],
  remitterName: [82, 129],
  remitterBank: [130, 144],
  remitterBranch: [145, 159],
  summary: [160, 179],
  ediInfo: [180, 199],
  dummy: [200, 200],
} as const satisfies Record<string, Columns>;

const TRAILER = {
  recordKind: [1, 1],
  creditCount: [2, 7],
  creditTotal: [8, 20],
  debitCount: [21, 26],
  debitTotal: [27, 39],
  closingSign: [40, 40],
  closingBalance: [41, 54],
  dataCount: [55, 61],
  dummy: [62, 200],
} as const satisfies Record<string, Columns>;

const END = {
  recordKind: [1, 1],
  recordCount: [2, 11],
  accountCount: [12, 16],
  dummy: [17, 200],
} as const satisfies Record<string, Columns>;

/** Numeric fields, by record: all digits, read as numbers. */
const NUMERIC = new Set([
  'typeCode',
  'codeType',
  'createdOn',
  'from',
  'to',
  'bankCode',
  'branchCode',
  'reserved',
  'accountType',
  'accountNumber',
  'openingSign',
  'passbook',
  'openingBalance',
  'inquiryNumber',
  'bookingDate',
  'valueDate',
  'direction',
  'transactionKind',
  'amount',
  'otherBankCheques',
  'clearingDate',
  'dishonourDate',
  'billKind',
  'billNumber',
  'branchOfTransaction',
  'remitterCode',
  'creditCount',
  'creditTotal',
  'debitCount',
  'debitTotal',
  'closingSign',
  'closingBalance',
  'dataCount',
  'recordCount',
  'accountCount',
]);

type Fields<L> = { [K in keyof L]: string };

const decoder = new TextDecoder('shift_jis', { fatal: true });

function read<L extends Record<string, Columns>>(record: Buffer, layout: L, where: string): Fields<L> {
  const fields = {} as Record<string, string>;
  for (const [name, [first, last]] of Object.entries(layout)) {
    const bytes = record.subarray(first - 1, last);
    // C fields hold JIS X 0201 only: ASCII and half-width katakana, one byte each.
    if (!bytes.every((b) => (b >= 0x20 && b <= 0x7e) || (b >= 0xa1 && b <= 0xdf))) throw new Error(`${where} ${name}: not JIS X 0201`);
    const text = decoder.decode(bytes);
    if (NUMERIC.has(name) && !/^\d+$/.test(text)) throw new Error(`${where} ${name}: "${text}" is not N(${last - first + 1})`);
    fields[name] = text;
  }
  return fields as Fields<L>;
}

export interface ReadStatement {
  header: Fields<typeof HEADER>;
  data: Array<Fields<typeof DATA>>;
  trailer: Fields<typeof TRAILER>;
  end: Fields<typeof END>;
  /** Whether each record was followed by CR LF. */
  crlf: boolean;
}

/** Reads one account's file: header, data records, trailer, end, each 200 bytes, with CR LF after each or none at all. */
export function readZenginStatement(file: Buffer): ReadStatement {
  const crlf = file.length % 202 === 0 && file[200] === 0x0d && file[201] === 0x0a;
  const size = crlf ? 202 : 200;
  if (file.length % size !== 0) throw new Error(`${file.length} bytes is not a whole number of ${size}-byte records`);
  const records = Array.from({ length: file.length / size }, (_, i) => file.subarray(i * size, i * size + 200));
  if (crlf && !records.every((_, i) => file[i * size + 200] === 0x0d && file[i * size + 201] === 0x0a)) {
    throw new Error('CR LF after some records only');
  }
  const kinds = records.map((r) => String.fromCharCode(r[0])).join('');
  if (!/^12*89$/.test(kinds)) throw new Error(`record kinds ${kinds} are not 1, 2…, 8, 9`);
  return {
    header: read(records[0], HEADER, 'header'),
    data: records.slice(1, -2).map((r, i) => read(r, DATA, `data ${i + 1}`)),
    trailer: read(records.at(-2)!, TRAILER, 'trailer'),
    end: read(records.at(-1)!, END, 'end'),
    crlf,
  };
}

/** YYMMDD of the 令和 era (from 2019-05-01) as YYYY-MM-DD. */
export function reiwaDate(yymmdd: string): string {
  return `${2018 + Number(yymmdd.slice(0, 2))}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}
