import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** A counter column moved by `by`; `min` and `max` bound the new value (inclusive). */
export interface CounterMove {
  column: string;
  by: number;
  min?: number;
  max?: number;
}

/** Which row(s): column equalities, plus an optional SQL condition with its own parameters. */
export interface CounterRow {
  match: ObjectLiteral;
  condition?: string;
  params?: ObjectLiteral;
}

/**
 * The one way security and money counters move (STYLE habit 6): a single conditional UPDATE,
 * `SET n = n + :by WHERE … AND n + :by <= :max`, whose affected-row count says whether it
 * happened. Correct on one process or fifty, on SQLite and MySQL: the database decides, never
 * JavaScript reading a value and writing it back. The bounds are conditions, not clamps: a
 * move that would cross one does not happen at all. `also` sets further columns in the same
 * statement (SQLite evaluates every SET from the old row, MySQL left to right: put expressions
 * that read a moved column before it).
 */
/** A column name quoted for raw SQL on the current engine (for expressions beside a counter move). */
export function quoted(manager: EntityManager, column: string): string {
  return manager.connection.driver.escape(column);
}

export async function moveCounters<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  row: CounterRow,
  moves: CounterMove[],
  also: Record<string, unknown> = {},
): Promise<boolean> {
  const escape = (name: string) => quoted(manager, name);
  const set: Record<string, unknown> = { ...also };
  const conditions: string[] = [];
  const params: ObjectLiteral = { ...row.params };
  for (const [column, value] of Object.entries(row.match)) {
    conditions.push(`${escape(column)} = :match_${column}`);
    params[`match_${column}`] = value;
  }
  if (row.condition) conditions.push(`(${row.condition})`);
  for (const { column, by, min, max } of moves) {
    const moved = `${escape(column)} + :by_${column}`;
    set[column] = () => moved;
    params[`by_${column}`] = by;
    if (min !== undefined) {
      conditions.push(`${moved} >= :min_${column}`);
      params[`min_${column}`] = min;
    }
    if (max !== undefined) {
      conditions.push(`${moved} <= :max_${column}`);
      params[`max_${column}`] = max;
    }
  }
  // Column names come from our own code, never from a request; values travel as parameters.
  const result = await manager
    .createQueryBuilder()
    .update(entity as EntityTarget<ObjectLiteral>)
    .set(set)
    .where(conditions.join(' AND '), params)
    .execute();
  return !!result.affected;
}
