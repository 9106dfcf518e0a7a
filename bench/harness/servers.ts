// The servers under test, each in a child process of its own pinned to CPU 0 (the load generator
// runs on CPU 1), started and stopped from the bench and driven by commands over IPC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../src/common/project-root';
import { loadConfig, type GatewayConfig } from '../../src/config';

/**
 * What a bench server is: the baselines (bare https; bare Apollo and bare graphql-js, each served
 * as the gateway serves GraphQL), the former Apollo-on-express baseline, the gateway, and the gateway whose DataLoaders
 * fetch each row on its own.
 */
export type ServerKind = 'https' | 'apollo' | 'graphql-js' | 'apollo-express' | 'gateway' | 'gateway-unbatched';

/** What a gateway server does when asked (serve.ts implements each), with a number where one is needed. */
export type Command =
  | 'bulk'
  | 'unlimitTransfers'
  | 'requireApproval'
  | 'statements'
  | 'rawVerifies'
  | 'cpu'
  | 'eventLoopStart'
  | 'eventLoopStop'
  | 'profileStart'
  | 'profileStop'
  | 'users'
  | 'auditEvents'
  | 'statementLines'
  | 'stormUsers';

/** The TLS material of the server side, the gateway's own: every server of the bench presents it. */
export interface TlsMaterial {
  key: string;
  cert: string;
  ca: string;
}

export function tlsMaterial(dir: string): TlsMaterial {
  const read = (file: string) => fs.readFileSync(path.join(dir, 'certs', file), 'utf8');
  return { key: read('server.key.pem'), cert: read('server.crt.pem'), ca: read('ca.pem') };
}

/**
 * The Node.js flags `npm start` runs the gateway with (package.json), given to every server of
 * the bench alike, as NODE_ENV=production is: the gateway is measured as it runs in production,
 * and the baselines get the same runtime.
 */
export const NODE_FLAGS: readonly string[] = (() => {
  const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot(__dirname), 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [command, ...words] = packageJson.scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`bench: npm start runs ${command}, not node`);
  return words.filter((word) => word.startsWith('--'));
})();

/** Pins a process (all its threads) to one CPU (-1: all of them again); without taskset or a second CPU, it runs unpinned. */
export function pin(pid: number, cpu: number): boolean {
  if (os.cpus().length < 2) return false;
  try {
    const cpus = cpu < 0 ? `0-${os.cpus().length - 1}` : String(cpu);
    execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The gateway's environment in the bench: production settings after a development start has seeded the data. */
function benchEnv(dir: string, production: boolean): Record<string, string> {
  const certsDir = path.join(dir, 'certs');
  return {
    NODE_ENV: production ? 'production' : 'development',
    API_PORT: '0',
    ENROLL_PORT: '0',
    METRICS_PORT: '0',
    CERTS_DIR: certsDir,
    ...(production
      ? {
          CA_CERT_PATH: path.join(certsDir, 'ca.pem'),
          CA_KEY_PATH: path.join(certsDir, 'ca.key.pem'),
          SERVER_CERT_PATH: path.join(certsDir, 'server.crt.pem'),
          SERVER_KEY_PATH: path.join(certsDir, 'server.key.pem'),
          AUDIT_CHAIN_KEY_PATH: path.join(certsDir, 'audit-chain.key'),
        }
      : {}),
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`,
    LOG_LEVEL: 'info',
    // Transfers run when made, whatever the hour the bench runs at (after 15:00 they would wait for the next business day).
    TRANSFER_CUTOFF: 'none',
    // The fraud controls (holds, the new contract's lower limits) are for the bank's customers, not
    // for a bench whose demo contract is new and pays new payees ten thousand times (as in the specs).
    NEW_PAYEE_HOLD_HOURS: '0',
    INITIAL_PERIOD_DAYS: '0',
    VELOCITY_WINDOW_MINUTES: '0',
    LIMIT_RAISE_DELAY_HOURS: '0',
    // Approvals without a passkey (取引認証): the bench approves a bulk transfer as the specs do.
    PASSKEY_APPROVAL_REQUIRED_FROM: 'none',
    SCHEDULER_INTERVAL_SECONDS: '0',
  };
}

export const benchConfig = (dir: string, production: boolean): GatewayConfig => loadConfig(benchEnv(dir, production));

/** A server under test in its own process (serve.ts): it reports its port, then answers commands. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
  ) {}

  static async start(kind: ServerKind, dir: string): Promise<ServerProcess> {
    // Its log (the access log included, as in production) goes nowhere, at the cost of writing it.
    // NODE_ENV=production as `npm start` runs in production, for every server alike: graphql-js,
    // Apollo and express check it when they load (graphql-js skips its development-only checks).
    const child = fork(path.join(__dirname, 'serve.js'), [kind, dir], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: [...NODE_FLAGS],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    pin(child.pid!, 0);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: { port: number }) => resolve(message.port));
      child.once('exit', (code) => reject(new Error(`bench server ${kind} exited with ${code}`)));
    });
    return new ServerProcess(child, `https://localhost:${port}`);
  }

  call<T>(command: Command, arg?: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const died = (code: number | null) => reject(new Error(`the bench server exited with ${code} during ${command}`));
      this.child.once('exit', died);
      this.child.once('message', (message: { result: T }) => {
        this.child.off('exit', died);
        resolve(message.result);
      });
      this.child.send({ command, arg });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    await exited;
  }
}

/** `npm start`'s entry point as a process of its own with WORKERS=n (unpinned: a cluster is for several cores). */
export async function startMain(dir: string, workers: number): Promise<{ origin: string; pid: number; stop: () => Promise<void> }> {
  const main = path.join(__dirname, '..', '..', 'src', 'main.js');
  const child = spawn(process.execPath, [...NODE_FLAGS, main], {
    env: { ...process.env, ...benchEnv(dir, true), WORKERS: String(workers) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the gateway (WORKERS=${workers}) exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"gateway started"')) resolve(JSON.parse(line).apiPort);
    });
  });
  return {
    origin: `https://localhost:${port}`,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU time (user + system, ms) of a process and its children so far (Linux /proc; a cluster's primary and workers). */
export function processTreeCpuMs(pid: number): number {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)])
      .toString()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  return [pid, ...children].reduce((sum, p) => {
    const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return sum + ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  }, 0);
}
