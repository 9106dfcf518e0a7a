/** Zengin records as bytes: the encoding check, cutting into 120-byte records and reading fields by byte offset. */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { AccountType } from '../accounts/account.entity';
import { jisX0201Text } from './jis-x0201';
import { ProblemList, type ZenginField } from './transfer-lines';
import { ACCOUNT_TYPE_DIGIT, ZENGIN_RECORD_LENGTH, type FieldSpan } from './zengin-layout';

export const ZENGIN_ENCODING = 'Shift_JIS';
const CR = 0x0d;
const LF = 0x0a;
/** MS-DOS end-of-file mark some accounting software still appends. */
const EOF_MARK = 0x1a;

const DIGIT_TO_ACCOUNT_TYPE: Readonly<Record<string, AccountType>> = {
  [ACCOUNT_TYPE_DIGIT.ORDINARY]: AccountType.ORDINARY,
  [ACCOUNT_TYPE_DIGIT.CURRENT]: AccountType.CURRENT,
  [ACCOUNT_TYPE_DIGIT.SAVINGS]: AccountType.SAVINGS,
};

/** A clear refusal for a file that is not Shift_JIS at all, before its bytes are read as records. */
export function foreignEncoding(bytes: Buffer): string | undefined {
  const again = 'Export the file again in the Zengin format (全銀フォーマット), Shift_JIS.';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0x00)) {
    return `The file is UTF-16 (or binary), not Shift_JIS. ${again}`;
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return `The file is UTF-8 (it starts with a byte-order mark), not Shift_JIS. ${again}`;
  // Katakana in UTF-8 are three bytes led by 0xE3 (full-width) or 0xEF (half-width); a Zengin
  // file in Shift_JIS holds no byte 0xE0–0xEF at all (half-width kana are 0xA1–0xDF), so such
  // a byte in a file that is valid UTF-8 means it was saved as UTF-8.
  // (isUtf8 first: it is native and stops at a Shift_JIS file's first half-width kana.)
  if (isUtf8(bytes) && hasByteIn(bytes, 0xe0, 0xef)) return `The file is UTF-8, not Shift_JIS: its katakana are 3 bytes each. ${again}`;
  // "1" in EBCDIC: a header with コード区分 1.
  if (bytes[0] === 0xf1) return `The file is EBCDIC (コード区分 1); only Shift_JIS files (コード区分 0) are accepted. ${again}`;
  return undefined;
}

function hasByteIn(bytes: Buffer, low: number, high: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= low && bytes[i] <= high) return true;
  return false;
}

/**
 * Cuts the bytes into records before anything is decoded: records are 120 bytes, not 120
 * characters. CR LF (or a lone LF or CR) may follow each record; a file without line breaks is
 * cut every 120 bytes. A trailing EOF mark (0x1A) and line break are dropped. In Shift_JIS, CR
 * and LF never occur inside a double-byte character (trail bytes are 0x40–0xFC), so cutting at
 * them is safe.
 */
export function splitRecords(bytes: Buffer, problems: ProblemList): Buffer[] {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === EOF_MARK || bytes[end - 1] === CR || bytes[end - 1] === LF)) end -= 1;
  const body = bytes.subarray(0, end);
  const records: Buffer[] = [];
  let nextCr = body.indexOf(CR);
  let nextLf = body.indexOf(LF);
  if (nextCr >= 0 || nextLf >= 0) {
    // indexOf (native) finds the breaks: a loop over every byte took milliseconds for a 10,000-line file.
    let start = 0;
    while (nextCr >= 0 || nextLf >= 0) {
      const i = nextCr < 0 ? nextLf : nextLf < 0 ? nextCr : Math.min(nextCr, nextLf);
      records.push(body.subarray(start, i));
      start = body[i] === CR && body[i + 1] === LF ? i + 2 : i + 1;
      if (nextCr >= 0 && nextCr < start) nextCr = body.indexOf(CR, start);
      if (nextLf >= 0 && nextLf < start) nextLf = body.indexOf(LF, start);
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

/** Whether String.prototype.trimEnd removes this JIS X 0201 byte: space, or tab to carriage return (09–0D). */
const trimmedAway = (byte: number): boolean => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

/**
 * Fields of one 120-byte record by byte offset. A record of JIS X 0201 characters (all a valid one
 * holds) is decoded once and sliced; any other is decoded field by field, so offsets stay byte
 * offsets and a stray character shows up in its own field.
 */
export class RecordReader {
  private readonly text: string | undefined;

  constructor(private readonly bytes: Buffer) {
    this.text = jisX0201Text(bytes);
  }

  get(span: FieldSpan): string {
    if (this.text !== undefined) return this.text.slice(span.start, span.start + span.length);
    return iconv.decode(this.bytes.subarray(span.start, span.start + span.length), ZENGIN_ENCODING);
  }

  /**
   * A C field without its space fill (what trimEnd removes). Decoded from its own bytes rather than
   * sliced from the record's text: a slice keeps the whole record's text alive for as long as the
   * value is, and a bulk transfer's payee names are kept until its lines are stored (10,000 lines
   * held 3.4 MB, now 1.6 MB, that every young-generation garbage collection of the import copied).
   */
  trimmed(span: FieldSpan): string {
    if (this.text === undefined) return this.get(span).trimEnd();
    let end = span.start + span.length;
    while (end > span.start && trimmedAway(this.bytes[end - 1])) end -= 1;
    return jisX0201Text(this.bytes.subarray(span.start, end))!;
  }
}

export function printable(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is shown escaped
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** An N field that must hold exactly its width of digits. */
export function digits(
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

export function accountType(reader: RecordReader, span: FieldSpan, record: number, problems: ProblemList): AccountType | undefined {
  const digit = reader.get(span);
  const type = DIGIT_TO_ACCOUNT_TYPE[digit];
  if (type) return type;
  const why = digit === '9' ? ' 9 (その他) is not accepted.' : '';
  problems.add(record, 'accountType', `The account type (預金種目) must be 1 (普通), 2 (当座) or 4 (貯蓄).${why}`, printable(digit));
  return undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** MMDD of some year (29 February included): the file gives no year. */
export function isMonthDay(mmdd: string): boolean {
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2));
  return /^\d{4}$/.test(mmdd) && month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}
