import crypto from 'node:crypto';
import { DomainError, ErrorCode } from '../../common/domain-error';
import type { BankDate } from '../calendar/bank-calendar';
import type { ZenginAccount, ZenginProblem, ZenginTransferLine } from '../zengin';
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
  /** A file's header: it must name this bank and the account paid from. */
  header?: ZenginAccount;
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
