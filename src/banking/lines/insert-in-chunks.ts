import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { runInTurns, runToEnd, type Steps } from '../zengin/in-turns';

/**
 * Rows per multi-row INSERT. MySQL/MariaDB take a statement up to max_allowed_packet (16 MB by
 * default on MariaDB, 64 MB on MySQL 8; 1,000 rows are well under 1 MB). On SQLite a statement
 * runs on the event loop, and other requests are served between statements: 250 rows take about
 * a millisecond (and bind 3,250 parameters, well under SQLite's 32,766).
 */
const ROWS_PER_INSERT = { sqlite: 250, server: 1000 };

/**
 * Rows made into multi-row INSERTs of at most ROWS_PER_INSERT rows ahead of the transaction that
 * writes them (`run`), so that the transaction does little but run them: on SQLite it holds the
 * one connection and the event loop until it commits. Every row has the same properties (the
 * first row's), each a plain column of the entity; `run` may set one of them on every row (an
 * order's id, known only inside the transaction). Nothing is read back. On SQLite, `run` lets
 * other requests be served between its statements: they read through Database's read-only
 * connection and their transactions wait in its queue, so none of them sees or joins this one.
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
    private readonly statements: ReadonlyArray<{ sql: string; parameters: unknown[] }>,
  ) {}

  static of<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>, rows: readonly T[]): PreparedInsert<T> {
    return runToEnd(PreparedInsert.build(dataSource, entity, rows));
  }

  /** The same, with other requests served between statements (a statement's values take a couple of milliseconds). */
  static inTurns<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>, rows: readonly T[]): Promise<PreparedInsert<T>> {
    return runInTurns(PreparedInsert.build(dataSource, entity, rows));
  }

  private static *build<T extends ObjectLiteral>(
    dataSource: DataSource,
    entity: EntityTarget<T>,
    rows: readonly T[],
  ): Steps<PreparedInsert<T>> {
    if (rows.length === 0) return new PreparedInsert<T>(dataSource, [], []);
    const { driver } = dataSource;
    const metadata = dataSource.getMetadata(entity);
    const columns = Object.keys(rows[0]).map((property) => {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column || column.relationMetadata || column.embeddedMetadata) {
        throw new Error(`PreparedInsert: ${metadata.name}.${property} is not a plain column`);
      }
      return column;
    });
    const into = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statements = [];
    const perInsert = isSqlite(dataSource) ? ROWS_PER_INSERT.sqlite : ROWS_PER_INSERT.server;
    for (let start = 0; start < rows.length; start += perInsert) {
      if (start > 0) yield;
      const chunk = rows.slice(start, start + perInsert);
      const parameters: unknown[] = [];
      for (const row of chunk) for (const column of columns) parameters.push(persistent(dataSource, column, row[column.propertyName]));
      statements.push({ sql: into + Array(chunk.length).fill(tuple).join(', '), parameters });
    }
    return new PreparedInsert<T>(dataSource, columns, statements);
  }

  /** Runs the INSERTs in `m`'s transaction, with `set.property` (one of the rows' properties) set to `set.value` on every row. */
  async run(m: EntityManager, set?: { property: keyof T & string; value: unknown }): Promise<void> {
    const at = set ? this.columns.findIndex((column) => column.propertyName === set.property) : -1;
    if (set && at < 0 && this.statements.length) throw new Error(`PreparedInsert: the rows have no ${set.property}`);
    const value = set && at >= 0 ? persistent(this.dataSource, this.columns[at], set.value) : undefined;
    const sqlite = isSqlite(this.dataSource);
    for (const [index, { sql, parameters }] of this.statements.entries()) {
      if (sqlite && index > 0) await nextTurn();
      if (at >= 0) for (let i = at; i < parameters.length; i += this.columns.length) parameters[i] = value;
      await m.query(sql, parameters);
    }
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
