/**
 * How the rows of a download become bytes: one format per kind of file (CSV, JSON Lines, the
 * Zengin 入出金取引明細), each a new object per download, so a format may count what it wrote.
 */
export interface FileFormat<Row> {
  /** The Content-Type header, with its charset. */
  readonly contentType: string;
  /** What comes before the first row (a byte-order mark, a header row); may be empty. */
  begin(): Buffer;
  /** One page of rows, as it is written to the client. */
  rows(page: readonly Row[]): Buffer;
  /** What comes after the last row (a Zengin trailer with the counts and totals of the rows written). */
  end?(): Buffer;
}

/** A file to stream: its name, its format and its rows, read a page at a time while it is written. */
export interface DownloadFile<Row> {
  /** ASCII only: it goes into Content-Disposition as it is. */
  fileName: string;
  format: FileFormat<Row>;
  pages: AsyncIterable<readonly Row[]>;
}

/** JSON Lines (one JSON value per line, each line ending in LF), UTF-8. */
export function jsonLinesFormat<Row>(line: (row: Row) => string): FileFormat<Row> {
  return {
    contentType: 'application/jsonl; charset=utf-8',
    begin: () => Buffer.alloc(0),
    rows: (page) => Buffer.from(page.map((row) => `${line(row)}\n`).join(''), 'utf8'),
  };
}
