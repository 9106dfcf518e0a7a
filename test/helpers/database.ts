import crypto from 'node:crypto';
import path from 'node:path';
import mysql from 'mysql2/promise';

/**
 * One database per test gateway: a SQLite file in the test's folder by default, or a fresh
 * database on the MySQL/MariaDB server named by TEST_DATABASE_URL (or the one a spec names, such
 * as a node of a Galera cluster).
 */
export interface TestDatabase {
  url: string;
  engine: 'sqlite' | 'mysql';
  drop(): Promise<void>;
}

export const testEngine: 'sqlite' | 'mysql' = process.env.TEST_DATABASE_URL ? 'mysql' : 'sqlite';

export async function createTestDatabase(dir: string, serverUrl = process.env.TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!serverUrl) return { url: `sqlite:${path.join(dir, 'gateway.sqlite')}`, engine: 'sqlite', drop: async () => undefined };
  const name = `cibg_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection(serverUrl);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    engine: 'mysql',
    drop: async () => {
      const connection = await mysql.createConnection(serverUrl);
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}
