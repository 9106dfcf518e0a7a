import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { loadConfig } from '../../src/config';
import { Database } from '../../src/db/database';
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database';

/**
 * The database's connections as the gateway opens them (Database.open), on the real file or
 * server: reads outside a transaction see only what has been committed, even while a transaction
 * lets other requests run between its statements (a bulk import's INSERTs do); on SQLite the WAL
 * is checkpointed by a thread of its own, not by the commit that happens to pass 1,000 pages.
 */
describe('the database connections of one gateway process', () => {
  let dir: string;
  let database: TestDatabase;
  let db: Database;
  const row = (scopeKey: string) => ({ scopeKey, businessDate: '2026-12-07', used: 0 });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-connections-'));
    database = await createTestDatabase(dir);
    db = await Database.open(loadConfig({ DATABASE_URL: database.url }).database);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('successful: a read outside a transaction, made while the transaction waits for its next turn, does not see its uncommitted row; after the commit it does', async () => {
    const seen: number[] = [];
    await db.transaction(async (m) => {
      await m.insert(LimitUsage, row('connections:uncommitted'));
      await nextTurn();
      seen.push(await db.manager.countBy(LimitUsage, { scopeKey: 'connections:uncommitted' }));
    });
    seen.push(await db.manager.countBy(LimitUsage, { scopeKey: 'connections:uncommitted' }));
    expect(seen).toEqual([0, 1]);
  });

  it('successful: a transaction rolled back after letting others run leaves nothing a read ever saw', async () => {
    const seen: number[] = [];
    await expect(
      db.transaction(async (m) => {
        await m.insert(LimitUsage, row('connections:rolled-back'));
        await nextTurn();
        seen.push(await db.manager.countBy(LimitUsage, { scopeKey: 'connections:rolled-back' }));
        throw new Error('refused after the insert');
      }),
    ).rejects.toThrow('refused after the insert');
    seen.push(await db.manager.countBy(LimitUsage, { scopeKey: 'connections:rolled-back' }));
    expect(seen).toEqual([0, 0]);
  });

  it('successful: reads of a batched select asked for in one turn each get their own rows, however many, and on a server share one statement', async () => {
    const day = (n: number) => `2026-12-${String(n).padStart(2, '0')}`;
    await db.transaction((m) =>
      m.insert(
        LimitUsage,
        [1, 2, 3, 4, 5].flatMap((n) =>
          Array.from({ length: n }, (_, i) => ({ scopeKey: `batched:${n}`, businessDate: day(i + 1), used: n })),
        ),
      ),
    );
    const usage = db.columns(LimitUsage, 'usage');
    const batched = db.prepareBatchedSelect([usage] as const, `FROM ${usage.from} WHERE ${usage.column('scopeKey')} = ?`);
    const keys = ['batched:3', 'batched:1', 'none', 'batched:5', 'batched:2'];
    const before = db.queryCounter.count;
    const answers = await Promise.all(keys.map((key) => batched.rows([key])));
    // Five reads go as a UNION of eight branches, the last read repeated: its repeats belong to nobody.
    expect(answers.map((rows) => rows.map(([row]) => `${row!.scopeKey} ${row!.businessDate}`).sort())).toEqual(
      keys.map((key) => Array.from({ length: Number(key.split(':')[1] ?? 0) }, (_, i) => `${key} ${day(i + 1)}`)),
    );
    expect(db.queryCounter.count - before).toBe(testEngine === 'sqlite' ? keys.length : 1);
  });

  (testEngine === 'sqlite' ? describe : describe.skip)('SQLite', () => {
    it('failed: the read connection refuses a write (every write goes through transaction())', async () => {
      await expect(db.manager.insert(LimitUsage, row('connections:read-only'))).rejects.toThrow(/readonly/);
      expect(await db.manager.countBy(LimitUsage, { scopeKey: 'connections:read-only' })).toBe(0);
    });

    it('successful: about 1 MB committed (a quarter of the WAL size at which a commit would checkpoint) reaches the database file within seconds: the checkpointer thread copied it', async () => {
      const file = database.url.slice('sqlite:'.length);
      const before = fs.statSync(file).size;
      await db.transaction(async (m) => {
        await m.query('CREATE TABLE filler (bytes BLOB)');
        await m.query(
          'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) INSERT INTO filler SELECT randomblob(4000) FROM n',
        );
      });
      expect(fs.statSync(file).size).toBe(before); // committed to the WAL only
      let after = before;
      for (let waited = 0; waited < 5_000 && after < before + 1_000_000; waited += 100) {
        await sleep(100);
        after = fs.statSync(file).size;
      }
      expect(after).toBeGreaterThanOrEqual(before + 1_000_000);
    });
  });
});
