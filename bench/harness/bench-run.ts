// One run of the bench: a seeded folder (PKI, demo contract, database), the production gateway
// started when a case first needs it, and what several cases share, measured once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { demoCredentialsFile, demoPaths, type DemoCredentials, type DemoCredentialsFile } from '../../src/demo/demo-data';
import { Gateway } from '../../src/gateway';
import { load, negotiated, WHOAMI, type ClientTls, type Result } from './load';
import { benchConfig, pin, ServerProcess, tlsMaterial } from './servers';

/** The baselines of the ratios, each measured alone on CPU 0 with user01's certificate and whoami. */
export interface Baselines {
  https: Result;
  apollo: Result;
  /** The same schema run by graphql-js as the gateway runs it: the strongest fair baseline. */
  graphqlJs: Result;
  /** The former baseline (Apollo on express): a reference line, not a denominator. */
  apolloExpress: Result;
  /** TLS version and cipher every server agreed on with the bench's client. */
  tls: string;
  rounds: number;
}

export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

/** The measurement with the median throughput. */
export const median = (results: Result[]): Result => [...results].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(results.length / 2)];

export type DemoLoginId = 'operator01' | 'admin01' | 'user01' | 'user02';

export class BenchRun {
  private gatewayProcess: Promise<ServerProcess> | null = null;
  private readonly memos = new Map<string, Promise<unknown>>();

  private constructor(
    readonly dir: string,
    /** The database engine: sqlite or mysql. */
    readonly kind: string,
    /** Servers on CPU 0, the load generator (this process) on CPU 1. */
    readonly pinned: boolean,
    /** The machine's 1-minute load average when the run began: on a shared machine, how much else ran. */
    readonly loadAtStart = os.loadavg()[0],
  ) {}

  /**
   * The development start creates the PKI and the demo contract; the bench then runs the gateway
   * as production does (named CA and server files, no demo seeding, production GraphQL rules).
   */
  static async prepare(): Promise<BenchRun> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-bench-'));
    const seeding = await Gateway.start({ config: benchConfig(dir, false), logger: pino({ level: 'silent' }) });
    const kind = seeding.services.config.database.kind;
    await seeding.stop();
    return new BenchRun(dir, kind, pin(process.pid, 1));
  }

  get certsDir(): string {
    return path.join(this.dir, 'certs');
  }

  /** A demo identity's certificate and key, with the bank CA. */
  identity(loginId: DemoLoginId): ClientTls {
    const files = demoPaths(this.certsDir, loginId);
    return { ca: tlsMaterial(this.dir).ca, cert: fs.readFileSync(files.certificate), key: fs.readFileSync(files.privateKey) };
  }

  credentials(loginId: DemoLoginId): DemoCredentials {
    const all: DemoCredentialsFile = JSON.parse(fs.readFileSync(demoCredentialsFile(this.certsDir), 'utf8'));
    return all[loginId];
  }

  /** user01's certificate: the caller of the whole-request cases. */
  get tls(): ClientTls {
    return this.identity('user01');
  }

  /** The gateway in production mode, on CPU 0; started on first use, kept until stopGateway(). */
  gateway(): Promise<ServerProcess> {
    this.gatewayProcess ??= ServerProcess.start('gateway', this.dir);
    return this.gatewayProcess;
  }

  async stopGateway(): Promise<void> {
    const running = this.gatewayProcess;
    this.gatewayProcess = null;
    if (running) await (await running).stop();
  }

  /** `measure` once per run: later cases asking for `key` get the first answer. */
  once<T>(key: string, measure: () => Promise<T>): Promise<T> {
    if (!this.memos.has(key)) this.memos.set(key, measure());
    return this.memos.get(key) as Promise<T>;
  }

  /**
   * The denominators of the ratios and what they divide — user01's whoami on the bare https
   * server, on bare Apollo, on bare graphql-js, on the former express baseline and on the gateway — measured in
   * BENCH_ROUNDS interleaved rounds (each server idle on CPU 0 while another is measured), each
   * the round with the median throughput: on a shared machine load comes and goes, and
   * interleaving lets it fall on all four alike.
   */
  baselines(): Promise<Baselines> {
    return this.once('baselines', async () => {
      const gateway = await this.gateway();
      const servers: Array<{ name: string; origin: string; stop?: () => Promise<void> }> = [];
      try {
        for (const [kind, name] of [
          ['https', 'https (bare mTLS server)'],
          ['apollo', 'apollo (bare Apollo, gateway HTTP)'],
          ['graphql-js', 'graphql-js (bare, gateway HTTP)'],
          ['apollo-express', 'apollo on express (former baseline)'],
        ] as const) {
          const server = await ServerProcess.start(kind, this.dir);
          servers.push({ name, origin: server.origin, stop: () => server.stop() });
        }
        servers.push({ name: 'whoami (identity per request)', origin: gateway.origin });
        const agreed = new Set(await Promise.all(servers.map((server) => negotiated(server.origin, this.tls))));
        if (agreed.size !== 1) throw new Error(`bench: the servers negotiated different TLS: ${[...agreed].join(', ')}`);
        const rounds: Result[][] = servers.map(() => []);
        for (let round = 0; round < ROUNDS; round++) {
          for (const [i, server] of servers.entries()) rounds[i].push(await load(server.name, server.origin, this.tls, WHOAMI));
        }
        const [https, apollo, graphqlJs, apolloExpress, whoami] = rounds.map(median);
        this.memos.set('whoami', Promise.resolve(whoami));
        return { https, apollo, graphqlJs, apolloExpress, tls: [...agreed][0], rounds: ROUNDS };
      } finally {
        for (const server of servers) await server.stop?.();
      }
    });
  }

  /** user01's whoami on the gateway (from the baselines' rounds when they ran): what the other cases are held against. */
  whoamiAlone(): Promise<Result> {
    return this.once('whoami', async () => load('whoami (identity per request)', (await this.gateway()).origin, this.tls, WHOAMI));
  }

  async close(): Promise<void> {
    await this.stopGateway();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
