import crypto from 'node:crypto';
import { DomainError, ErrorCode } from '../../common/domain-error';
import type { BankDate } from '../calendar/bank-calendar';
import type { ZenginProblem, ZenginTransferLine } from '../zengin';
import type { BulkTransferSource } from './bulk-transfer.entity';

/** What both ways in (a Zengin file, JSON lines) hand over once their lines are checked. */
export interface BulkRequest {
  operation: 'importBulkTransfer' | 'createBulkTransfer';
  source: BulkTransferSource;
  fromAccountId: number;
  lines: ZenginTransferLine[];
  total: number;
  requesterName: string | null;
  /** The day asked for (the file's 振込指定日, or transferDate), if any. */
  requestedDate: BankDate | null;
}

/** A bulk transfer refused for what it holds: every problem by record (or line) and field, nothing changed. */
export function refusedLines(field: 'fileBase64' | 'lines', problems: ZenginProblem[], truncated: boolean): DomainError {
  const count = `${truncated ? 'more than ' : ''}${problems.length} problem${problems.length === 1 && !truncated ? '' : 's'}`;
  const what = field === 'fileBase64' ? `The file has ${count}` : `The lines have ${count}`;
  return new DomainError(ErrorCode.BAD_USER_INPUT, `${what}; nothing was done.`, { field, problems, truncated });
}

/** Strict base64 (standard alphabet, padding optional): a typo must not decode to other bytes. */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64');
}

/** MMDD (a Zengin header's 振込指定日, which has no year) as the date of that name nearest to `today`. */
export function nearestDate(monthDay: string, today: BankDate): BankDate {
  const year = Number(today.slice(0, 4));
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const candidates = [year - 1, year, year + 1]
    .map((y) => `${y}-${monthDay.slice(0, 2)}-${monthDay.slice(2)}`)
    .filter((date) => new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)); // 29 February of a common year is no date
  return candidates.reduce((best, date) =>
    Math.abs(Date.parse(`${date}T00:00:00Z`) - todayMs) < Math.abs(Date.parse(`${best}T00:00:00Z`) - todayMs) ? date : best,
  );
}

/** The lines in a fixed order of fixed fields, for "the same request". */
export function linesDigest(lines: readonly ZenginTransferLine[]): string {
  const canonical = lines.map((l) => [
    l.bankCode,
    l.branchCode,
    l.accountType,
    l.accountNumber,
    l.payeeName,
    l.amount,
    l.customerCode1 ?? null,
    l.customerCode2 ?? null,
    l.ediInfo ?? null,
  ]);
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
