import { yenText } from '../../common/money';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { AccountType } from '../accounts/account.entity';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { findBank, findBranch } from './bank-directory';
import {
  checkAccountNumber,
  checkDestination,
  checkPayeeName,
  MAX_TOTAL_AMOUNT,
  PAYEE_NAME_WIDTH,
  ProblemList,
  zenginFormOfName,
  type ZenginAccount,
  type ZenginField,
  type ZenginProblem,
  type ZenginTransferLine,
} from './transfer-lines';
import {
  ACCOUNT_TYPE_DIGIT,
  DATA,
  DATA_EDI,
  END,
  HEADER,
  TYPE_CODES,
  RecordKind,
  TRAILER,
  ZENGIN_RECORD_LENGTH,
  type FieldSpan,
} from './zengin-layout';
import { toZenginKana, zenginNameProblem } from './zengin-kana';

const ENCODING = 'Shift_JIS';
const CR = 0x0d;
const LF = 0x0a;
/** MS-DOS end-of-file mark some accounting software still appends. */
const EOF_MARK = 0x1a;

/** The header: who sends the bulk transfer, for which day, from which account. */
/** The requester and the account paid from (仕向). */
export interface ZenginTransferHeader extends ZenginAccount {
  /** 種別コード: 21 総合振込, 11 給与振込, 12 賞与振込 (the same 120-byte layout). */
  typeCode: string;
  /** 振込依頼人コード (委託者コード), ten digits. */
  requesterCode: string;
  /** 振込依頼人名, half-width as in the file. */
  requesterName: string;
  /** 振込指定日 (取組日) as the file gives it, MMDD; the year is the caller's to decide. */
  transferDate: string;
}

export interface ZenginTransferFile {
  header: ZenginTransferHeader;
  lines: ZenginTransferLine[];
  /** The sum of the lines' amounts, equal to the trailer's 合計金額. */
  total: number;
}

export type ZenginParseResult = { ok: true; file: ZenginTransferFile } | { ok: false; problems: ZenginProblem[]; truncated: boolean };

/** What writeZenginTransferFile needs: names may be half- or full-width katakana; bank and branch names come from the directory. */
export interface ZenginTransferFileInput {
  /** 種別コード 21 (総合振込) unless given. */
  header: Omit<ZenginTransferHeader, 'bankName' | 'branchName' | 'typeCode'> & { typeCode?: string };
  lines: ReadonlyArray<Omit<ZenginTransferLine, 'record' | 'bankName' | 'branchName'>>;
}

const DIGIT_TO_ACCOUNT_TYPE: Readonly<Record<string, AccountType>> = {
  [ACCOUNT_TYPE_DIGIT.ORDINARY]: AccountType.ORDINARY,
  [ACCOUNT_TYPE_DIGIT.CURRENT]: AccountType.CURRENT,
  [ACCOUNT_TYPE_DIGIT.SAVINGS]: AccountType.SAVINGS,
};

/**
 * Reads and checks a 総合振込 file. Every record is checked and every problem reported (up to
 * MAX_PROBLEMS), by record number and field, so the customer can fix the file in one go; only
 * a file that cannot be read as records at all (another encoding, misaligned records without
 * line breaks) stops at that one problem. `typeCodes`: the 種別コード accepted (総合振込 21 by
 * default; 給与・賞与振込 11 and 12 share the layout).
 */
export function parseZenginTransferFile(bytes: Buffer, typeCodes: readonly string[] = ['21']): ZenginParseResult {
  const problems = new ProblemList();
  const encoding = foreignEncoding(bytes);
  if (encoding) {
    problems.add(0, 'file', encoding);
    return { ok: false, problems: problems.items, truncated: false };
  }
  const records = splitRecords(bytes, problems);
  if (problems.count > 0) return { ok: false, problems: problems.items, truncated: false };
  if (records.length === 0) {
    problems.add(0, 'file', 'The file is empty.');
    return { ok: false, problems: problems.items, truncated: false };
  }

  let header: ZenginTransferHeader | undefined;
  let trailer: { record: number; count?: number; amount?: number } | undefined;
  const seen = { header: false, trailer: false, end: false };
  let headerMissingReported = false;
  const headerMissing = (record: number, kind: string) => {
    if (seen.header || record !== 1) return;
    problems.add(record, 'recordKind', 'The file must start with a header record (データ区分 1).', kind);
    headerMissingReported = true;
  };
  const lines: ZenginTransferLine[] = [];
  let dataRecords = 0;
  let amountsKnown = true;
  let sum = 0;

  records.forEach((raw, index) => {
    const record = index + 1;
    if (raw.length === 0) {
      problems.add(record, 'record', `The record is empty (a blank line); Zengin records are exactly ${ZENGIN_RECORD_LENGTH} bytes.`);
      return;
    }
    const kind = String.fromCharCode(raw[0]);
    const whole = raw.length === ZENGIN_RECORD_LENGTH;
    if (!whole) {
      problems.add(record, 'record', `The record is ${raw.length} bytes long; Zengin records are exactly ${ZENGIN_RECORD_LENGTH} bytes.`);
    }
    const reader = whole ? new RecordReader(raw) : undefined;
    if (seen.end) {
      problems.add(record, 'recordKind', 'Nothing may follow the end record (データ区分 9).', kind);
      return;
    }
    switch (kind) {
      case RecordKind.HEADER:
        if (seen.header)
          problems.add(
            record,
            'recordKind',
            'A second header record: one file holds one bulk transfer (multi-file Zengin data is not accepted).',
            kind,
          );
        else if (record !== 1) problems.add(record, 'recordKind', 'The header record (データ区分 1) must be the first record.', kind);
        if (reader && !seen.header) header = readHeader(reader, record, problems, typeCodes);
        seen.header = true;
        break;
      case RecordKind.DATA: {
        dataRecords += 1;
        headerMissing(record, kind);
        if (seen.trailer) problems.add(record, 'recordKind', 'A data record (データ区分 2) after the trailer record.', kind);
        const line = reader && readLine(reader, record, problems);
        if (line?.amount === undefined) amountsKnown = false;
        else sum += line.amount;
        if (line?.complete) lines.push(line.complete);
        break;
      }
      case RecordKind.TRAILER:
        headerMissing(record, kind);
        if (seen.trailer) problems.add(record, 'recordKind', 'A second trailer record (データ区分 8).', kind);
        else trailer = { record, ...(reader ? readTrailer(reader, record, problems) : {}) };
        seen.trailer = true;
        break;
      case RecordKind.END:
        if (!seen.trailer)
          problems.add(record, 'recordKind', 'The end record (データ区分 9) must follow the trailer record (データ区分 8).', kind);
        seen.end = true;
        break;
      default:
        problems.add(
          record,
          'recordKind',
          'データ区分 (the first byte) must be 1 (header), 2 (data), 8 (trailer) or 9 (end).',
          printable(kind),
        );
    }
  });

  if (!seen.header && !headerMissingReported) problems.add(0, 'file', 'The file has no header record (データ区分 1).');
  if (dataRecords === 0) problems.add(0, 'file', 'The file has no data records (データ区分 2): there is nothing to transfer.');
  if (!seen.trailer) problems.add(0, 'file', 'The file has no trailer record (データ区分 8).');
  if (!seen.end) problems.add(0, 'file', 'The file has no end record (データ区分 9).');
  if (trailer) {
    if (trailer.count !== undefined && trailer.count !== dataRecords) {
      problems.add(
        trailer.record,
        'totalCount',
        `The trailer's count (合計件数) is ${trailer.count}, but the file has ${dataRecords} data records.`,
        String(trailer.count),
      );
    }
    // A sum over amounts that could not be read would only repeat those lines' problems.
    if (trailer.amount !== undefined && amountsKnown && trailer.amount !== sum) {
      problems.add(
        trailer.record,
        'totalAmount',
        `The trailer's total (合計金額) is ${yenText(trailer.amount)}, but the data records add up to ${yenText(sum)}.`,
        String(trailer.amount),
      );
    }
  }
  if (problems.count > 0 || problems.truncated || !header) return { ok: false, problems: problems.items, truncated: problems.truncated };
  return { ok: true, file: { header, lines, total: sum } };
}

/** A clear refusal for a file that is not Shift_JIS at all, before its bytes are read as records. */
function foreignEncoding(bytes: Buffer): string | undefined {
  const again = 'Export the file again in the Zengin format (全銀フォーマット), Shift_JIS.';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0x00)) {
    return `The file is UTF-16 (or binary), not Shift_JIS. ${again}`;
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return `The file is UTF-8 (it starts with a byte-order mark), not Shift_JIS. ${again}`;
  // Katakana in UTF-8 are three bytes led by 0xE3 (full-width) or 0xEF (half-width); a Zengin
  // file in Shift_JIS holds no byte 0xE0–0xEF at all (half-width kana are 0xA1–0xDF), so such
  // a byte in a file that is valid UTF-8 means it was saved as UTF-8.
  if (bytes.some((b) => b >= 0xe0 && b <= 0xef) && isUtf8(bytes))
    return `The file is UTF-8, not Shift_JIS: its katakana are 3 bytes each. ${again}`;
  // "1" in EBCDIC: a header with コード区分 1.
  if (bytes[0] === 0xf1) return `The file is EBCDIC (コード区分 1); only Shift_JIS files (コード区分 0) are accepted. ${again}`;
  return undefined;
}

/**
 * Cuts the bytes into records before anything is decoded: records are 120 bytes, not 120
 * characters. CR LF (or a lone LF or CR) may follow each record; a file without line breaks is
 * cut every 120 bytes. A trailing EOF mark (0x1A) and line break are dropped. In Shift_JIS, CR
 * and LF never occur inside a double-byte character (trail bytes are 0x40–0xFC), so cutting at
 * them is safe.
 */
function splitRecords(bytes: Buffer, problems: ProblemList): Buffer[] {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === EOF_MARK || bytes[end - 1] === CR || bytes[end - 1] === LF)) end -= 1;
  const body = bytes.subarray(0, end);
  const records: Buffer[] = [];
  if (body.includes(LF) || body.includes(CR)) {
    let start = 0;
    for (let i = 0; i < body.length; i++) {
      if (body[i] !== CR && body[i] !== LF) continue;
      records.push(body.subarray(start, i));
      if (body[i] === CR && body[i + 1] === LF) i += 1;
      start = i + 1;
    }
    records.push(body.subarray(start));
    return records;
  }
  if (body.length % ZENGIN_RECORD_LENGTH !== 0) {
    // Without line breaks one short or long record shifts every record after it, and their
    // fields would be garbage: name where the shift shows, and stop.
    const count = Math.ceil(body.length / ZENGIN_RECORD_LENGTH);
    let first = count;
    for (let k = 1; k < count; k++) {
      if (!'1289'.includes(String.fromCharCode(body[k * ZENGIN_RECORD_LENGTH]))) {
        first = k + 1;
        break;
      }
    }
    problems.add(
      first,
      'record',
      `The file has no line breaks and is ${body.length} bytes long, which is not a whole number of ${ZENGIN_RECORD_LENGTH}-byte records: ` +
        `record ${first} or one before it is too short or too long.`,
    );
    return [];
  }
  for (let start = 0; start < body.length; start += ZENGIN_RECORD_LENGTH) records.push(body.subarray(start, start + ZENGIN_RECORD_LENGTH));
  return records;
}

/**
 * Fields of one 120-byte record by byte offset. A record of single-byte characters (all a valid
 * one holds) is decoded once and sliced; one holding double-byte characters is decoded field by
 * field, so offsets stay byte offsets and the stray character shows up in its own field.
 */
class RecordReader {
  private readonly text: string | undefined;

  constructor(private readonly bytes: Buffer) {
    this.text = bytes.every(isSingleByte) ? iconv.decode(bytes, ENCODING) : undefined;
  }

  get(span: FieldSpan): string {
    if (this.text !== undefined) return this.text.slice(span.start, span.start + span.length);
    return iconv.decode(this.bytes.subarray(span.start, span.start + span.length), ENCODING);
  }

  /** A C field without its space fill. */
  trimmed(span: FieldSpan): string {
    return this.get(span).trimEnd();
  }
}

/** Not a Shift_JIS lead byte (0x81–0x9F, 0xE0–0xFC): the byte is one character on its own. */
function isSingleByte(b: number): boolean {
  return b < 0x81 || (b >= 0xa0 && b <= 0xdf);
}

function printable(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is shown escaped
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** An N field that must hold exactly its width of digits. */
function digits(
  reader: RecordReader,
  span: FieldSpan,
  record: number,
  field: ZenginField,
  label: string,
  problems: ProblemList,
): string | undefined {
  const value = reader.get(span);
  if (/^\d+$/.test(value) && value.length === span.length) return value;
  problems.add(record, field, `${label} must be ${span.length} digits.`, printable(value.trimEnd()));
  return undefined;
}

function accountType(reader: RecordReader, span: FieldSpan, record: number, problems: ProblemList): AccountType | undefined {
  const digit = reader.get(span);
  const type = DIGIT_TO_ACCOUNT_TYPE[digit];
  if (type) return type;
  const why = digit === '9' ? ' 9 (その他) is not accepted.' : '';
  problems.add(record, 'accountType', `The account type (預金種目) must be 1 (普通), 2 (当座) or 4 (貯蓄).${why}`, printable(digit));
  return undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** MMDD of some year (29 February included): the file gives no year. */
function isMonthDay(mmdd: string): boolean {
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2));
  return /^\d{4}$/.test(mmdd) && month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}

function readHeader(
  reader: RecordReader,
  record: number,
  problems: ProblemList,
  typeCodes: readonly string[],
): ZenginTransferHeader | undefined {
  const before = problems.count;
  const typeCode = reader.get(HEADER.typeCode);
  if (!typeCodes.includes(typeCode)) {
    const other = TYPE_CODES[typeCode];
    const accepted = typeCodes.map((code) => `${TYPE_CODES[code]} files (種別コード ${code})`).join(' or ');
    problems.add(
      record,
      'typeCode',
      `Only ${accepted} are accepted; this one is ${other ? `${typeCode} (${other})` : `"${printable(typeCode)}"`}.`,
      printable(typeCode),
    );
  }
  const codeType = reader.get(HEADER.codeType);
  if (codeType === '1')
    problems.add(record, 'codeType', 'コード区分 1 (EBCDIC) is not accepted: send the file in Shift_JIS (コード区分 0).', codeType);
  else if (codeType !== '0') problems.add(record, 'codeType', 'コード区分 must be 0 (Shift_JIS).', printable(codeType));

  const requesterCode = digits(reader, HEADER.requesterCode, record, 'requesterCode', 'The requester code (振込依頼人コード)', problems);
  const requesterName = reader.trimmed(HEADER.requesterName);
  const nameProblem = zenginNameProblem(requesterName);
  if (requesterName === '') problems.add(record, 'requesterName', 'The requester name (振込依頼人名) is blank.');
  else if (nameProblem) problems.add(record, 'requesterName', `Requester name (振込依頼人名): ${nameProblem}`, requesterName);

  const transferDate = reader.get(HEADER.transferDate);
  if (!isMonthDay(transferDate)) {
    problems.add(record, 'transferDate', 'The transfer date (振込指定日) must be a date as MMDD.', printable(transferDate));
  }

  const bankCode = reader.get(HEADER.bankCode);
  const branchCode = reader.get(HEADER.branchCode);
  const source = checkDestination(problems, record, bankCode, branchCode);
  const type = accountType(reader, HEADER.accountType, record, problems);
  const accountNumber = checkAccountNumber(problems, record, reader.get(HEADER.accountNumber));
  if (problems.count !== before || !requesterCode || !source || !type || !accountNumber) return undefined;
  return { typeCode, requesterCode, requesterName, transferDate, bankCode, branchCode, ...source, accountType: type, accountNumber };
}

/** A data record: the line when every field is good, and its amount whenever that could be read. */
function readLine(reader: RecordReader, record: number, problems: ProblemList): { complete?: ZenginTransferLine; amount?: number } {
  const before = problems.count;
  const bankCode = reader.get(DATA.bankCode);
  const branchCode = reader.get(DATA.branchCode);
  const destination = checkDestination(problems, record, bankCode, branchCode);
  const type = accountType(reader, DATA.accountType, record, problems);
  const accountNumber = checkAccountNumber(problems, record, reader.get(DATA.accountNumber));
  const payeeName = checkPayeeName(problems, record, reader.trimmed(DATA.payeeName));

  let amount: number | undefined;
  const amountText = digits(reader, DATA.amount, record, 'amount', 'The amount (振込金額)', problems);
  if (amountText !== undefined) {
    amount = Number(amountText);
    if (amount === 0) problems.add(record, 'amount', 'The amount (振込金額) is zero: a transfer is at least ¥1.', amountText);
  }

  const codes: Pick<ZenginTransferLine, 'customerCode1' | 'customerCode2' | 'ediInfo'> = {};
  if (reader.get(DATA.ediMark) === 'Y') {
    const edi = reader.trimmed(DATA_EDI);
    const ediProblem = zenginNameProblem(edi);
    if (ediProblem) problems.add(record, 'ediInfo', `EDI情報: ${ediProblem}`, edi);
    else if (edi !== '') codes.ediInfo = edi;
  } else {
    for (const field of ['customerCode1', 'customerCode2'] as const) {
      const value = reader.get(DATA[field]);
      // Unused customer codes come zero- or space-filled from different software: both mean none.
      if (/^[0 ]+$/.test(value)) continue;
      if (/^\d+$/.test(value)) codes[field] = value;
      else
        problems.add(
          record,
          field,
          `${field === 'customerCode1' ? '顧客コード1' : '顧客コード2'} must be ten digits.`,
          printable(value.trimEnd()),
        );
    }
  }

  const complete =
    problems.count === before && destination && type && accountNumber && payeeName && amount
      ? { record, bankCode, ...destination, branchCode, accountType: type, accountNumber, payeeName, amount, ...codes }
      : undefined;
  return { amount, complete };
}

function readTrailer(reader: RecordReader, record: number, problems: ProblemList): { count?: number; amount?: number } {
  const count = digits(reader, TRAILER.totalCount, record, 'totalCount', "The trailer's count (合計件数)", problems);
  const amount = digits(reader, TRAILER.totalAmount, record, 'totalAmount', "The trailer's total (合計金額)", problems);
  return { count: count === undefined ? undefined : Number(count), amount: amount === undefined ? undefined : Number(amount) };
}

// ——— writing ———

/** 振込指定区分 7: 電信扱, the only way an internet bank sends a transfer. */
const TELEGRAPHIC = '7';

function refuse(where: string, message: string): never {
  throw new DomainError(ErrorCode.BAD_USER_INPUT, `${where}: ${message}`);
}

function numeric(value: string | number, width: number, where: string, label: string): string {
  const text = String(value);
  if (!/^\d+$/.test(text) || text.length > width) refuse(where, `${label} must be at most ${width} digits.`);
  return text.padStart(width, '0');
}

/** A C field: Zengin characters only, left-aligned and space-filled; too long is refused, not cut. */
function alpha(value: string, width: number, where: string, label: string): string {
  const text = toZenginKana(value);
  return fitted(text, width, where, label);
}

/** A name field: in any form normalizePayeeName accepts, written in its normalised half-width form. */
function name(value: string, width: number, where: string, label: string): string {
  let text: string;
  try {
    text = zenginFormOfName(value, width);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refuse(where, `${label}: ${error.message}`);
  }
  return fitted(text, width, where, label);
}

function fitted(text: string, width: number, where: string, label: string): string {
  const problem = zenginNameProblem(text);
  if (problem) refuse(where, `${label}: ${problem}`);
  if (text.length > width) refuse(where, `${label} has ${text.length} half-width characters; the field holds ${width}.`);
  return text.padEnd(width, ' ');
}

/** The directory's reading of a bank or branch name, half-width, cut to its 15-byte field (the name fields are for reference only). */
function directoryName(kana: string | undefined, width: number): string {
  const text = toZenginKana(kana ?? '');
  return (zenginNameProblem(text) ? '' : text).slice(0, width).padEnd(width, ' ');
}

/**
 * Builds a 総合振込 file (Shift_JIS, CR LF after every record) from a header and lines: the
 * export of a bulk transfer, and test data. Names may be in any form normalizePayeeName accepts
 * (a stored full-width カ)デモ is written ｶ)ﾃﾞﾓ). Bank and branch name fields are filled from
 * the directory; the trailer's count and total are computed. Input that cannot be written as
 * Zengin data (a too-long name, an 11-digit amount) is BAD_USER_INPUT naming the line and
 * field, never cut short silently.
 */
export function writeZenginTransferFile(file: ZenginTransferFileInput): Buffer {
  const { header } = file;
  const h = 'Header';
  const records: string[] = [
    RecordKind.HEADER +
      (header.typeCode ?? '21') +
      '0' +
      numeric(header.requesterCode, HEADER.requesterCode.length, h, 'requesterCode') +
      name(header.requesterName, HEADER.requesterName.length, h, 'requesterName') +
      (isMonthDay(header.transferDate) ? header.transferDate : refuse(h, 'transferDate must be a date as MMDD.')) +
      numeric(header.bankCode, 4, h, 'bankCode') +
      directoryName(findBank(header.bankCode)?.kana, HEADER.bankName.length) +
      numeric(header.branchCode, 3, h, 'branchCode') +
      directoryName(findBranch(header.bankCode, header.branchCode)?.kana, HEADER.branchName.length) +
      accountTypeDigit(header.accountType, h) +
      numeric(header.accountNumber, 7, h, 'accountNumber') +
      ' '.repeat(HEADER.dummy.length),
  ];
  let total = 0;
  file.lines.forEach((line, index) => {
    const where = `Line ${index + 1}`;
    if (!Number.isSafeInteger(line.amount) || line.amount < 1) refuse(where, 'amount must be at least ¥1, in whole yen.');
    total += line.amount;
    if (line.ediInfo !== undefined && (line.customerCode1 !== undefined || line.customerCode2 !== undefined)) {
      refuse(where, 'a line carries either EDI情報 or customer codes, not both.');
    }
    const tail =
      line.ediInfo !== undefined
        ? alpha(line.ediInfo, DATA_EDI.length, where, 'ediInfo') + TELEGRAPHIC + 'Y'
        : numeric(line.customerCode1 ?? '0', 10, where, 'customerCode1') +
          numeric(line.customerCode2 ?? '0', 10, where, 'customerCode2') +
          TELEGRAPHIC +
          ' ';
    records.push(
      RecordKind.DATA +
        numeric(line.bankCode, 4, where, 'bankCode') +
        directoryName(findBank(line.bankCode)?.kana, DATA.bankName.length) +
        numeric(line.branchCode, 3, where, 'branchCode') +
        directoryName(findBranch(line.bankCode, line.branchCode)?.kana, DATA.branchName.length) +
        '0000' +
        accountTypeDigit(line.accountType, where) +
        numeric(line.accountNumber, 7, where, 'accountNumber') +
        name(line.payeeName, PAYEE_NAME_WIDTH, where, 'payeeName') +
        numeric(line.amount, 10, where, 'amount') +
        '0' +
        tail +
        ' '.repeat(DATA.dummy.length),
    );
  });
  if (total > MAX_TOTAL_AMOUNT)
    refuse('Trailer', `the lines add up to ${yenText(total)}; a Zengin file carries at most ${yenText(MAX_TOTAL_AMOUNT)}.`);
  records.push(
    RecordKind.TRAILER +
      numeric(file.lines.length, 6, 'Trailer', 'count') +
      numeric(total, 12, 'Trailer', 'total') +
      ' '.repeat(TRAILER.dummy.length),
  );
  records.push(RecordKind.END + ' '.repeat(END.dummy.length));

  const bytes = iconv.encode(records.map((r) => r + '\r\n').join(''), ENCODING);
  // Every character written is a single byte in Shift_JIS; anything else is a bug here.
  if (bytes.length !== records.length * (ZENGIN_RECORD_LENGTH + 2))
    throw new Error('writeZenginTransferFile built a record that is not 120 bytes');
  return bytes;
}

function accountTypeDigit(type: AccountType, where: string): string {
  return Object.prototype.hasOwnProperty.call(ACCOUNT_TYPE_DIGIT, type)
    ? ACCOUNT_TYPE_DIGIT[type]
    : refuse(where, `accountType ${String(type)} is not ORDINARY, CURRENT or SAVINGS.`);
}
