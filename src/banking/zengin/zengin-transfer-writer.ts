/** Writing 総合振込 (and 給与・賞与) files: the export of an order, and test data. */
import iconv from 'iconv-lite';
import { yenText } from '../../common/money';
import { AccountType } from '../accounts/account.entity';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { findBank, findBranch } from './bank-directory';
import { MAX_TOTAL_AMOUNT, PAYEE_NAME_WIDTH, zenginFormOfName } from './transfer-lines';
import { ACCOUNT_TYPE_DIGIT, DATA, DATA_EDI, END, HEADER, RecordKind, TRAILER, ZENGIN_RECORD_LENGTH } from './zengin-layout';
import { toZenginKana, zenginNameProblem } from './zengin-kana';
import { isMonthDay, ZENGIN_ENCODING } from './zengin-records';
import type { ZenginTransferFileInput } from './zengin-transfer-file';

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

  const bytes = iconv.encode(records.map((r) => r + '\r\n').join(''), ZENGIN_ENCODING);
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
