import type { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Column shapes shared by the entities and the migrations, so that both engines (SQLite and
 * MySQL/MariaDB) get the same schema and the drift test can compare them.
 */

/** Millisecond timestamps; mysql2 and better-sqlite3 both hand back Date with timezone 'Z'. */
export const dateTime = (options: ColumnOptions = {}): ColumnOptions => ({ type: 'datetime', precision: 3, ...options });

/** mysql2 returns BIGINT as a string; whole-yen amounts stay below 2^53, so a number is exact. */
const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

export const yen = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: bigintToNumber,
  ...options,
});
