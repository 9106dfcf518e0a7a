import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import type { ServerResponse } from 'node:http';
import type { DownloadFile } from './file-format';

/**
 * Rows turned into bytes per turn of the event loop: a page of 1,000 Zengin records or CSV rows in
 * Shift_JIS is tens of milliseconds of CPU on a busy machine, too long for other requests to wait.
 */
const ROWS_PER_TURN = 100;

/**
 * Writes a download as it is read, a page at a time, with backpressure: memory stays at a page
 * whatever the file's size, and other requests are served between pages (readInPages yields) and
 * between slices of a page.
 * The first page is read before anything is sent, so a failure there still gets a coded answer;
 * a failure after that cuts the connection, so that a partial file is never taken for a whole one.
 */
export async function streamFile<Row>(res: ServerResponse, file: DownloadFile<Row>): Promise<void> {
  const pages = file.pages[Symbol.asyncIterator]();
  const first = await pages.next();
  res.statusCode = 200;
  res.setHeader('content-type', file.format.contentType);
  res.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  async function* chunks(): AsyncGenerator<Buffer> {
    const begin = file.format.begin();
    if (begin.length) yield begin;
    for (let page = first; !page.done; page = await pages.next()) {
      for (let start = 0; start < page.value.length; start += ROWS_PER_TURN) {
        if (start > 0) await nextTurn();
        yield file.format.rows(page.value.slice(start, start + ROWS_PER_TURN));
      }
    }
    const end = file.format.end?.();
    if (end?.length) yield end;
  }
  try {
    await pipeline(Readable.from(chunks()), res);
  } finally {
    await pages.return?.(); // the client went away: stop reading
  }
}
