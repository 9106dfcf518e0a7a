import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { FRAUD_CONTROLS_OFF, type TestGateway } from './gateway';
import { spawnOwned } from './owned-children';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface GatewayProcessOptions {
  /**
   * NODE_ENV of the process (default `test`). `production` and `development` run it as it runs
   * for real (Apollo's and Node's behaviour differ by NODE_ENV); `production` is given the peer's
   * PKI files as the bank's configured CA and server certificate.
   */
  mode?: 'test' | 'development' | 'production';
  /** More environment, overriding the defaults. */
  env?: Record<string, string>;
  /** The built entry point to run (default dist/src/main.js) and flags for node before it. */
  main?: string;
  nodeArgs?: string[];
  /** How long it may take to say "gateway started" (default START_BUDGET_MS). */
  startWithinMs?: number;
}

/**
 * How long a gateway process may take to say "gateway started" (building the schema, migrations,
 * the hashing threads): room for a slow machine whose cores are busy with other tests — under a
 * load average of 17 on two cores, a WORKERS=2 gateway took more than 30 s. It only bounds how
 * long a process that will never start is waited for.
 */
const START_BUDGET_MS = 90_000;

/** How a concurrency spec spreads its requests over gateway processes on one database. */
export interface Topology {
  name: string;
  /** WORKERS of the second gateway: 1 sends half the requests to each of two processes, N all to the N workers of one. */
  workers: number;
}

export const TOPOLOGIES: Topology[] = [
  { name: 'across two gateway processes', workers: 1 },
  { name: 'across the two workers of one gateway (WORKERS=2)', workers: 2 },
];

export interface LogEntry {
  msg: string;
  [key: string]: unknown;
}

/**
 * A second gateway as a separate OS process (the built dist/src/main.js, as `npm start` runs
 * it) on the same database and PKI as an in-process test gateway.
 */
export class GatewayProcess {
  /** Every JSON log line the process has written so far. */
  readonly logs: LogEntry[] = [];
  /** Who waits for how many entries with a message (`nextLog`, `logged`). */
  private readonly waiters: Array<{ msg: string; count: number; resolve: (entries: LogEntry[]) => void }> = [];
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  apiPort = 0;
  enrollPort = 0;
  metricsPort = 0;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as LogEntry;
      this.logs.push(entry);
      for (const waiter of this.waiters.filter((w) => w.msg === entry.msg)) {
        const entries = this.entries(waiter.msg);
        if (entries.length < waiter.count) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(entries);
      }
    });
  }

  get apiOrigin(): string {
    return `https://localhost:${this.apiPort}`;
  }

  get enrollOrigin(): string {
    return `https://localhost:${this.enrollPort}`;
  }

  static async start(peer: TestGateway, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
    const main = options.main ?? MAIN;
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` (npm test does it)`);
    const mode = options.mode ?? 'test';
    const certsDir = peer.config.pki.certsDir;
    const bankPki =
      mode === 'production'
        ? {
            CA_CERT_PATH: path.join(certsDir, 'ca.pem'),
            CA_KEY_PATH: path.join(certsDir, 'ca.key.pem'),
            SERVER_CERT_PATH: path.join(certsDir, 'server.crt.pem'),
            SERVER_KEY_PATH: path.join(certsDir, 'server.key.pem'),
          }
        : {};
    // The process shares the test's clock: a test that moved its gateway's clock to a business
    // morning (helpers/banking.ts atBusinessMorning) has both gateways on that morning.
    const clock = mode === 'production' ? {} : { TEST_CLOCK_OFFSET_MS: String(peer.clock.offsetMs) };
    const child = spawnOwned(process.execPath, [...(options.nodeArgs ?? []), main], {
      env: {
        ...process.env,
        NODE_ENV: mode,
        API_PORT: '0',
        ENROLL_PORT: '0',
        METRICS_PORT: '0',
        CERTS_DIR: certsDir,
        // One bank: the peer's audit key and archive folder.
        AUDIT_CHAIN_KEY_PATH: peer.config.audit.chainKeyPath,
        AUDIT_ARCHIVE_DIR: peer.config.audit.archiveDir,
        DATABASE_URL: peer.databaseUrl,
        LOG_LEVEL: 'info',
        // Hashing at the requests' own priority: on a machine busy with other work at nice 0, threads at
        // nice 10 get a tenth of a core and every password check slows tenfold. The niceness itself is
        // test/unit/password-hasher.spec.ts's to prove.
        PASSWORD_HASH_NICE: '0',
        // 取引認証 only where a spec asks for it (the passkey specs): every other spec approves without a passkey
        // whatever its amounts, as it did before passkeys (test/browser/passkeys.browser-spec.ts, docs/passkeys.md).
        PASSKEY_APPROVAL_REQUIRED_FROM: 'none',
        ...FRAUD_CONTROLS_OFF,
        ...clock,
        ...bankPki,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
      // A gateway whose test (or jest) died is killed by the kernel at once.
      onParentDeath: 'SIGKILL',
    });
    const gatewayProcess = new GatewayProcess(child);
    const budgetMs = options.startWithinMs ?? START_BUDGET_MS;
    let timer: NodeJS.Timeout | undefined;
    const started = await Promise.race([
      gatewayProcess.nextLog('gateway started'),
      gatewayProcess.exited.then((code) => Promise.reject(new Error(`the gateway process exited with ${code} before it started`))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the gateway process did not start within ${budgetMs / 1000} s`)), budgetMs);
      }),
    ])
      .catch(async (error: unknown) => {
        // Not started in time, or gone: it must not outlive this failure (nor keep jest from exiting).
        await gatewayProcess.kill();
        throw error;
      })
      .finally(() => clearTimeout(timer));
    gatewayProcess.apiPort = started.apiPort as number;
    gatewayProcess.enrollPort = started.enrollPort as number;
    gatewayProcess.metricsPort = started.metricsPort as number;
    return gatewayProcess;
  }

  private entries(msg: string): LogEntry[] {
    return this.logs.filter((entry) => entry.msg === msg);
  }

  /** The first log entry with this message (already written, or the next one to come). */
  async nextLog(msg: string): Promise<LogEntry> {
    return (await this.logged(msg, 1))[0];
  }

  /** Resolves once `count` entries with this message have been written (one per cluster worker, say). */
  logged(msg: string, count: number): Promise<LogEntry[]> {
    const entries = this.entries(msg);
    if (entries.length >= count) return Promise.resolve(entries);
    return new Promise((resolve) => this.waiters.push({ msg, count, resolve }));
  }

  /** The API origins a topology's clients take turns on: the in-process gateway and this one, or this cluster alone. */
  originsFor(peer: TestGateway, topology: Topology): string[] {
    return topology.workers > 1 ? [this.apiOrigin] : [peer.apiOrigin, this.apiOrigin];
  }

  /**
   * The cluster workers whose access log shows a request, once `expected` of them have (the log is
   * buffered for up to 200 ms), or those seen after 10 s.
   */
  async workersThatServed(expected: number): Promise<number[]> {
    const served = () => [...new Set(this.entries('request').map((entry) => entry.worker as number))].sort();
    const deadline = Date.now() + 10_000;
    while (served().length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return served();
  }

  /** Whether the process has not exited yet. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal, as a process manager (SIGTERM) or Ctrl-C (SIGINT) would. */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, as a process manager would send it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Ends the process with a signal (SIGKILL: a crash with work in flight, or test clean-up); resolves once it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }
}
