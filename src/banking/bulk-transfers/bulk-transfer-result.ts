import { csvFormat, type CsvColumn } from '../../downloads/csv';
import type { FileFormat } from '../../downloads/file-format';
import type { BulkTransfer, BulkTransferLine } from './bulk-transfer.entity';

type Column = CsvColumn<BulkTransferLine>;

const LINE_COLUMNS: Column[] = (
  [
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
  ] as const
).map((key) => ({ header: key, value: (line) => line[key] }));

/**
 * The result of a bulk transfer as CSV (csvFormat: UTF-8 with BOM, CRLF, a header row): one row
 * per line with its bank and branch names, and the outcome, which is the bulk transfer's own (all
 * or nothing). A Zengin transfer file has no field for an outcome, so the result is not one.
 */
export function bulkTransferResultFormat(bulk: BulkTransfer): FileFormat<BulkTransferLine> {
  const outcome: Column[] = [
    { header: 'status', value: () => bulk.status },
    { header: 'executionDate', value: () => bulk.executionDate },
    { header: 'executedAt', value: () => bulk.executedAt?.toISOString() ?? null },
    { header: 'failureCode', value: () => bulk.failureCode },
  ];
  return csvFormat([...LINE_COLUMNS, ...outcome]);
}
