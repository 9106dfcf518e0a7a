import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Rows per multi-row INSERT. SQLite binds at most 32,766 parameters per statement (a statement
 * line has 9 columns, a bulk line 13) and MySQL/MariaDB take a statement up to max_allowed_packet
 * (16 MB by default on MariaDB, 64 MB on MySQL 8; 1,000 rows are well under 1 MB).
 */
const ROWS_PER_INSERT = 1000;

/**
 * Multi-row INSERTs of at most ROWS_PER_INSERT rows, without reading anything back. Every row
 * has the same properties (the first row's), each a plain column of `entity`.
 *
 * The SQL is written here rather than by TypeORM's insert builder: the builder names each of a
 * statement's 13,000 parameters and copies its parameter map for every one, which made a
 * 10,000-line bulk transfer's inserts take about 0.4 s of CPU inside the transaction (on SQLite,
 * with the event loop held throughout). Values still go through the driver's
 * preparePersistentValue (transformers, dates) as the builder's do, and are bound, not inlined.
 */
export async function insertInChunks<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: T[]): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = m.connection;
  const metadata = m.connection.getMetadata(entity);
  const columns: ColumnMetadata[] = Object.keys(rows[0]).map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column || column.relationMetadata || column.embeddedMetadata) {
      throw new Error(`insertInChunks: ${metadata.name}.${property} is not a plain column`);
    }
    return column;
  });
  const sqlite = driver.options.type === 'better-sqlite3';
  const into = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const parameters: unknown[] = [];
    for (const row of chunk) {
      for (const column of columns) {
        const value: unknown = driver.preparePersistentValue(row[column.propertyName], column);
        // better-sqlite3 binds neither booleans nor Dates (TypeORM's SQLite driver converts them the same way).
        parameters.push(sqlite && typeof value === 'boolean' ? Number(value) : (value ?? null));
      }
    }
    await m.query(into + Array(chunk.length).fill(tuple).join(', '), parameters);
  }
}
