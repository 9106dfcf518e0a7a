import crypto from 'node:crypto';
import os from 'node:os';
import type { QueryRunner } from 'typeorm';

const LOCK_NAME = 'gateway_migrations';
/** How long a holder that stopped renewing keeps others out (a crashed migrator on a Galera node). */
const LEASE_SECONDS = 60;
const RENEW_EVERY_MS = 15_000;
const POLL_MS = 250;
/** The longest a process waits for another's migrations on one server before it gives up starting. */
const NAMED_LOCK_WAIT_SECONDS = 120;

interface Driver {
  driverError?: { code?: string };
  code?: string;
}

const codeOf = (error: unknown) => (error as Driver).driverError?.code ?? (error as Driver).code;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Galera node (MariaDB with wsrep_on): it keeps GET_LOCK to itself, so the lock needs a row too. */
async function isGaleraNode(runner: QueryRunner): Promise<boolean> {
  const rows = (await runner.query("SHOW VARIABLES LIKE 'wsrep_on'")) as Array<{ Value: string }>;
  return rows[0]?.Value === 'ON';
}

/**
 * Runs `migrate` while no other gateway process runs migrations on this database. Several
 * processes may start at once; one migrates, the others wait and then find nothing left to do.
 *
 * On one server the named lock GET_LOCK does it, released at once if its holder dies. A Galera
 * node does not replicate named locks, so two instances starting on two nodes would both migrate
 * (one then fails on "Duplicate column", possibly after repeating a statement). There the lock is
 * also a row every node sees: inserting it is certified cluster-wide (of two nodes inserting it at
 * once, one fails and waits), and it carries a lease that the holder renews while it migrates, so
 * a holder that died is replaced once the lease has run out.
 */
export async function withMigrationLock(runner: QueryRunner, migrate: () => Promise<void>): Promise<void> {
  const [{ locked }] = (await runner.query(`SELECT GET_LOCK(?, ?) AS locked`, [LOCK_NAME, NAMED_LOCK_WAIT_SECONDS])) as Array<{
    locked: number | string | null;
  }>;
  if (Number(locked) !== 1) {
    throw new Error(`Another gateway process has been running the migrations for ${NAMED_LOCK_WAIT_SECONDS} s; not starting beside it.`);
  }
  try {
    if (!(await isGaleraNode(runner))) return await migrate();
    const release = await takeClusterLock(runner);
    try {
      await migrate();
    } finally {
      await release();
    }
  } finally {
    await runner.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]).catch(() => undefined);
  }
}

/** Waits for the cluster-wide lock row; returns how to give it back. */
async function takeClusterLock(runner: QueryRunner): Promise<() => Promise<void>> {
  // Not a migration: it guards them. A primary key, as Galera wants on every table.
  await runner.query(
    'CREATE TABLE IF NOT EXISTS `migration_lock` (`name` varchar(64) NOT NULL PRIMARY KEY, `holder` varchar(128) NOT NULL, `expiresAt` datetime(3) NOT NULL) ENGINE=InnoDB',
  );
  const holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  for (;;) {
    try {
      // A holder that stopped renewing (it died) gives its place up once its lease has run out.
      await runner.query('DELETE FROM `migration_lock` WHERE `name` = ? AND `expiresAt` < UTC_TIMESTAMP(3)', [LOCK_NAME]);
      await runner.query(
        'INSERT INTO `migration_lock` (`name`, `holder`, `expiresAt`) VALUES (?, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND)',
        [LOCK_NAME, holder, LEASE_SECONDS],
      );
      break;
    } catch (error) {
      // Held by another process (its row is here), or another node wrote it at the same moment
      // and won the certification.
      if (!['ER_DUP_ENTRY', 'ER_LOCK_DEADLOCK'].includes(codeOf(error) ?? '')) throw error;
      await pause(POLL_MS);
    }
  }
  let renewing = Promise.resolve();
  const renewal = setInterval(() => {
    renewing = runner
      .query('UPDATE `migration_lock` SET `expiresAt` = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE `name` = ? AND `holder` = ?', [
        LEASE_SECONDS,
        LOCK_NAME,
        holder,
      ])
      .then(
        () => undefined,
        () => undefined, // the next renewal tries again; the lease is four renewals long
      );
  }, RENEW_EVERY_MS);
  return async () => {
    clearInterval(renewal);
    await renewing;
    await runner.query('DELETE FROM `migration_lock` WHERE `name` = ? AND `holder` = ?', [LOCK_NAME, holder]);
  };
}
