import { Worker } from 'node:worker_threads';

/**
 * How often the WAL is copied back into the database file, and the WAL's size (in 4 KiB pages)
 * at which a committing connection does it itself all the same, should the thread fall behind.
 */
export const CHECKPOINT_INTERVAL_MS = 1000;
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// Plain JavaScript, evaluated in the thread: the worker must start the same way from dist/ and
// from the TypeScript sources under jest.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
// PASSIVE: copies what no reader still needs and waits for nobody; a busy file is tried next time.
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

/**
 * SQLite checkpoints the WAL in the commit that takes it past 1,000 pages: after a bulk import
 * that commit spent about 20 ms more copying pages and syncing the file, on the event loop, while
 * every other request waited. Here a thread with a connection of its own does it every
 * CHECKPOINT_INTERVAL_MS instead, and the connections that write raise their own threshold to
 * FALLBACK_AUTOCHECKPOINT_PAGES (data-source.ts). Commits still sync the WAL as before.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, intervalMs, driver: require.resolve('better-sqlite3') } });
    this.worker.on('error', () => undefined); // the committing connections' fallback takes over
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.unref();
  }

  /** One last checkpoint, then the thread ends. */
  async stop(): Promise<void> {
    this.worker.ref(); // an unreferenced thread would not keep the process waiting for it
    this.worker.postMessage('stop');
    await this.exited;
  }
}
