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
