import type { FileFormat } from './file-format';
import { CHARSET, encodeText, type TextEncoding } from './text-encoding';

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

/**
 * CSV as Japanese accounting software imports it: a header row, CRLF, Shift_JIS (text/encoding.ts:
 * JIS X 0208 only) or UTF-8 without a byte-order mark (an importer that is told the encoding
 * takes a BOM for part of the first header).
 */
export function csvFormat<Row>(columns: ReadonlyArray<CsvColumn<Row>>, encoding: TextEncoding): FileFormat<Row> {
  const line = (cells: Array<string | number | null | undefined>) => `${cells.map(csvCell).join(',')}\r\n`;
  return {
    contentType: `text/csv; charset=${CHARSET[encoding]}`,
    begin: () => encodeText(line(columns.map((column) => column.header)), encoding),
    rows: (page) => encodeText(page.map((row) => line(columns.map((column) => column.value(row)))).join(''), encoding),
  };
}
