import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { request } from 'undici';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'galera-cluster.sh');
const run = promisify(execFile);

/** What a node has counted of write conflicts since it started (SHOW STATUS). */
export interface ConflictCounts {
  /** Local transactions that failed certification at commit: another node committed the same rows first. */
  certificationFailures: number;
  /** Local transactions aborted by a replicated write set that needed their locks (brute-force aborts). */
  bruteForceAborts: number;
}

/**
 * A three-node MariaDB Galera cluster on loopback, started by scripts/galera-cluster.sh in a
 * folder of its own and stopped (the folder removed) by `stop()`. If the test process dies
 * instead, the script's watcher stops the nodes.
 */
export class GaleraCluster {
  private constructor(
    readonly dir: string,
    /** mysql://root@127.0.0.1:<port>/ for each node, node 1 first. */
    readonly nodes: readonly string[],
    /** How long bootstrapping and joining took. */
    readonly startupMs: number,
  ) {}

  static async start(): Promise<GaleraCluster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-galera-'));
    const started = Date.now();
    try {
      const { stdout } = await run(SCRIPT, ['start', dir, '--owner-pid', String(process.pid)], { timeout: 120_000 });
      const nodes = stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[1]);
      return new GaleraCluster(dir, nodes, Date.now() - started);
    } catch (error) {
      // The script has printed each node's last log lines; the folder goes, as on success.
      const e = error as { stderr?: string; message: string };
      await run(SCRIPT, ['stop', dir]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`The Galera cluster did not start:\n${e.stderr ?? e.message}`, { cause: error });
    }
  }

  /** The URL of `database` on node `n` (1-based). */
  databaseUrl(n: number, database: string): string {
    const url = new URL(this.nodes[n - 1]);
    url.pathname = `/${database}`;
    return url.toString();
  }

  async conflicts(n: number): Promise<ConflictCounts> {
    const connection = await mysql.createConnection(this.nodes[n - 1]);
    try {
      const [rows] = await connection.query(
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_cert_failures', 'wsrep_local_bf_aborts')",
      );
      const value = (name: string) =>
        Number((rows as Array<{ Variable_name: string; Value: string }>).find((r) => r.Variable_name === name)?.Value ?? 0);
      return { certificationFailures: value('wsrep_local_cert_failures'), bruteForceAborts: value('wsrep_local_bf_aborts') };
    } finally {
      await connection.end();
    }
  }

  /** Conflicts on all nodes together. */
  async totalConflicts(): Promise<ConflictCounts> {
    const each = await Promise.all(this.nodes.map((_, i) => this.conflicts(i + 1)));
    return {
      certificationFailures: each.reduce((sum, c) => sum + c.certificationFailures, 0),
      bruteForceAborts: each.reduce((sum, c) => sum + c.bruteForceAborts, 0),
    };
  }

  /**
   * Stops every node and removes its folder. With `keepLogs` (a test failed), the nodes' logs are
   * first copied to a folder of their own, whose path is printed.
   */
  async stop({ keepLogs = false } = {}): Promise<void> {
    await run(SCRIPT, ['stop', this.dir], { timeout: 60_000 });
    if (keepLogs) {
      const kept = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-galera-logs-'));
      this.nodes.forEach((_, i) => {
        const log = path.join(this.dir, `node${i + 1}`, 'error.log');
        if (fs.existsSync(log)) fs.copyFileSync(log, path.join(kept, `node${i + 1}.log`));
      });
      process.stderr.write(`The Galera nodes' logs are in ${kept}\n`);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** How many transactions a gateway has run again after a conflict so far, or given up on (its metrics listener). */
export async function transactionRetries(metricsPort: number, outcome: 'retried' | 'gave_up' = 'retried'): Promise<number> {
  const response = await request(`http://127.0.0.1:${metricsPort}/metrics`);
  const text = await response.body.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('gateway_db_transaction_retries_total{') && line.includes(`outcome="${outcome}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
