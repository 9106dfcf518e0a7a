import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { GatewayConfig } from '../config';
import { entities } from './entities';
import { withMigrationLock } from './migration-lock';
import { migrations } from './migrations';
import { guardMysqlPool, type MysqlPool } from './mysql-pool-guard';
import type { QueryCounter } from './query-counter';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './sqlite-checkpointer';

/** MariaDB and MySQL differ in how they report defaults and keys; TypeORM must know which it has. */
export type MysqlFlavour = 'mysql' | 'mariadb';

export async function detectMysqlFlavour(url: string): Promise<MysqlFlavour> {
  const connection = await mysql.createConnection(url);
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /mariadb/i.test((rows as Array<{ version: string }>)[0].version) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

export function dataSourceOptions(
  database: GatewayConfig['database'],
  flavour: MysqlFlavour = 'mysql',
  logger?: QueryCounter,
): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false, logger } as const;
  if (database.kind === 'sqlite') {
    return {
      type: 'better-sqlite3',
      database: database.file,
      // WAL lets several gateway processes on one machine share the file; writers wait
      // for each other instead of failing at once.
      enableWAL: true,
      timeout: database.queryTimeoutMs,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        // Checkpoints are the checkpointer thread's (sqlite-checkpointer.ts); this is its fallback.
        db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      },
      ...common,
    };
  }
  return {
    type: flavour,
    url: database.url,
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    // A frozen server must not hang requests: a query gets this long (mysql-pool-guard.ts drops its connection after).
    enableQueryTimeout: true,
    maxQueryExecutionTime: database.queryTimeoutMs,
    connectTimeout: database.connectTimeoutMs,
    extra: { connectionLimit: 20 },
    ...common,
  };
}

/**
 * The database holds password hashes and the audit: readable by the gateway's user only. SQLite
 * gives its -wal and -shm files the database file's mode; files left by an older start are fixed too.
 */
function createPrivateSqliteFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const existing of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(existing)) fs.chmodSync(existing, 0o600);
  }
}

export async function openDatabase(database: GatewayConfig['database'], queryCounter?: QueryCounter): Promise<DataSource> {
  if (database.kind === 'sqlite') createPrivateSqliteFile(database.file);
  const flavour = database.kind === 'mysql' ? await detectMysqlFlavour(database.url) : undefined;
  const options = dataSourceOptions(database, flavour, queryCounter);
  // Migrations run on a connection of their own without the query timeout: an ALTER on a large
  // table, or waiting for another instance's migrations, may rightly take longer than a request may.
  const migrator = new DataSource({ ...options, ...(database.kind === 'mysql' ? { enableQueryTimeout: false } : {}) } as DataSourceOptions);
  await migrator.initialize();
  try {
    await runMigrationsExclusively(migrator);
  } finally {
    await migrator.destroy();
  }
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  if (database.kind === 'mysql') {
    guardMysqlPool((dataSource.driver as unknown as { pool: MysqlPool }).pool, database.queryTimeoutMs);
  }
  return dataSource;
}

/**
 * SQLite: a second, read-only connection to the same file for reads outside transactions. In WAL
 * mode it reads the last committed state while a transaction is open on the writing connection,
 * so a long transaction (a bulk import's inserts) can let other requests run between its
 * statements without their reads seeing, or waiting for, what it has not committed.
 */
export async function openSqliteReader(
  database: GatewayConfig['database'] & { kind: 'sqlite' },
  queryCounter?: QueryCounter,
): Promise<DataSource> {
  const options = dataSourceOptions(database, undefined, queryCounter);
  // The file is in WAL mode already (the writing connection set it); a read-only connection may not set it.
  const reader = new DataSource(Object.assign({}, options, { readonly: true, enableWAL: false }) as DataSourceOptions);
  await reader.initialize();
  return reader;
}

/**
 * Several gateway processes may start at once on one database; exactly one of them runs the
 * migrations while the others wait (migration-lock.ts). SQLite serialises writers itself.
 */
async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type === 'better-sqlite3') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lockHolder = dataSource.createQueryRunner();
  try {
    await withMigrationLock(lockHolder, async () => {
      await dataSource.runMigrations({ transaction: 'each' });
    });
  } finally {
    await lockHolder.release();
  }
}
