/** Reading 総合振込 (and 給与・賞与) files: every record checked, every problem named by record and field. */
import { yenText } from '../../common/money';
import {
  checkAccountNumber,
  checkDestination,
  checkPayeeName,
  ProblemList,
  type ZenginAccount,
  type ZenginProblem,
  type ZenginTransferLine,
} from './transfer-lines';
import { DATA, DATA_EDI, HEADER, TYPE_CODES, RecordKind, TRAILER, ZENGIN_RECORD_LENGTH } from './zengin-layout';
import { zenginNameProblem } from './zengin-kana';
import { accountType, digits, foreignEncoding, isMonthDay, printable, RecordReader, splitRecords } from './zengin-records';
import { runInTurns, runToEnd, turnEndsBefore, type Steps } from './in-turns';

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

/**
 * Reads and checks a 総合振込 file. Every record is checked and every problem reported (up to
 * MAX_PROBLEMS), by record number and field, so the customer can fix the file in one go; only
 * a file that cannot be read as records at all (another encoding, misaligned records without
 * line breaks) stops at that one problem. `typeCodes`: the 種別コード accepted (総合振込 21 by
 * default; 給与・賞与振込 11 and 12 share the layout).
 */
export function parseZenginTransferFile(bytes: Buffer, typeCodes: readonly string[] = ['21']): ZenginParseResult {
  return runToEnd(parseInSteps(bytes, typeCodes));
}

/**
 * The same reading, with other requests served every RECORDS_PER_TURN records: checking a record
 * (directory look-ups, name rules) costs tens of microseconds, so a 10,000-line file read in one
 * go would hold the event loop for a large part of a second.
 */
export async function parseZenginTransferFileInTurns(bytes: Buffer, typeCodes: readonly string[] = ['21']): Promise<ZenginParseResult> {
  return runInTurns(parseInSteps(bytes, typeCodes));
}

function* parseInSteps(bytes: Buffer, typeCodes: readonly string[]): Steps<ZenginParseResult> {
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

  for (const [index, raw] of records.entries()) {
    const record = index + 1;
    if (turnEndsBefore(index)) yield;
    if (raw.length === 0) {
      problems.add(record, 'record', `The record is empty (a blank line); Zengin records are exactly ${ZENGIN_RECORD_LENGTH} bytes.`);
      continue;
    }
    const kind = String.fromCharCode(raw[0]);
    const whole = raw.length === ZENGIN_RECORD_LENGTH;
    if (!whole) {
      problems.add(record, 'record', `The record is ${raw.length} bytes long; Zengin records are exactly ${ZENGIN_RECORD_LENGTH} bytes.`);
    }
    const reader = whole ? new RecordReader(raw) : undefined;
    if (seen.end) {
      problems.add(record, 'recordKind', 'Nothing may follow the end record (データ区分 9).', kind);
      continue;
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
  }

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
