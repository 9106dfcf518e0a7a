import type { BulkTransfer, BulkTransferLine } from './bulk-transfer.entity';

/** Excel in Japan reads a UTF-8 CSV as Shift_JIS unless it starts with a byte-order mark. */
const BOM = '\uFEFF';

const COLUMNS = [
  'lineNumber',
  'bankCode',
  'bankName',
  'branchCode',
  'branchName',
  'accountType',
  'accountNumber',
  'payeeName',
  'amount',
  'customerCode1',
  'customerCode2',
  'ediInfo',
  'status',
  'executionDate',
  'executedAt',
  'failureCode',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The result of a bulk transfer as CSV (UTF-8 with BOM, CRLF, a header row): one row per line
 * with its bank and branch names, and the outcome, which is the bulk transfer's own (all or
 * nothing). A Zengin transfer file has no field for an outcome, so the result is not one.
 */
export function bulkTransferResultCsv(bulk: BulkTransfer, lines: readonly BulkTransferLine[]): Buffer {
  const rows = lines.map((line) =>
    [
      line.lineNumber,
      line.bankCode,
      line.bankName,
      line.branchCode,
      line.branchName,
      line.accountType,
      line.accountNumber,
      line.payeeName,
      line.amount,
      line.customerCode1,
      line.customerCode2,
      line.ediInfo,
      bulk.status,
      bulk.executionDate,
      bulk.executedAt?.toISOString() ?? null,
      bulk.failureCode,
    ]
      .map(field)
      .join(','),
  );
  return Buffer.from(BOM + [COLUMNS.join(','), ...rows].map((row) => row + '\r\n').join(''), 'utf8');
}
