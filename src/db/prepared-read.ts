import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { QueryCounter } from './query-counter';

/**
 * The columns of one entity in a hand-written SELECT, and the way back from a row to an entity.
 * TypeORM's own hydration (`prepareHydratedValue`: dates, booleans, transformers) is used for
 * every column it would convert, so an entity read here is the same as one read through a
 * repository (test/e2e/prepared-lists.e2e-spec.ts compares them).
 */
export class EntityColumns<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  /**
   * Each column in `select`'s order and the property it fills, worked out once: hydration runs on
   * every request (the identity), and TypeORM's generic setter and converter per row and column
   * were most of its cost (bench:profile).
   */
  private readonly hydration: Array<{ column: ColumnMetadata; property: string | null; kind: HydrationKind }>;
  private readonly primaryIndex: number;
  /** The columns read, in `select`'s order: all of the entity's, or those `narrowedTo` named. */
  private readonly read: ColumnMetadata[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: EntityTarget<T>,
    /** The table's alias in the SELECT. */
    readonly alias: string,
    /** Only these properties' columns (and the primary key's); every column when absent. */
    only?: ReadonlySet<string>,
  ) {
    this.metadata = dataSource.getMetadata(target);
    this.read = only ? this.metadata.columns.filter((c) => c.isPrimary || only.has(c.propertyName)) : this.metadata.columns;
    this.hydration = this.read.map((column) => ({
      column,
      // A plain column is set as a property; an embedded or virtual one through TypeORM's setter.
      property: column.embeddedMetadata || column.isVirtual ? null : column.propertyName,
      kind: hydrationKind(column),
    }));
    this.primaryIndex = this.read.indexOf(this.metadata.primaryColumns[0]);
  }

  /** Whether `property` is a plain column of the entity (one `narrowedTo` can read). */
  hasColumn(property: string): boolean {
    const column = this.metadata.findColumnWithPropertyName(property);
    return column !== undefined && !column.embeddedMetadata && !column.isVirtual;
  }

  /**
   * The same entity with only `properties` (plain columns, see hasColumn) and its primary key
   * read: its other properties stay undefined, so it is for a caller that uses no others.
   */
  narrowedTo(properties: ReadonlySet<string>): EntityColumns<T> {
    return new EntityColumns(this.dataSource, this.target, this.alias, properties);
  }

  private escape(name: string): string {
    return this.dataSource.driver.escape(name);
  }

  /** `table alias`, for FROM and JOIN. */
  get from(): string {
    return `${this.escape(this.metadata.tableName)} ${this.escape(this.alias)}`;
  }

  /** `alias.column`, for ON and WHERE. */
  column(propertyName: keyof T & string): string {
    const column = this.metadata.findColumnWithPropertyName(propertyName);
    if (!column) throw new Error(`${this.metadata.name} has no column ${propertyName}`);
    return `${this.escape(this.alias)}.${this.escape(column.databaseName)}`;
  }

  /** `alias.column, …` for every column of the entity, in the order `hydrateAt` reads them. */
  get select(): string {
    return this.read.map((c) => `${this.escape(this.alias)}.${this.escape(c.databaseName)}`).join(', ');
  }

  /** How many columns `select` lists. */
  get width(): number {
    return this.hydration.length;
  }

  /** The entity in a row read as an array, its columns from `offset` on in `select`'s order; null when an outer join found none. */
  hydrateAt(row: readonly unknown[], offset: number): T | null {
    if (row[offset + this.primaryIndex] === null || row[offset + this.primaryIndex] === undefined) return null;
    const driver = this.dataSource.driver;
    const entity = this.metadata.create() as Record<string, unknown>;
    for (let i = 0; i < this.hydration.length; i++) {
      const { column, property, kind } = this.hydration[i];
      const read = row[offset + i];
      const value = kind === 'asRead' ? read : (kind === 'dateTime' && dateTimeAsRead(read)) || driver.prepareHydratedValue(read, column);
      if (property === null) column.setEntityValue(entity, value);
      else entity[property] = value;
    }
    return entity as T;
  }
}

/**
 * Column types TypeORM hands back exactly as the driver read them (neither driver converts them
 * in prepareHydratedValue): hydrating those is a copy. Dates, booleans, JSON and anything with a
 * transformer still go through TypeORM.
 */
const AS_READ = new Set(['varchar', 'text', 'int', 'integer']);

/**
 * How a column's value becomes the entity's: as read; a `datetime` (src/db/columns.ts), read
 * without TypeORM's two regular expressions and string rewrites per value where the driver's
 * value has the one form we write; or through TypeORM.
 */
type HydrationKind = 'asRead' | 'dateTime' | 'typeorm';
function hydrationKind(column: ColumnMetadata): HydrationKind {
  if (column.transformer || typeof column.type !== 'string') return 'typeorm';
  if (AS_READ.has(column.type)) return 'asRead';
  return column.type === 'datetime' ? 'dateTime' : 'typeorm';
}

/** A `datetime` as TypeORM would hydrate it, where that needs no TypeORM: null otherwise. */
function dateTimeAsRead(read: unknown): Date | null {
  if (read instanceof Date) return read; // mysql2 reads DATETIME as a Date (timezone 'Z'); TypeORM keeps it
  return typeof read === 'string' ? sqliteDateTime(read) : null;
}

/**
 * A SQLite datetime string of the one form TypeORM writes ('2026-12-07 01:31:10.123', read as
 * UTC) as the Date TypeORM makes of it, from its character codes: no regular expression, no
 * substrings. Null for any other form or an unusual value (a year before 100, a day past 28, a
 * leap second), which TypeORM then reads itself.
 */
export function sqliteDateTime(value: string): Date | null {
  if (value.length !== 23) return null;
  for (const [at, separator] of DATETIME_SEPARATORS) if (value.charCodeAt(at) !== separator) return null;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hours = digitsAt(value, 11, 2);
  const minutes = digitsAt(value, 14, 2);
  const seconds = digitsAt(value, 17, 2);
  const millis = digitsAt(value, 20, 3);
  const usual = within(year, 100, 9999) && within(month, 1, 12) && within(day, 1, 28) && within(hours, 0, 23) && within(minutes, 0, 59);
  if (!usual || !within(seconds, 0, 59) || !within(millis, 0, 999)) return null;
  return new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, millis));
}

const DATETIME_SEPARATORS: ReadonlyArray<readonly [number, number]> = [
  [4, 0x2d], // -
  [7, 0x2d], // -
  [10, 0x20], // space
  [13, 0x3a], // :
  [16, 0x3a], // :
  [19, 0x2e], // .
];

const within = (n: number, min: number, max: number) => n >= min && n <= max;

/** The decimal number in `length` characters from `from`; -1 if any is not a digit. */
function digitsAt(value: string, from: number, length: number): number {
  let number = 0;
  for (let i = from; i < from + length; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

interface MysqlConnection {
  execute(options: { sql: string; rowsAsArray: boolean }, values: unknown[], callback: (error: Error | null, rows: unknown) => void): void;
  release(): void;
  destroy(): void;
}
interface MysqlPool {
  getConnection(callback: (error: Error | null, connection: MysqlConnection) => void): void;
}

/**
 * One SELECT prepared once and run with new parameters on every call, its rows as arrays in the
 * SELECT's column order: the per-request lookups (certificate → user → contract, the PIN
 * session) skip TypeORM's query building, which cost more than the query itself. better-sqlite3
 * keeps the compiled statement; mysql2 prepares it once per pooled connection (COM_STMT_PREPARE)
 * and then only sends the parameters.
 */
class PreparedRead {
  private sqliteStatement: { all(...params: unknown[]): unknown[] } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: string,
    private readonly counter: QueryCounter,
    /** mysql2 applies no timeout to prepared statements, so the read enforces DATABASE_QUERY_TIMEOUT_MS itself. */
    private readonly timeoutMs: number,
  ) {}

  async rows(params: unknown[]): Promise<unknown[][]> {
    this.counter.logQuery();
    const driver = this.dataSource.driver as unknown as {
      databaseConnection?: { prepare(sql: string): { all(...params: unknown[]): unknown[]; raw(on: boolean): unknown } };
      pool?: MysqlPool;
    };
    if (this.dataSource.options.type === 'better-sqlite3') {
      if (!this.sqliteStatement) {
        const statement = driver.databaseConnection!.prepare(this.sql);
        statement.raw(true);
        this.sqliteStatement = statement;
      }
      return this.sqliteStatement.all(...params) as unknown[][];
    }
    return this.executeOnMysql(driver.pool!, params);
  }

  private executeOnMysql(pool: MysqlPool, params: unknown[]): Promise<unknown[][]> {
    return new Promise((resolve, reject) => {
      pool.getConnection((acquireError, connection) => {
        if (acquireError) return reject(acquireError);
        let settled = false;
        // Like mysql2's own query timeout: the connection that outlived it is dropped, not reused.
        const timer = setTimeout(() => {
          settled = true;
          connection.destroy();
          reject(Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT', fatal: true }));
        }, this.timeoutMs);
        connection.execute({ sql: this.sql, rowsAsArray: true }, params, (error, rows) => {
          if (settled) return;
          clearTimeout(timer);
          connection.release();
          if (error) reject(error);
          else resolve(rows as unknown[][]);
        });
      });
    });
  }
}

type Hydrated<E extends readonly EntityColumns<ObjectLiteral>[]> = {
  [K in keyof E]: E[K] extends EntityColumns<infer T> ? T | null : never;
};

/**
 * A prepared SELECT of whole entities, one after another (`SELECT a.*, b.*, … <rest>`), read as
 * arrays and hydrated by position: no per-row object keyed by 51 aliases to build and then copy
 * (half the identity read's cost, bench:profile). Each row comes back as one entity per
 * EntityColumns given, null where an outer join found none.
 */
export class PreparedSelect<E extends readonly EntityColumns<ObjectLiteral>[]> {
  private readonly read: PreparedRead;
  private readonly offsets: number[];
  /** The statement, for EXPLAIN (specs check that pages are read from an index). */
  readonly sql: string;
  /** The SELECT list: every column of each entity, in order. */
  protected readonly list: string;
  /** How many columns the list has: a column after them is the caller's. */
  protected readonly width: number;

  /** `SELECT <every column of each entity, in order> ${rest}`: the caller adds FROM, JOIN and WHERE. */
  constructor(
    protected readonly dataSource: DataSource,
    private readonly entities: E,
    protected readonly rest: string,
    protected readonly counter: QueryCounter,
    protected readonly timeoutMs: number,
  ) {
    this.list = entities.map((entity) => entity.select).join(', ');
    this.sql = `SELECT ${this.list} ${rest}`;
    this.read = new PreparedRead(dataSource, this.sql, counter, timeoutMs);
    let offset = 0;
    this.offsets = entities.map((entity) => {
      const start = offset;
      offset += entity.width;
      return start;
    });
    this.width = offset;
  }

  async rows(params: unknown[]): Promise<Array<Hydrated<E>>> {
    const rows = await this.read.rows(params);
    return rows.map((row) => this.hydrate(row));
  }

  /** The entities of a row read as an array; columns after theirs are not read. */
  protected hydrate(row: readonly unknown[]): Hydrated<E> {
    return this.entities.map((entity, i) => entity.hydrateAt(row, this.offsets[i])) as Hydrated<E>;
  }
}

/**
 * The UNIONs are prepared with these numbers of branches, the last read's parameters repeated up
 * to the next one (as ByIdsRead does for its lists): four statements per BatchedSelect on each
 * pooled connection, not fifteen, against the server's max_prepared_stmt_count.
 */
const BRANCHES = [2, 4, 8, 16];
const MAX_BATCH = BRANCHES[BRANCHES.length - 1];

interface BatchedRead<E extends readonly EntityColumns<ObjectLiteral>[]> {
  params: unknown[];
  resolve(rows: Array<Hydrated<E>>): void;
  reject(error: unknown): void;
}

/**
 * A PreparedSelect whose reads asked for in one turn of the event loop go to MySQL/MariaDB as one
 * statement: the SELECT once per read, joined by UNION ALL, each with its own parameters and its
 * place as a last column. Every read still starts after it was asked for — requests are not
 * answered from an earlier read — but a turn's requests share one round trip. On the per-request
 * identity read that round trip was half the gateway's CPU (the socket write alone 14%, mysql2's
 * parsing of 50 column definitions per result), and the database server spent ≈ 150 µs of CPU per
 * statement (bench:profile, MariaDB; ≈ 85 µs per read in batches of about five). For MySQL/MariaDB
 * only (Database.prepareBatchedSelect): SQLite reads synchronously. `rest` has no ORDER BY or
 * LIMIT (it is a UNION's branch).
 */
export class BatchedSelect<E extends readonly EntityColumns<ObjectLiteral>[]> extends PreparedSelect<E> {
  private pending: Array<BatchedRead<E>> = [];
  /** The UNION ALL of n branches, by n (one of BRANCHES). */
  private readonly unions = new Map<number, PreparedRead>();

  override rows(params: unknown[]): Promise<Array<Hydrated<E>>> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ params, resolve, reject });
    });
  }

  private flush(): void {
    const reads = this.pending;
    this.pending = [];
    for (let start = 0; start < reads.length; start += MAX_BATCH) this.send(reads.slice(start, start + MAX_BATCH));
  }

  private send(reads: Array<BatchedRead<E>>): void {
    if (reads.length === 1) {
      const [read] = reads;
      super.rows(read.params).then(read.resolve, read.reject);
      return;
    }
    const branches = BRANCHES.find((n) => n >= reads.length)!;
    const params = Array.from({ length: branches }, (_, i) => reads[Math.min(i, reads.length - 1)].params).flat();
    this.union(branches)
      .rows(params)
      .then((rows) => {
        const answers = reads.map((): Array<Hydrated<E>> => []);
        const place = this.width;
        for (const row of rows) answers[Number(row[place])]?.push(this.hydrate(row)); // a repeated branch's rows are nobody's
        return answers;
      })
      .then(
        (answers) => reads.forEach((read, i) => read.resolve(answers[i])),
        (error: unknown) => reads.forEach((read) => read.reject(error)),
      );
  }

  private union(branches: number): PreparedRead {
    let union = this.unions.get(branches);
    if (!union) {
      const sql = Array.from({ length: branches }, (_, i) => `SELECT ${this.list}, ${i} ${this.rest}`).join(' UNION ALL ');
      union = new PreparedRead(this.dataSource, sql, this.counter, this.timeoutMs);
      this.unions.set(branches, union);
    }
    return union;
  }
}
