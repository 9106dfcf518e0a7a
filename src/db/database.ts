import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import { openDatabase, openSqliteReader } from './data-source';
import { ACQUIRE_TIMEOUT } from './mysql-pool-guard';
import { BatchedSelect, EntityColumns, PreparedSelect } from './prepared-read';
import { QueryCounter } from './query-counter';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { SqliteFileWatch, type SqliteFileLoss } from './sqlite-file-watch';

/**
 * The database rolled the whole transaction back so that a concurrent one could go on. Nothing of
 * it was written, and every write of an operation's transaction (its audit record too) is inside
 * it, with nothing sent or cached before it commits — so `transaction()` runs it again.
 */
const CONFLICTS = new Set([
  'ER_LOCK_DEADLOCK', // 1213: a deadlock; on Galera also a certification conflict with another node's commit
  'ER_LOCK_WAIT_TIMEOUT', // 1205 (the statement's rollback; TypeORM then rolls back the rest)
  'ER_TRANSACTION_ROLLBACK_DURING_COMMIT', // 3101: MySQL Group Replication (multi-primary) refused it at certification
]);
/** Conflicts mysql2 has no name for, by errno. */
const CONFLICT_ERRNOS = new Map([[9007, 'TIDB_WRITE_CONFLICT']]); // TiDB optimistic transactions
/** Another process holds SQLite's write lock longer than the busy timeout: worth another try, too. */
const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);

/**
 * Runs of a transaction at most: a conflict is over in milliseconds, so it gets more runs than a
 * busy SQLite file, where each run has already waited the busy timeout. SQLITE_BUSY_SNAPSHOT is a
 * conflict in that sense (another process wrote between this one's read and its write; SQLite
 * answers at once, without waiting): it gets a conflict's runs. Then the ceiling of the random
 * pause before the next run, doubling from the base up to the cap.
 */
const MAX_RUNS = 8;
const MAX_RUNS_WHEN_BUSY = 5;
const PAUSE_BASE_MS = 10;
const PAUSE_CAP_MS = 500;

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

function driverErrorOf(error: unknown): DriverError {
  const e = error as DriverError & { driverError?: DriverError };
  return e?.driverError ?? e ?? {};
}

/** The database did not answer (timed out, refused, dropped) or cannot take writes now: a reason to answer 503, not a fault in the request. */
const UNAVAILABLE = new Set([
  'PROTOCOL_SEQUENCE_TIMEOUT', // mysql2: the query outlived DATABASE_QUERY_TIMEOUT_MS
  ACQUIRE_TIMEOUT, // no pooled connection became free within it (mysql-pool-guard.ts)
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'SQLITE_BUSY', // still busy after the busy timeout and our retries
  'SQLITE_BUSY_SNAPSHOT', // another process kept writing between our read and our write, through every retry
  'SQLITE_FULL', // the disk (or the file's size limit) is full; and SQLITE_IOERR_*, a failing disk
  'SQLITE_READONLY_DBMOVED', // the file was renamed or deleted under the open database
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = driverErrorOf(error).code ?? '';
  return UNAVAILABLE.has(code) || code.startsWith('SQLITE_IOERR');
}

/** How long a client is asked to wait when the database is unavailable: a balancer's next health check, about. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function serviceUnavailable(): DomainError {
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is temporarily unavailable. Please try again shortly.', {
    retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
  });
}

/** SERVICE_UNAVAILABLE for an error that says the database cannot serve now (not the request's fault), else null. */
export function asServiceUnavailable(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error.code === ErrorCode.SERVICE_UNAVAILABLE ? error : null;
  return isDatabaseUnavailable(error) ? serviceUnavailable() : null;
}

/** Why the transaction that threw `error` is worth running again (a driver code, for metrics), or null if it is not. */
export function retryReasonOf(error: unknown): string | null {
  const { code, errno } = driverErrorOf(error);
  if (code && (CONFLICTS.has(code) || BUSY.has(code))) return code;
  return (errno !== undefined && CONFLICT_ERRNOS.get(errno)) || null;
}

/** Full jitter: a random pause below a ceiling that doubles with each run, so retrying writers spread out. */
function pauseBeforeRun(run: number): Promise<void> {
  const ceiling = Math.min(PAUSE_CAP_MS, PAUSE_BASE_MS * 2 ** (run - 1));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/** A transaction run again after a conflict, or given up on after MAX_RUNS (for the metrics). */
export type RetryListener = (reason: string, outcome: 'retried' | 'gave_up') => void;

/**
 * A write refused by a unique index (or primary key): which index, on which table and columns.
 * It carries neither the SQL nor the value, so it is safe to log and to map for a client.
 */
export class UniqueViolation extends Error {
  readonly code = 'UNIQUE_VIOLATION';

  constructor(
    /** The index name as the migrations declare it (`UQ_users_loginId`), or `PRIMARY`. */
    readonly index: string,
    readonly table: string,
    readonly columns: readonly string[],
  ) {
    super(`The unique key ${index} refused a duplicate value.`);
    this.name = 'UniqueViolation';
  }
}

/**
 * Values people choose that must be unique. Someone else having taken one (a moment ago, in a
 * concurrent request) is a fact about the input, answered as BAD_USER_INPUT naming the field —
 * not a fault. Any other unique key refusing a write is a bug and stays INTERNAL.
 */
const USER_CHOSEN_UNIQUE_KEYS = {
  UQ_users_loginId: { field: 'loginId', noun: 'login ID', verb: 'taken' },
  UQ_contracts_code: { field: 'code', noun: 'contract number', verb: 'used' },
  UQ_payees_account: { field: 'accountNumber', noun: 'payee account', verb: 'registered for your contract' },
} as const;

export type UserChosenUniqueKey = keyof typeof USER_CHOSEN_UNIQUE_KEYS;

/**
 * A refusal by this unique index, which the caller resolves itself: where the loser of a race
 * must answer with what the winner made (an idempotency key: the retry returns the original
 * transfer), `transaction()` hands the UniqueViolation back untranslated and the service catches
 * it by name. Any other index stays what it is (BAD_USER_INPUT for a user-chosen value, else INTERNAL).
 */
export function isUniqueViolationOf(error: unknown, index: string): error is UniqueViolation {
  return error instanceof UniqueViolation && error.index === index;
}

/** The one answer to "that value is taken", for a pre-check and for a lost race alike. */
export function valueTaken(key: UserChosenUniqueKey, options: { field?: string; value?: string } = {}): DomainError {
  const { field, noun, verb } = USER_CHOSEN_UNIQUE_KEYS[key];
  const value = options.value ? ` ${options.value}` : '';
  return new DomainError(ErrorCode.BAD_USER_INPUT, `The ${noun}${value} is already ${verb}. Please choose another.`, {
    field: options.field ?? field,
  });
}

/** Others keep changing the same rows: this request's last transaction wrote nothing, and trying again is safe. */
function stillConflicting(): DomainError {
  return new DomainError(
    ErrorCode.RATE_LIMITED,
    'Too many changes to the same records at once; this request was not completed. Please try again shortly.',
    { retryAfterSeconds: 1 },
  );
}

export interface TransactionOptions {
  /** This operation's argument name for a user-chosen unique value, where it differs (createContract's administratorLoginId). */
  fields?: Partial<Record<UserChosenUniqueKey, string>>;
}

/**
 * The one way to write. Every write runs in a transaction through `transaction()`, which runs it
 * again after a deadlock or a cluster's certification conflict (up to MAX_RUNS, with a growing
 * random pause in between); one that still conflicts answers RATE_LIMITED, never INTERNAL. On
 * SQLite, TypeORM's better-sqlite3 driver shares one connection in a process, so transactions
 * are queued here: otherwise one request's statements could run inside another's transaction
 * and be rolled back with it; reads outside transactions go to a second, read-only connection
 * (`reader`), so that they see only what has been committed. A unique-key refusal leaves here as
 * a UniqueViolation (or, for a value users choose, a BAD_USER_INPUT), never as driver text.
 */
export class Database {
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private readonly retryListeners: RetryListener[] = [];
  private readonly fileLossListeners: Array<(loss: SqliteFileLoss) => void> = [];
  private fileLossReported = false;

  constructor(
    readonly dataSource: DataSource,
    /** SQL statements run so far (for the N+1 test and benchmarks). */
    readonly queryCounter: QueryCounter = new QueryCounter(),
    private readonly queryTimeoutMs = 5_000,
    /** SQLite: the opened file's identity, checked before writes. */
    private readonly fileWatch: SqliteFileWatch | null = null,
    /** SQLite: the read-only connection for reads outside transactions (openSqliteReader); MySQL reads from the pool. */
    private readonly reader: DataSource = dataSource,
    /** SQLite: the thread that checkpoints the WAL off the event loop. */
    private readonly checkpointer: SqliteCheckpointer | null = null,
  ) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /** For reads outside transactions only: on SQLite it is the read-only connection, which sees what has been committed. */
  get manager(): EntityManager {
    return this.reader.manager;
  }

  /**
   * The writing connection, outside transaction() and its queue: for tests and the bench to set
   * data up directly. The gateway itself never uses it (lint refuses it in src/).
   */
  get writableManager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * A SELECT of whole entities on a hot path (`SELECT <their columns> ${rest}`), prepared once and
   * run with new parameters each time; each row hydrated into one entity per EntityColumns (null
   * where an outer join found none).
   */
  prepareSelect<E extends readonly EntityColumns<ObjectLiteral>[]>(entities: E, rest: string): PreparedSelect<E> {
    return new PreparedSelect(this.reader, entities, rest, this.queryCounter, this.queryTimeoutMs);
  }

  /**
   * As prepareSelect, for a read every request makes: on MySQL/MariaDB the reads asked for in one
   * turn of the event loop go as one statement (BatchedSelect); SQLite reads synchronously, so
   * there each runs alone, at once. `rest` has no ORDER BY or LIMIT.
   */
  prepareBatchedSelect<E extends readonly EntityColumns<ObjectLiteral>[]>(entities: E, rest: string): PreparedSelect<E> {
    const Select = this.isSqlite ? PreparedSelect : BatchedSelect;
    return new Select(this.reader, entities, rest, this.queryCounter, this.queryTimeoutMs);
  }

  /** An entity's columns for such a SELECT, and its hydration from a row. */
  columns<T extends ObjectLiteral>(target: EntityTarget<T>, alias: string): EntityColumns<T> {
    return new EntityColumns(this.dataSource, target, alias);
  }

  /** Called for every transaction run again, and every one given up on. */
  onRetry(listener: RetryListener): void {
    this.retryListeners.push(listener);
  }

  /** Called once, the first time the SQLite file is found deleted or replaced. */
  onFileLost(listener: (loss: SqliteFileLoss) => void): void {
    this.fileLossListeners.push(listener);
  }

  /**
   * Throws SERVICE_UNAVAILABLE when a write would not last: the SQLite file this process has
   * open was deleted or replaced, so whatever it wrote would be gone at the next start.
   */
  assertWritable(): void {
    const loss = this.fileWatch?.loss();
    if (!loss) return;
    if (!this.fileLossReported) {
      this.fileLossReported = true;
      for (const listener of this.fileLossListeners) listener(loss);
    }
    throw serviceUnavailable();
  }

  /** `work` may run more than once: it must only write through `manager` and compute what it returns. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    this.assertWritable();
    for (let run = 1; ; run++) {
      try {
        return await this.serialised(() => this.dataSource.transaction(work));
      } catch (error) {
        const reason = retryReasonOf(error);
        if (!reason) throw this.translated(error, options);
        const busy = BUSY.has(reason);
        if (run >= (reason === 'SQLITE_BUSY' ? MAX_RUNS_WHEN_BUSY : MAX_RUNS)) {
          for (const listener of this.retryListeners) listener(reason, 'gave_up');
          throw busy ? error : stillConflicting();
        }
        for (const listener of this.retryListeners) listener(reason, 'retried');
        await pauseBeforeRun(run);
      }
    }
  }

  private translated(error: unknown, options: TransactionOptions): unknown {
    const violation = this.uniqueViolationOf(error);
    if (!violation) return error;
    if (violation.index in USER_CHOSEN_UNIQUE_KEYS) {
      const key = violation.index as UserChosenUniqueKey;
      return valueTaken(key, { field: options.fields?.[key] });
    }
    return violation;
  }

  /**
   * Recognises a unique-key refusal on either engine and names the index from the entity
   * metadata: MySQL/MariaDB report the key (ER_DUP_ENTRY, errno 1062: "Duplicate entry … for
   * key 'UQ_x'", MySQL 8 as 'table.UQ_x'); SQLite reports the columns
   * (SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY: "UNIQUE constraint failed: users.loginId").
   */
  private uniqueViolationOf(error: unknown): UniqueViolation | null {
    const driver = driverErrorOf(error);
    const message = driver.message ?? '';
    const uniques = this.dataSource.entityMetadatas.flatMap((entity) => [
      ...entity.indices
        .filter((index) => index.isUnique)
        .map((index) => ({ name: index.name, table: entity.tableName, columns: index.columns.map((c) => c.databaseName) })),
      { name: 'PRIMARY', table: entity.tableName, columns: entity.primaryColumns.map((c) => c.databaseName) },
    ]);
    if (driver.code === 'ER_DUP_ENTRY' || driver.errno === 1062) {
      const name = /for key '(?:[^']*\.)?([^'.]+)'$/.exec(message)?.[1] ?? 'unknown';
      const known = name === 'PRIMARY' ? undefined : uniques.find((u) => u.name === name);
      return new UniqueViolation(name, known?.table ?? '', known?.columns ?? []);
    }
    if (driver.code === 'SQLITE_CONSTRAINT_UNIQUE' || driver.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const qualified = (/UNIQUE constraint failed: (.+)$/.exec(message)?.[1] ?? '').split(',').map((c) => c.trim());
      const table = qualified[0]?.split('.')[0] ?? '';
      const columns = qualified.map((c) => c.split('.').slice(1).join('.'));
      const sameColumns = (u: { table: string; columns: string[] }) =>
        u.table === table && u.columns.length === columns.length && u.columns.every((c) => columns.includes(c));
      const candidates = uniques.filter(sameColumns);
      const known = candidates.find((u) => (driver.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') === (u.name === 'PRIMARY')) ?? candidates[0];
      return new UniqueViolation(known?.name ?? 'unknown', table, columns);
    }
    return null;
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
    const dataSource = await openDatabase(database, counter);
    if (database.kind !== 'sqlite') return new Database(dataSource, counter, database.queryTimeoutMs);
    const reader = await openSqliteReader(database, counter);
    const checkpointer = new SqliteCheckpointer(database.file);
    return new Database(dataSource, counter, database.queryTimeoutMs, new SqliteFileWatch(database.file), reader, checkpointer);
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.reader !== this.dataSource && this.reader.isInitialized) await this.reader.destroy();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
