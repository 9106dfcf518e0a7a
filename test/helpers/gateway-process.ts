import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { TestGateway } from './gateway';

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
}

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
  private readonly waiters: Array<{ msg: string; resolve: (entry: LogEntry) => void }> = [];
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
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
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
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
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
        ...bankPki,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const gatewayProcess = new GatewayProcess(child);
    const started = await new Promise<LogEntry>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the gateway process did not start within 30 s')), 30_000);
      gatewayProcess.exited.then((code) => reject(new Error(`the gateway process exited with ${code}`)));
      gatewayProcess.nextLog('gateway started').then((entry) => {
        clearTimeout(timer);
        resolve(entry);
      });
    });
    gatewayProcess.apiPort = started.apiPort as number;
    gatewayProcess.enrollPort = started.enrollPort as number;
    gatewayProcess.metricsPort = started.metricsPort as number;
    return gatewayProcess;
  }

  /** The first log entry with this message (already written, or the next one to come). */
  nextLog(msg: string): Promise<LogEntry> {
    const seen = this.logs.find((entry) => entry.msg === msg);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ msg, resolve }));
  }

  /** Resolves once `count` entries with this message have been written (one per cluster worker, say). */
  async logged(msg: string, count: number): Promise<LogEntry[]> {
    for (;;) {
      const entries = this.logs.filter((entry) => entry.msg === msg);
      if (entries.length >= count) return entries;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The API origins a topology's clients take turns on: the in-process gateway and this one, or this cluster alone. */
  originsFor(peer: TestGateway, topology: Topology): string[] {
    return topology.workers > 1 ? [this.apiOrigin] : [peer.apiOrigin, this.apiOrigin];
  }

  /** The cluster workers whose access log shows a request (the log is buffered for up to 200 ms). */
  async workersThatServed(): Promise<number[]> {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const workers = this.logs.filter((entry) => entry.msg === 'request').map((entry) => entry.worker as number);
    return [...new Set(workers)].sort();
  }

  /** Sends a signal, as a process manager (SIGTERM) or Ctrl-C (SIGINT) would. */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, as a process manager would send it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Ends the process with a signal (SIGKILL: a crash with work in flight, or test clean-up); resolves once it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
}
