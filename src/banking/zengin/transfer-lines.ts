import { yenText } from '../../common/money';
import { AccountType } from '../accounts/account.entity';
import { DomainError } from '../../common/domain-error';
import { normalizePayeeName, PAYEE_NAME_WIDTH } from '../payee-name';
import { findBank, findBranch } from './bank-directory';
import { runInTurns, runToEnd, turnEndsBefore, type Steps } from './in-turns';
import { toZenginKana, zenginNameProblem } from './zengin-kana';

/** The fields a problem can be about: a line's or the header's field, or the record or file itself. */
export const ZENGIN_FIELDS = [
  'file',
  'lines',
  'record',
  'recordKind',
  'typeCode',
  'codeType',
  'requesterCode',
  'requesterName',
  'transferDate',
  'bankCode',
  'branchCode',
  'accountType',
  'accountNumber',
  'payeeName',
  'amount',
  'customerCode1',
  'customerCode2',
  'ediInfo',
  'totalCount',
  'totalAmount',
] as const;

/** Listed as values so that the web app's labels are generated from them (scripts/web-codegen.ts). */
export type ZenginField = (typeof ZENGIN_FIELDS)[number];

/**
 * One thing wrong with a bulk transfer. `record` is the 1-based record (line) of the file, or the
 * 1-based index of a JSON line; 0 means the file or list as a whole (an encoding, a missing
 * trailer). Messages are English like the rest of the API, with the Zengin term where it helps.
 */
export interface ZenginProblem {
  record: number;
  field: ZenginField;
  message: string;
  /** The offending value as found (trailing spaces removed), when there is one. */
  value?: string;
}

/** An account at a bank in Japan, with the official bank and branch names from the zengin-code directory. */
export interface ZenginAccount {
  bankCode: string;
  /** Official name from the zengin-code directory, whatever the file wrote. */
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: AccountType;
  accountNumber: string;
}

/** One transfer of a bulk transfer, checked against the Zengin rules and the bank directory. */
export interface ZenginTransferLine extends ZenginAccount {
  /** The file's record number, or the JSON line's 1-based index. */
  record: number;
  /** Half-width, as a Zengin file holds it (ｶ)ﾃﾞﾓ); normalizePayeeName gives the bank's full-width form. */
  payeeName: string;
  /** Whole yen, 1 to 9,999,999,999. */
  amount: number;
  customerCode1?: string;
  customerCode2?: string;
  ediInfo?: string;
}

/** A line as an integration sends it in JSON (createBulkTransfer). */
export interface TransferLineInput {
  bankCode: string;
  branchCode: string;
  accountType: AccountType;
  accountNumber: string;
  /** Katakana, half- or full-width, or hiragana: normalised as for a single transfer. */
  payeeName: string;
  amount: number;
}

export type TransferLinesResult =
  { ok: true; lines: ZenginTransferLine[]; total: number } | { ok: false; problems: ZenginProblem[]; truncated: boolean };

export const MAX_PROBLEMS = 1000;
/** 振込金額 is N(10). */
export const MAX_LINE_AMOUNT = 9_999_999_999;
/** 合計金額 is N(12): a bulk transfer's total must fit the trailer to be exported. */
export const MAX_TOTAL_AMOUNT = 999_999_999_999;
export { PAYEE_NAME_WIDTH };

/** Collects problems up to a cap, remembering whether more were left out. */
export class ProblemList {
  readonly items: ZenginProblem[] = [];
  truncated = false;

  constructor(private readonly cap = MAX_PROBLEMS) {}

  add(record: number, field: ZenginField, message: string, value?: string): void {
    if (this.items.length >= this.cap) {
      this.truncated = true;
      return;
    }
    this.items.push(value === undefined ? { record, field, message } : { record, field, message, value });
  }

  get count(): number {
    return this.items.length;
  }
}

export interface Destination {
  bankName: string;
  branchName: string;
}

/** 被仕向銀行番号 and 支店番号: four and three digits that the directory knows. */
export function checkDestination(problems: ProblemList, record: number, bankCode: string, branchCode: string): Destination | undefined {
  let bank: ReturnType<typeof findBank>;
  if (!/^\d{4}$/.test(bankCode)) {
    problems.add(record, 'bankCode', 'The bank code (金融機関コード) must be four digits.', bankCode);
  } else {
    bank = findBank(bankCode);
    if (!bank) problems.add(record, 'bankCode', `Bank code ${bankCode} is not a bank in the Zengin directory.`, bankCode);
  }
  if (!/^\d{3}$/.test(branchCode)) {
    problems.add(record, 'branchCode', 'The branch code (支店番号) must be three digits.', branchCode);
    return undefined;
  }
  if (!bank) return undefined;
  const branch = findBranch(bankCode, branchCode);
  if (!branch) {
    problems.add(record, 'branchCode', `Branch ${branchCode} does not exist at ${bankCode} ${bank.name}.`, branchCode);
    return undefined;
  }
  return { bankName: bank.name, branchName: branch.name };
}

/** 口座番号: seven digits, not all zero. */
export function checkAccountNumber(problems: ProblemList, record: number, accountNumber: string): string | undefined {
  if (!/^\d{7}$/.test(accountNumber)) {
    problems.add(record, 'accountNumber', 'The account number (口座番号) must be seven digits.', accountNumber);
    return undefined;
  }
  if (accountNumber === '0000000') {
    problems.add(record, 'accountNumber', 'The account number (口座番号) 0000000 is not an account.', accountNumber);
    return undefined;
  }
  return accountNumber;
}

/**
 * 受取人名 in its Zengin (half-width) form: 1 to 30 characters of the Zengin set, and a name the
 * gateway's normalizePayeeName accepts, so that the bank can record what the file says.
 */
export function checkPayeeName(problems: ProblemList, record: number, name: string): string | undefined {
  if (name.trim() === '') {
    problems.add(record, 'payeeName', 'The payee name (受取人名) is blank.');
    return undefined;
  }
  const charProblem = zenginNameProblem(name);
  if (charProblem) {
    problems.add(record, 'payeeName', `Payee name (受取人名): ${charProblem}`, name);
    return undefined;
  }
  if (name.length > PAYEE_NAME_WIDTH) {
    problems.add(
      record,
      'payeeName',
      `The payee name (受取人名) has ${name.length} half-width characters; a Zengin name holds ${PAYEE_NAME_WIDTH}.`,
      name,
    );
    return undefined;
  }
  try {
    normalizePayeeName(name);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problems.add(record, 'payeeName', error.message, name);
    return undefined;
  }
  return name;
}

/** 振込金額: whole yen from 1 to 9,999,999,999 (N(10)). */
export function checkAmount(problems: ProblemList, record: number, amount: number): number | undefined {
  if (!Number.isSafeInteger(amount) || amount < 1) {
    problems.add(record, 'amount', 'The amount (振込金額) must be at least ¥1, in whole yen.', String(amount));
    return undefined;
  }
  if (amount > MAX_LINE_AMOUNT) {
    problems.add(record, 'amount', `The amount (振込金額) must be at most ${yenText(MAX_LINE_AMOUNT)}.`, String(amount));
    return undefined;
  }
  return amount;
}

const ACCOUNT_TYPES: ReadonlySet<string> = new Set(Object.values(AccountType));

/**
 * Checks the lines of a bulk transfer sent as JSON (createBulkTransfer) by the same rules as a
 * Zengin file's data records, and answers them in the same shape as the parser does. The payee
 * name may come in any form normalizePayeeName accepts (ｶ)ﾃﾞﾓ, カ)デモ, か)でも); the line
 * carries its Zengin half-width form, so both paths hand the service the same thing.
 */
export function validateTransferLines(lines: readonly TransferLineInput[]): TransferLinesResult {
  return runToEnd(validateInSteps(lines));
}

/** The same checks, with other requests served every RECORDS_PER_TURN lines (see parseZenginTransferFileInTurns). */
export function validateTransferLinesInTurns(lines: readonly TransferLineInput[]): Promise<TransferLinesResult> {
  return runInTurns(validateInSteps(lines));
}

function* validateInSteps(lines: readonly TransferLineInput[]): Steps<TransferLinesResult> {
  const problems = new ProblemList();
  if (lines.length === 0) problems.add(0, 'lines', 'A bulk transfer needs at least one line.');
  const checked: ZenginTransferLine[] = [];
  let total = 0;
  for (const [index, input] of lines.entries()) {
    const record = index + 1;
    if (turnEndsBefore(index)) yield;
    const before = problems.count;
    const destination = checkDestination(problems, record, input.bankCode, input.branchCode);
    if (!ACCOUNT_TYPES.has(input.accountType)) {
      problems.add(
        record,
        'accountType',
        'The account type must be ORDINARY (普通), CURRENT (当座) or SAVINGS (貯蓄).',
        String(input.accountType),
      );
    }
    const accountNumber = checkAccountNumber(problems, record, input.accountNumber);
    const payeeName = zenginPayeeName(problems, record, input.payeeName);
    const amount = checkAmount(problems, record, input.amount);
    if (amount !== undefined) total += amount;
    if (problems.count === before && !problems.truncated && destination && accountNumber && payeeName && amount) {
      checked.push({
        record,
        bankCode: input.bankCode,
        ...destination,
        branchCode: input.branchCode,
        accountType: input.accountType,
        accountNumber,
        payeeName,
        amount,
      });
    }
  }
  if (total > MAX_TOTAL_AMOUNT) {
    problems.add(
      0,
      'amount',
      `The lines add up to ${yenText(total)}; a Zengin bulk transfer carries at most ${yenText(MAX_TOTAL_AMOUNT)}.`,
    );
  }
  if (problems.count > 0 || problems.truncated) return { ok: false, problems: problems.items, truncated: problems.truncated };
  return { ok: true, lines: checked, total };
}

/**
 * A name in any form a single transfer accepts, in the form a Zengin file holds it: normalised
 * by normalizePayeeName (small kana enlarged, hiragana and lower case raised, spaces collapsed),
 * then half-width. normalizePayeeName's refusal (a kanji, a "!") is thrown as it is.
 */
export function zenginFormOfName(input: string, width?: number): string {
  return toZenginKana(normalizePayeeName(input, width));
}

/** A JSON payee name: normalised as a single transfer's is, then checked in its Zengin form. */
function zenginPayeeName(problems: ProblemList, record: number, input: string): string | undefined {
  let name: string;
  try {
    name = zenginFormOfName(input);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problems.add(record, 'payeeName', error.message, input);
    return undefined;
  }
  return checkPayeeName(problems, record, name);
}
