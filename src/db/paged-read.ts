import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  And,
  Equal,
  FindOperator,
  MoreThan,
  type EntityManager,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
  type ObjectLiteral,
} from 'typeorm';
import type { Database } from './database';
import type { EntityColumns, PreparedSelect } from './prepared-read';

/**
 * Rows per page of a long read. On SQLite a page's query and TypeORM's hydration run in one go on
 * the event loop: about 4 ms for 1,000 statement lines measured on a busy 2-core VM, so another
 * user's request could wait that long for each page; 250 rows keep that to about a millisecond.
 * On MySQL/MariaDB the query is I/O and its result is parsed as it arrives, and smaller pages did
 * not lower the event loop's delay there but doubled a 100,000-line download's time (four times
 * the round trips to a busy server), so pages stay at 1,000 rows.
 */
const READ_PAGE_ROWS = { sqlite: 250, server: 1_000 };

/**
 * The rows matching `where` in ascending `key` order (a unique, increasing number such as the id),
 * a page at a time, with other requests served between pages. A condition of `where` on `key`
 * holds on every page.
 */
export async function* readInPages<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  key: keyof T & string,
): AsyncGenerator<T[]> {
  const own = (where as Record<string, FindOperator<number> | number | undefined>)[key];
  const pageRows = manager.connection.options.type === 'better-sqlite3' ? READ_PAGE_ROWS.sqlite : READ_PAGE_ROWS.server;
  let after: number | undefined;
  for (;;) {
    const next = after === undefined ? own : own === undefined ? MoreThan(after) : And(asOperator(own), MoreThan(after));
    const rows = await manager.find(entity, {
      where: { ...where, ...(next === undefined ? {} : { [key]: next }) } as FindOptionsWhere<T>,
      order: { [key]: 'ASC' } as FindOptionsOrder<T>,
      take: pageRows,
    });
    if (rows.length) yield rows;
    if (rows.length < pageRows) return;
    after = rows[rows.length - 1][key] as number;
    // Other requests first: on SQLite a query runs on the event loop and its awaited result
    // continues as a microtask, so pages alone would hold both listeners until the last one
    // (a 50,000-event audit export stalled every other request for 0.7 s).
    await nextTurn();
  }
}

function asOperator(condition: FindOperator<number> | number): FindOperator<number> {
  return condition instanceof FindOperator ? condition : Equal(condition);
}

/**
 * readInPages for one fixed condition, as a prepared SELECT hydrated by position
 * (db/prepared-read.ts): a statement download reads 400 pages, and TypeORM's query building and
 * hydration took about 4 ms of each on SQLite, all of it on the event loop while another user's
 * request waited (bench: statement-download).
 */
export class PreparedPages<T extends ObjectLiteral> {
  private readonly first: PreparedSelect<readonly [EntityColumns<T>]>;
  private readonly next: PreparedSelect<readonly [EntityColumns<T>]>;
  private readonly pageRows: number;
  private readonly keys: ReadonlyArray<keyof T & string>;

  /**
   * `where(columns)` is the condition, with `?` for the parameters `read` is given. The rows come
   * in ascending order of `keys`, whose last is unique (such as the id): `'id'`, or
   * `['businessDate', 'id']` to read by an index that starts with the day.
   */
  constructor(
    db: Database,
    target: EntityTarget<T>,
    where: (columns: EntityColumns<T>) => string,
    keys: (keyof T & string) | ReadonlyArray<keyof T & string>,
  ) {
    const columns = db.columns(target, 'paged');
    this.keys = typeof keys === 'string' ? [keys] : keys;
    this.pageRows = db.isSqlite ? READ_PAGE_ROWS.sqlite : READ_PAGE_ROWS.server;
    const condition = where(columns);
    const order = ` ORDER BY ${this.keys.map((key) => `${columns.column(key)} ASC`).join(', ')} LIMIT ${this.pageRows}`;
    this.first = db.prepareSelect([columns] as const, `FROM ${columns.from} WHERE ${condition}${order}`);
    const afterLast = keyset(
      this.keys.map((key) => columns.column(key)),
      '>',
    );
    this.next = db.prepareSelect([columns] as const, `FROM ${columns.from} WHERE ${condition} AND ${afterLast}${order}`);
  }

  /** The first page's statement and the next pages', for EXPLAIN. */
  get statements(): readonly string[] {
    return [this.first.sql, this.next.sql];
  }

  /**
   * The rows matching the condition with these parameters, a page at a time, other requests served
   * between pages. `from`: read as if a page had ended at these values of the keys, so that the
   * keyset is the read's only lower bound on them. A condition with a lower bound of its own on
   * the first key (`day BETWEEN ? AND ?`) leaves the database two, and SQLite seeks to the
   * condition's: every page then scanned the period from its first day (a 100,000-line statement
   * took twice as long).
   */
  async *read(params: readonly unknown[], from?: readonly unknown[]): AsyncGenerator<T[]> {
    let rows = (await (from ? this.next.rows([...params, ...keysetParameters(from)]) : this.first.rows([...params]))).map(([row]) => row!);
    for (;;) {
      if (rows.length) yield rows;
      if (rows.length < this.pageRows) return;
      const last = rows[rows.length - 1];
      await nextTurn(); // as in readInPages
      rows = (await this.next.rows([...params, ...keysetParameters(this.keys.map((key) => last[key]))])).map(([row]) => row!);
    }
  }
}

/**
 * Rows after a page's last row in the order of `columns` (the keyset), or before it when the
 * order is descending (`'<'`): `a > ?` for one column; for two, `a >= ? AND (a > ? OR b > ?)`, the
 * first term a range an index on (…, a, b) can seek to on SQLite and MySQL/MariaDB alike (the
 * row-value form is not one MariaDB's optimizer uses).
 */
export function keyset(columns: readonly string[], direction: '>' | '<'): string {
  const [a, b] = columns;
  if (columns.length === 1) return `${a} ${direction} ?`;
  if (columns.length === 2) return `${a} ${direction}= ? AND (${a} ${direction} ? OR ${b} ${direction} ?)`;
  throw new Error('keyset: one or two keys');
}

/** The parameters `keyset` takes for a page's last row's keys. */
export function keysetParameters(values: readonly unknown[]): unknown[] {
  return values.length === 1 ? [...values] : [values[0], values[0], values[1]];
}
