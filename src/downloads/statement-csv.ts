import { StatementDirection, type StatementLine } from '../banking/accounts/statement-line.entity';
import { csvFormat, type CsvColumn } from './csv';
import type { FileFormat } from './file-format';
import type { TextEncoding } from './text-encoding';

/** A day (YYYY-MM-DD, already Asia/Tokyo) as Japanese bank CSVs and importers write it: 2026/12/07. */
export const slashDate = (day: string) => day.replaceAll('-', '/');

const debit = (line: StatementLine) => line.direction === StatementDirection.DEBIT;

/**
 * 入出金明細 as a bank's CSV download has it (docs/downloads.md, "Statement CSV" says why these
 * headers): the business day, the description, money paid out and money received in two
 * columns (the other one empty), the balance after the movement, and the line's number last,
 * for an importer that skips lines it has seen. Amounts are plain integers.
 */
const STATEMENT_COLUMNS: ReadonlyArray<CsvColumn<StatementLine>> = [
  { header: '日付', value: (line) => slashDate(line.businessDate) },
  { header: '摘要', value: (line) => line.description },
  { header: 'お支払金額', value: (line) => (debit(line) ? line.amount : null) },
  { header: 'お預り金額', value: (line) => (debit(line) ? null : line.amount) },
  { header: '残高', value: (line) => line.balanceAfter },
  { header: '照会番号', value: (line) => line.id },
];

export function statementCsvFormat(encoding: TextEncoding): FileFormat<StatementLine> {
  return csvFormat(STATEMENT_COLUMNS, encoding);
}
