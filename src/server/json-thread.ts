import { Worker } from 'node:worker_threads';

/**
 * Bodies from this size on are parsed on the thread: below it JSON.parse takes well under a
 * millisecond, not much more than handing the bytes over and the result back.
 */
export const THREAD_PARSE_BYTES = 256 * 1024;

/**
 * Arrays and objects nested deeper than this are refused as unreadable: structured clone copies
 * recursively, and a body the thread could send that the event loop could not take back would
 * leave its request unanswered. No request of this API nests a tenth as deep.
 */
export const MAX_NESTING = 500;

// Plain JavaScript, evaluated in the thread (it must start the same way from dist/ and under jest),
// so it cannot import graphql-http.ts's text(): it reads the bytes as that does (ASCII as Latin-1).
// Every message is answered, whatever its body: an answer that cannot be sent is a refusal.
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { isAscii } = require('node:buffer');
const nestedWithin = (value, max) => {
  const open = [[value, 1]];
  while (open.length) {
    const [next, depth] = open.pop();
    if (next === null || typeof next !== 'object') continue;
    if (depth > max) return false;
    for (const key in next) open.push([next[key], depth + 1]);
  }
  return true;
};
parentPort.on('message', ({ id, bytes }) => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const body = JSON.parse(isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8'));
    if (!nestedWithin(body, ${MAX_NESTING})) throw new Error('nested too deep');
    parentPort.postMessage({ id, parsed: true, body });
  } catch {
    parentPort.postMessage({ id, parsed: false });
  }
});
`;

type Pending = { resolve: (body: unknown) => void; reject: (error: Error) => void };

/** A body that is not JSON (what JSON.parse would have thrown). */
export class JsonSyntaxError extends Error {}

/**
 * JSON.parse of large request bodies on a thread of its own. A bulk import's body is 1.6 MB of
 * base64 in one JSON string; parsed on the event loop, it held every other user's request for
 * several milliseconds in one piece (bench: bulk-transfer, another user's whoami beside it). The
 * bytes are handed over without a copy; the object comes back by structured clone, which copies
 * the long string at memory speed. One thread per process, started on first use and not keeping
 * the process alive; if it fails, the bodies it held are refused as unreadable and the next body
 * starts another.
 */
class JsonThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  parse(bytes: Buffer): Promise<unknown> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A buffer that owns its whole ArrayBuffer moves to the thread; any other is copied.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      worker.postMessage({ id, bytes }, own ? [bytes.buffer as ArrayBuffer] : []);
      if (this.pending.size === 1) worker.ref();
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER, { eval: true });
    worker.unref();
    worker.on('message', ({ id, parsed, body }: { id: number; parsed: boolean; body?: unknown }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref(); // idle: the process may end without it
      if (parsed) waiting?.resolve(body);
      else waiting?.reject(new JsonSyntaxError('not JSON'));
    });
    const failed = () => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const { reject } of this.pending.values()) reject(new JsonSyntaxError('the parsing thread stopped'));
      this.pending.clear();
    };
    worker.on('error', failed);
    worker.on('exit', failed);
    // A message the event loop could not take back (MAX_NESTING is there so that none is): its request is unknown, so the thread starts afresh.
    worker.on('messageerror', () => void worker.terminate());
    this.worker = worker;
    return worker;
  }
}

const thread = new JsonThread();

/** The JSON in `bytes`, parsed on the thread: JsonSyntaxError if it is not JSON. */
export function parseOnThread(bytes: Buffer): Promise<unknown> {
  return thread.parse(bytes);
}
