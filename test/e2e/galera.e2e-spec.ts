import mysql from 'mysql2/promise';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { loadConfig } from '../../src/config';
import { Contract } from '../../src/contract/contract.entity';
import { Database } from '../../src/db/database';
import { migrations } from '../../src/db/migrations';
import { User } from '../../src/users/user.entity';
import { login } from '../helpers/auth';
import { atBusinessMorning, concurrentTransfers, expectTransferBooksAgree } from '../helpers/banking';
import { errorCode } from '../helpers/client';
import { testEngine } from '../helpers/database';
import { GaleraCluster, transactionRetries } from '../helpers/galera';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';

/**
 * DESIGN.md §4 and §6 on a distributed database: three gateways, each writing to its own node of a
 * three-node MariaDB Galera cluster (scripts/galera-cluster.sh, started and stopped here). Galera
 * certifies transactions optimistically: of two nodes changing one row at once, the later commit
 * is refused with a deadlock (1213) — the gateway runs such a transaction again, and the guards
 * (conditional updates) still decide. The cluster needs mariadb-server, galera-4 and rsync
 * (.ci/run installs them); it runs where the tests run on MySQL/MariaDB (TEST_DATABASE_URL).
 * GALERA_FIGURES=1 prints the conflicts and retries each test saw. On a failure the nodes' logs
 * are kept and their folder printed.
 */
(testEngine === 'mysql' ? describe : describe.skip)('three gateways on three nodes of a Galera cluster (MySQL/MariaDB runs only)', () => {
  let cluster: GaleraCluster;
  let gw: TestGateway;
  let second: GatewayProcess;
  let third: GatewayProcess;
  let databaseName: string;
  let failed = false;
  const db = () => gw.gateway.services.db.writableManager;
  const origins = () => [gw.apiOrigin, second.apiOrigin, third.apiOrigin];

  /** Runs a test body (or the set-up), remembering a failure so that the nodes' logs are kept. */
  const tracked = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      failed = true;
      throw error;
    }
  };

  beforeAll(
    tracked(async () => {
      cluster = await GaleraCluster.start();
      if (process.env.GALERA_FIGURES === '1') process.stdout.write(`cluster of three nodes started in ${cluster.startupMs} ms\n`);
      gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' }, { databaseServer: cluster.nodes[0] });
      databaseName = new URL(gw.databaseUrl).pathname.slice(1);
      // All three gateways at 10:00 (Tokyo) of a business day: a day's limit is never split by midnight.
      atBusinessMorning(gw);
      // Every transfer runs the moment it is made (as in transfer-concurrency.e2e-spec.ts).
      const onNode = (n: number) => ({ env: { TRANSFER_CUTOFF: 'none', DATABASE_URL: cluster.databaseUrl(n, databaseName) } });
      // Both kept as they come, so that afterAll stops whichever started if the other did not.
      const started = await Promise.allSettled([GatewayProcess.start(gw, onNode(2)), GatewayProcess.start(gw, onNode(3))]);
      [second, third] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined)) as GatewayProcess[];
      for (const s of started) if (s.status === 'rejected') throw s.reason;
    }),
    180_000,
  );
  afterAll(async () => {
    try {
      await Promise.all([second?.stop(), third?.stop()]);
      await gw?.stop();
    } finally {
      await cluster?.stop({ keepLogs: failed });
    }
  });

  /** Runs `fire`; with GALERA_FIGURES=1, prints the conflicts the nodes counted and what the gateways retried or gave up. */
  async function measured<T>(label: string, fire: () => Promise<T>): Promise<T> {
    const metricsPorts = [gw.gateway.metricsPort!, second.metricsPort, third.metricsPort];
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const figures = async () => {
      const conflicts = await cluster.totalConflicts();
      return {
        conflicts: conflicts.certificationFailures + conflicts.bruteForceAborts,
        retried: sum(await Promise.all(metricsPorts.map((port) => transactionRetries(port)))),
        gaveUp: sum(await Promise.all(metricsPorts.map((port) => transactionRetries(port, 'gave_up')))),
      };
    };
    const before = await figures();
    const started = Date.now();
    const result = await fire();
    const ms = Date.now() - started;
    const after = await figures();
    if (process.env.GALERA_FIGURES === '1') {
      process.stdout.write(
        `${label}: ${ms} ms, ${after.conflicts - before.conflicts} conflicts on the nodes, ` +
          `${after.retried - before.retried} transactions run again, ${after.gaveUp - before.gaveUp} given up (RATE_LIMITED)\n`,
      );
    }
    return result;
  }

  it(
    'failing: 100 concurrent wrong PINs through the three nodes evaluate 6 guesses and lock the user on every node, with no INTERNAL',
    tracked(async () => {
      const identity = gw.demoIdentity('user01');
      const clients = Array.from({ length: 30 }, (_, i) => gw.withCertificate(identity, origins()[i % 3]));
      const responses = await measured('lock', () =>
        Promise.all(Array.from({ length: 100 }, (_, i) => login(clients[i % clients.length], `Wrong${i}`))),
      );

      const codes = responses.map((r) => errorCode(r) ?? 'OK');
      expect(codes.filter((code) => !['LOGIN_FAILED', 'ACCOUNT_LOCKED', 'RATE_LIMITED'].includes(code))).toEqual([]);
      expect(codes.filter((code) => code === 'LOGIN_FAILED')).toHaveLength(5); // the 6th evaluated failure answers ACCOUNT_LOCKED
      const evaluated = (await db().find(AuditEvent, { where: { actorLoginId: 'user01' } })).filter(
        (e) => e.action === AuditAction.LOGIN_FAILED,
      );
      expect(evaluated).toHaveLength(6);
      const user01 = await db().findOneByOrFail(User, { loginId: 'user01' });
      expect(user01.lockedAt).not.toBeNull();
      expect(user01.failedAttempts).toBe(6);
      expect(user01.attemptsInFlight).toBe(0);
      expect(await db().countBy(AuditEvent, { action: AuditAction.USER_LOCKED, actorLoginId: 'user01' })).toBe(1);
      // The right PIN, through each node: locked everywhere.
      for (const origin of origins()) {
        const response = await login(gw.withCertificate(identity, origin), gw.credentials('user01').loginPassword);
        expect(errorCode(response)).toBe('ACCOUNT_LOCKED');
      }
    }),
  );

  describe('transfers through the three nodes', () => {
    beforeAll(async () => {
      // user01 may be locked by the test above: the lock is cleared, as a reset would.
      await gw.gateway.services.db.transaction(async (m) => {
        await m.update(User, { loginId: 'user01' }, { lockedAt: null, failedAttempts: 0, attemptsInFlight: 0 });
        const contract = await m.findOneByOrFail(Contract, { code: 'DEMO0001' });
        // Immediate execution (no approval step), so every accepted transfer moves money at once.
        await m.update(Contract, { id: contract.id }, { requiresApproval: false, dailyTransferLimit: 100_000_000 });
      });
    });

    it(
      'failing: 120 concurrent transfers of ¥100,000 against a ¥3,000,000 daily limit execute exactly ¥3,000,000',
      tracked(async () => {
        const opening = 50_212_000;
        const result = await measured('daily limit', () => concurrentTransfers(gw, origins(), 120, 100_000));
        expect(result.outcomes).toEqual({ EXECUTED: 30, LIMIT_EXCEEDED: 90 });
        expect(await expectTransferBooksAgree(gw, result.accountId, opening)).toBe(3_000_000);
      }),
    );

    it(
      'failing: when funds run out first, the balance stops at exactly zero and never goes negative',
      tracked(async () => {
        const accountId = (await db().findOneByOrFail(Account, { accountNumber: '1234567' })).id;
        const executedSum = async () =>
          (await db().findBy(Transfer, { accountId, status: TransferStatus.EXECUTED })).reduce((sum, t) => sum + t.amount, 0);
        const before = await executedSum();
        await gw.gateway.services.db.transaction(async (m) => {
          await m.update(User, { loginId: 'user01' }, { dailyTransferLimit: 1_000_000_000 });
          await m.update(Account, { id: accountId }, { balance: 1_000_000 }); // ten of the transfers below fit
        });
        const result = await measured('balance', () => concurrentTransfers(gw, origins(), 120, 100_000));
        expect(result.outcomes).toEqual({ EXECUTED: 10, INSUFFICIENT_FUNDS: 110 });
        expect((await db().findOneByOrFail(Account, { id: accountId })).balance).toBe(0);
        expect((await executedSum()) - before).toBe(1_000_000);
      }),
    );
  });

  describe('a transaction that loses a certification conflict', () => {
    let node2: Database;
    const row = { scopeKey: 'test:galera', businessDate: '2000-01-01' };
    const used = async () => (await db().findOneByOrFail(LimitUsage, row)).used;

    beforeAll(async () => {
      node2 = await Database.open(loadConfig({ DATABASE_URL: cluster.databaseUrl(2, databaseName) }).database);
      await gw.gateway.services.db.transaction((m) => m.insert(LimitUsage, { ...row, used: 0 }));
    });
    afterAll(() => node2?.close());

    it(
      'failing: is run again and both changes land: node 1 changed a row, node 2 committed a change to it meanwhile',
      tracked(async () => {
        const before = await used();
        const retriesBefore = await transactionRetries(gw.gateway.metricsPort!);
        let runs = 0;
        // Node 1's transaction writes the row, then waits (on its first run only) while node 2
        // commits a change to the same row: node 1's commit then fails certification.
        await gw.gateway.services.db.transaction(async (m) => {
          runs++;
          await m.increment(LimitUsage, row, 'used', 1);
          if (runs === 1) await node2.transaction((other) => other.increment(LimitUsage, row, 'used', 10));
        });
        expect(runs).toBe(2);
        expect(await used()).toBe(before + 11);
        expect(await transactionRetries(gw.gateway.metricsPort!)).toBe(retriesBefore + 1);
      }),
    );

    it(
      'failing: that keeps losing is given up after a bounded number of runs and answers RATE_LIMITED, not INTERNAL',
      tracked(async () => {
        const before = await used();
        let runs = 0;
        const outcome = await gw.gateway.services.db
          .transaction(async (m) => {
            runs++;
            await m.increment(LimitUsage, row, 'used', 1);
            await node2.transaction((other) => other.increment(LimitUsage, row, 'used', 10));
          })
          .catch((error: unknown) => error);
        expect(outcome).toBeInstanceOf(DomainError);
        expect(outcome).toMatchObject({ code: ErrorCode.RATE_LIMITED, details: { retryAfterSeconds: 1 } });
        expect(runs).toBe(8);
        // Node 2's commits all landed; none of node 1's runs did.
        expect(await used()).toBe(before + 10 * runs);
      }),
    );
  });

  it(
    'successful: every table has a primary key (Galera replicates rows by key)',
    tracked(async () => {
      const connection = await mysql.createConnection(cluster.databaseUrl(3, databaseName));
      try {
        const [rows] = await connection.query(
          `SELECT t.TABLE_NAME AS name FROM information_schema.TABLES t
            WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' AND NOT EXISTS (
              SELECT 1 FROM information_schema.TABLE_CONSTRAINTS c
               WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.CONSTRAINT_TYPE = 'PRIMARY KEY')`,
        );
        expect(rows).toEqual([]);
        const [tables] = await connection.query('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
        expect(Number((tables as Array<{ n: number }>)[0].n)).toBeGreaterThan(10);
      } finally {
        await connection.end();
      }
    }),
  );

  /** A fresh, empty database on the cluster; `prepare` runs on it (through node 1) first. */
  async function emptyDatabase(name: string, prepare?: (connection: mysql.Connection) => Promise<unknown>): Promise<void> {
    const admin = await mysql.createConnection(cluster.nodes[0]);
    try {
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
      await admin.query(`USE \`${name}\``);
      await prepare?.(admin);
    } finally {
      await admin.end();
    }
  }

  /** Gateways started at once as a bank runs them (production: no demo data), each on its node; stopped again once up. */
  async function startTogether(name: string, nodes: number[]): Promise<string[]> {
    const started = await Promise.allSettled(
      nodes.map((n) => GatewayProcess.start(gw, { mode: 'production', env: { DATABASE_URL: cluster.databaseUrl(n, name) } })),
    );
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    return started.map((s) => (s.status === 'fulfilled' ? 'started' : String(s.reason)));
  }

  /** Every migration ran exactly once, and no lock row is left. */
  async function expectMigratedOnce(name: string): Promise<void> {
    const check = await mysql.createConnection(cluster.databaseUrl(1, name));
    try {
      const [ran] = await check.query('SELECT name FROM migrations ORDER BY id');
      expect((ran as Array<{ name: string }>).map((m) => m.name)).toEqual(migrations.map((m) => m.name));
      const [held] = await check.query('SELECT * FROM migration_lock');
      expect(held).toEqual([]);
      await check.query(`DROP DATABASE \`${name}\``);
    } finally {
      await check.end();
    }
  }

  it(
    'failing: gateways starting at once on two nodes of an empty database both start, and every migration runs once',
    tracked(async () => {
      // Each node's named lock knows nothing of the other's: without the lock row, one of the two
      // fails on "Table … already exists" or "Duplicate column" (3 rounds out of 3 when tried).
      for (let round = 1; round <= 3; round++) {
        const name = `${databaseName}_m${round}`;
        await emptyDatabase(name);
        expect(await startTogether(name, [2, 3])).toEqual(['started', 'started']);
        await expectMigratedOnce(name);
      }
    }),
  );

  it(
    'successful: the lock row of a migrator that died is taken over once its lease has run out',
    tracked(async () => {
      const name = `${databaseName}_dead`;
      await emptyDatabase(name, async (connection) => {
        await connection.query(
          'CREATE TABLE migration_lock (name varchar(64) NOT NULL PRIMARY KEY, holder varchar(128) NOT NULL, expiresAt datetime(3) NOT NULL)',
        );
        await connection.query(
          "INSERT INTO migration_lock VALUES ('gateway_migrations', 'a killed gateway', UTC_TIMESTAMP(3) + INTERVAL 6 SECOND)",
        );
      });
      const starting = startTogether(name, [3]);
      // Well into the lease, nothing has been migrated yet: the gateway waits for the lease.
      await new Promise((resolve) => setTimeout(resolve, 3500));
      const check = await mysql.createConnection(cluster.databaseUrl(3, name));
      const [tables] = await check.query("SHOW TABLES LIKE 'migrations'");
      await check.end();
      expect(tables).toEqual([]);
      expect(await starting).toEqual(['started']);
      await expectMigratedOnce(name);
    }),
  );
});
