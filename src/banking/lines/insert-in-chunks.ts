import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Rows per multi-row INSERT. SQLite binds at most 32,766 parameters per statement (a statement
 * line has 9 columns, a bulk line 13) and MySQL/MariaDB take a statement up to max_allowed_packet
 * (16 MB by default on MariaDB, 64 MB on MySQL 8; 1,000 rows are well under 1 MB).
 */
const ROWS_PER_INSERT = 1000;

/** Multi-row INSERTs of at most ROWS_PER_INSERT rows, without reading anything back. */
export async function insertInChunks<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: T[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await m
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .updateEntity(false)
      .execute();
  }
}
