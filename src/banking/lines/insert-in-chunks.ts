import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Rows per multi-row INSERT. MySQL/MariaDB take a statement up to max_allowed_packet (16 MB by
 * default on MariaDB, 64 MB on MySQL 8; 1,000 rows are well under 1 MB). On SQLite a statement
 * runs on the event loop, and other requests are served between statements: 100 rows, their
 * parameters made and bound (1,300 for a bulk transfer's lines), take about half a millisecond.
 * Beside repeated 10,000-line imports, another user's whoami had a p99 of 6.7–6.9 ms with 250
 * rows a statement and 5.3–5.6 ms with 100, the imports as fast (bench: bulk-transfer, SQLite).
 */
const ROWS_PER_INSERT = { sqlite: 100, server: 1000 };

/** Rows as PreparedInsert reads them: an array, or rows made when asked for (see PreparedInsert). */
export interface RowSource<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/**
 * Rows written as multi-row INSERTs of at most ROWS_PER_INSERT rows in a transaction (`run`).
 * Every row has the same properties (the first row's), each a plain column of the entity; `run`
 * may set one of them on every row (an order's id, known only inside the transaction). Nothing is
 * read back. On SQLite, `run` lets other requests be served between its statements: they read
 * through Database's read-only connection and their transactions wait in its queue, so none of
 * them sees or joins this one.
 *
 * A statement's parameters are made just before it runs, from rows that may themselves be made
 * only then (a RowSource): a 10,000-line bulk transfer's lines, rows and parameters, all made
 * ahead and alive at once, were 6.6 MB that every young-generation garbage collection during the
 * import copied, while every other request waited (bench: bulk-transfer).
 *
 * The SQL is written here rather than by TypeORM's insert builder: the builder names each of a
 * statement's 13,000 parameters and copies its parameter map for every one, which made a
 * 10,000-line bulk transfer's inserts take about 0.4 s of CPU. Values still go through the
 * driver's preparePersistentValue (transformers, dates) as the builder's do, and are bound.
 */
export class PreparedInsert<T extends ObjectLiteral> {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly columns: readonly ColumnMetadata[],
    private readonly rows: RowSource<T>,
    /** INSERT … VALUES without its tuples, and one tuple. */
    private readonly into: string,
    private readonly tuple: string,
  ) {}

  /** The INSERTs of `rows`; their columns are checked now, before any transaction. */
  static of<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>, rows: RowSource<T>): PreparedInsert<T> {
    const { driver } = dataSource;
    const metadata = dataSource.getMetadata(entity);
    const columns = Object.keys(rows.at(0) ?? {}).map((property) => {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column || column.relationMetadata || column.embeddedMetadata) {
        throw new Error(`PreparedInsert: ${metadata.name}.${property} is not a plain column`);
      }
      return column;
    });
    const into = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
    return new PreparedInsert<T>(dataSource, columns, rows, into, `(${columns.map(() => '?').join(', ')})`);
  }

  /** Runs the INSERTs in `m`'s transaction, with `set.property` (one of the rows' properties) set to `set.value` on every row. */
  async run(m: EntityManager, set?: { property: keyof T & string; value: unknown }): Promise<void> {
    const { columns, rows } = this;
    const at = set ? columns.findIndex((column) => column.propertyName === set.property) : -1;
    if (set && at < 0 && rows.length) throw new Error(`PreparedInsert: the rows have no ${set.property}`);
    const value = set && at >= 0 ? persistent(this.dataSource, columns[at], set.value) : undefined;
    const sqlite = isSqlite(this.dataSource);
    const perInsert = sqlite ? ROWS_PER_INSERT.sqlite : ROWS_PER_INSERT.server;
    let fullSql: string | undefined;
    for (let start = 0; start < rows.length; start += perInsert) {
      if (sqlite && start > 0) await nextTurn();
      const count = Math.min(perInsert, rows.length - start);
      const parameters: unknown[] = new Array(count * columns.length);
      let next = 0;
      for (let index = start; index < start + count; index++) {
        const row = rows.at(index)!;
        for (let c = 0; c < columns.length; c++, next++) {
          parameters[next] = c === at ? value : persistent(this.dataSource, columns[c], row[columns[c].propertyName]);
        }
      }
      const sql = count === perInsert ? (fullSql ??= this.sql(count)) : this.sql(count);
      await m.query(sql, parameters);
    }
  }

  private sql(rowCount: number): string {
    return this.into + Array(rowCount).fill(this.tuple).join(', ');
  }
}

const isSqlite = (dataSource: DataSource): boolean => dataSource.options.type === 'better-sqlite3';

/** A value as the driver binds it; better-sqlite3 binds no booleans (TypeORM's SQLite driver writes them as 1 and 0 too). */
function persistent(dataSource: DataSource, column: ColumnMetadata, value: unknown): unknown {
  const prepared: unknown = dataSource.driver.preparePersistentValue(value, column);
  if (isSqlite(dataSource) && typeof prepared === 'boolean') return Number(prepared);
  return prepared ?? null;
}

/** Multi-row INSERTs of at most ROWS_PER_INSERT rows in `m`'s transaction (see PreparedInsert). */
export function insertInChunks<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: T[]): Promise<void> {
  return PreparedInsert.of(m.connection, entity, rows).run(m);
}
