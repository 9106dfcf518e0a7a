import type { DataSource, EntityManager } from 'typeorm';
import type { GatewayConfig } from '../config';
import { openDatabase } from './data-source';
import { QueryCounter } from './query-counter';

const RETRYABLE = new Set([
  'ER_LOCK_DEADLOCK', // MySQL 1213: the server rolled one transaction back; run it again
  'ER_LOCK_WAIT_TIMEOUT', // MySQL 1205
  'SQLITE_BUSY', // another process holds the write lock longer than the busy timeout
  'SQLITE_BUSY_SNAPSHOT',
]);

function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return RETRYABLE.has(e?.driverError?.code ?? e?.code ?? '');
}

/**
 * The one way to write. Every write runs in a transaction through `transaction()`, which
 * retries deadlocks. On SQLite, TypeORM's better-sqlite3 driver shares one connection in a
 * process, so transactions are queued here: otherwise one request's statements could run
 * inside another's transaction and be rolled back with it.
 */
export class Database {
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dataSource: DataSource,
    /** SQL statements run so far (for the N+1 test and benchmarks). */
    readonly queryCounter: QueryCounter = new QueryCounter(),
  ) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /** For reads only. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.serialised(() => this.dataSource.transaction(work));
      } catch (error) {
        if (attempt >= 5 || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    if (!this.isSqlite) return run();
    const result = this.sqliteQueue.then(run, run);
    this.sqliteQueue = result.catch(() => undefined);
    return result;
  }

  /** Opens the database (running pending migrations) with a statement counter attached. */
  static async open(database: GatewayConfig['database']): Promise<Database> {
    const counter = new QueryCounter();
    return new Database(await openDatabase(database, counter), counter);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
