import type { FileFormat } from './file-format';

/** Excel in Japan reads a UTF-8 CSV as Shift_JIS unless it starts with a byte-order mark. */
const BOM = '\uFEFF';

/**
 * A text cell a spreadsheet would take for a formula (OWASP "CSV injection"): it starts with
 * = + - @, a tab or a carriage return. A payee name may be `-SUM(A1/A1)`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell, the only way the gateway writes one. Numbers (amounts, line numbers) stay numbers,
 * a negative amount included; text that a spreadsheet would run as a formula gets a leading
 * single quote, so it is shown as the text it is; then RFC 4180: a cell with a comma, quote or
 * line break is quoted, its quotes doubled.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvColumn<Row> {
  header: string;
  value(row: Row): string | number | null | undefined;
}

/** CSV as Japanese spreadsheets read it: UTF-8 with a byte-order mark, CRLF, a header row. */
export function csvFormat<Row>(columns: ReadonlyArray<CsvColumn<Row>>): FileFormat<Row> {
  const line = (cells: Array<string | number | null | undefined>) => `${cells.map(csvCell).join(',')}\r\n`;
  return {
    contentType: 'text/csv; charset=utf-8',
    begin: () => Buffer.from(BOM + line(columns.map((column) => column.header)), 'utf8'),
    rows: (page) => Buffer.from(page.map((row) => line(columns.map((column) => column.value(row)))).join(''), 'utf8'),
  };
}
