// npm run bench — throughput and latency of the gateway's hot paths, each as a ratio against
// baselines measured in the same run (absolute numbers depend on the machine; ratios travel).
// Every server runs in a child process pinned to CPU 0, the load generator in this process on
// CPU 1 (taskset), so neither steals the other's core.
//
//   https     a bare Node https server with the gateway's TLS material and requestCert (fixed JSON)
//   apollo    a bare Apollo Server 5 + type-graphql schema (constant whoami) on express 5, same TLS
//   whoami    the gateway in production mode: certificate → identity lookup in the database + GraphQL
//   me        the same plus the PIN-session lookup; accounts: plus permissions and a real read
//   login     argon2id verification of the PIN (bounded concurrency) + session creation
//   transfer  createTransfer: confirmation password, limits, balance, statement, audit
//   bulk      a 10,000-line Zengin 総合振込 file (BENCH_BULK_LINES): imported by one user, approved by
//             another and executed in the approval's transaction — wall time and SQL statements per line
//   also      new connections with full and resumed TLS handshakes (gateway CPU per connection), lists
//             against a no-DataLoader variant, a login storm (alone and beside other traffic), the
//             worst allowed requests beside other traffic, data scale, and WORKERS=2
// Results go to bench/results/<date>.json as well as to the console.
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import crypto from 'node:crypto';
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import pino from 'pino';
import { MoreThan } from 'typeorm';
import { verify as argon2Verify } from '@node-rs/argon2';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Pool } from 'undici';
import { AccountType } from '../src/banking/accounts/account.entity';
import { writeZenginTransferFile } from '../src/banking/zengin';
import { createLogger } from '../src/common/logger';
import { AuditAction } from '../src/audit/audit-action';
import { AuditEvent, AuditOutcome } from '../src/audit/audit-event.entity';
import { Contract } from '../src/contract/contract.entity';
import { Role, User } from '../src/users/user.entity';
import { newUserRecord } from '../src/users/user.factory';
import { Certificate, CertificateStatus } from '../src/pki/certificate.entity';
import { loadConfig } from '../src/config';
import { demoCredentialsFile, demoPaths, type DemoCredentialsFile } from '../src/demo/demo-data';
import { Gateway } from '../src/gateway';
import { startBareApollo, startBareApolloDirect, startBareHttps, type TlsMaterial } from './bench-baselines';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BULK_LINES = Number(process.env.BENCH_BULK_LINES ?? 10_000);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 10;
/** Clients opening a new connection for each request at once. */
const NEW_CONNECTION_CONCURRENCY = 8;
const PASSWORD_CONNECTIONS = 4;
const SCALE_USERS = Number(process.env.BENCH_SCALE_USERS ?? 100_000);
const STORM_USERS = Number(process.env.BENCH_STORM_USERS ?? 200);

interface Result {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(
  name: string,
  origin: string,
  tls: object,
  body: () => string,
  headers: Record<string, string> = {},
  connections = CONNECTIONS,
): Promise<Result> {
  const pool = new Pool(origin, { connections, pipelining: 1, connect: { ...tls, servername: 'localhost' } });
  const result = await timed(name, connections, async () => {
    const response = await pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body(),
    });
    const text = await response.body.text();
    return response.statusCode === 200 && !text.includes('"errors"');
  });
  await pool.close();
  return result;
}

/**
 * `concurrency` loops of `once` (which says whether its answer was right): the first
 * WARMUP_SECONDS warm the JIT and the connections up and are not counted, then SECONDS are.
 */
async function timed(name: string, concurrency: number, once: () => Promise<boolean>): Promise<Result> {
  let latencies: number[] = [];
  let errors = 0;
  const warm = Date.now() + WARMUP_SECONDS * 1000;
  const end = warm + SECONDS * 1000;
  let startedAt = 0;
  const worker = async () => {
    while (Date.now() < end) {
      if (!startedAt && Date.now() >= warm) {
        startedAt = Date.now();
        latencies = [];
        errors = 0;
      }
      const started = process.hrtime.bigint();
      if (!(await once())) errors++;
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (Date.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
    errors,
  };
}

/**
 * A TLS handshake for every request: whoami on a new connection, as a client that does not keep
 * connections alive — NEW_CONNECTION_CONCURRENCY at a time. A full handshake each time (agent:
 * false), or with `resume` a TLS 1.3 resumption of the client's previous session (an agent
 * caching session tickets; Result.resumed counts the connections that did resume). The answer
 * must name `loginId`: the identity must hold on a resumed session too.
 */
async function loadNewConnections(
  name: string,
  origin: string,
  tls: { ca: string; cert: string | Buffer; key: string | Buffer },
  { loginId, resume = false, server }: { loginId?: string; resume?: boolean; server?: ServerProcess } = {},
): Promise<Result & { resumedShare: number; cpuMsPerConnection: number | null }> {
  const { port } = new URL(origin);
  const body = JSON.stringify({ query: '{ whoami { loginId } }' });
  const agent = resume ? new https.Agent({ keepAlive: false, maxCachedSessions: 100 }) : false;
  let resumed = 0;
  let answered = 0;
  const once = () =>
    new Promise<boolean>((resolve) => {
      const request = https.request(
        { host: 'localhost', port, path: '/graphql', method: 'POST', agent, ...tls, headers: { 'content-type': 'application/json' } },
        (response) => {
          answered++;
          if ((response.socket as import('node:tls').TLSSocket).isSessionReused()) resumed++;
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () =>
            resolve(
              response.statusCode === 200 && text.includes(loginId ? `"loginId":"${loginId}"` : '"whoami"') && !text.includes('"errors"'),
            ),
          );
        },
      );
      request.on('error', () => resolve(false));
      request.end(body);
    });
  const cpuBefore = await server?.call<number>('cpu');
  const result = await timed(name, NEW_CONNECTION_CONCURRENCY, once);
  const cpuMs = server && (await server.call<number>('cpu')) - cpuBefore!;
  if (agent) agent.destroy();
  return { ...result, resumedShare: resumed / answered, cpuMsPerConnection: cpuMs === undefined ? null : cpuMs / answered };
}

/** One GraphQL request on a pool; the parsed body. */
async function post(pool: Pool, body: unknown, token?: string): Promise<{ data?: any; errors?: unknown[] }> {
  const response = await pool.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return JSON.parse(await response.body.text());
}

interface BulkResult {
  id: number;
  lines: number;
  fileBytes: number;
  bodyBytes: number;
  importMs: number;
  importStatements: number;
  approveMs: number;
  approveStatements: number;
}

/** A bulk transfer of `count` lines to banks of the Zengin directory, from the demo account, for today (Tokyo). */
function bulkFile(count: number): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the directory is data, loaded on demand like the gateway does
  const banks = require('zengin-code') as Record<string, { branches: Record<string, unknown> }>;
  const destinations = Object.entries(banks)
    .flatMap(([bankCode, bank]) => Object.keys(bank.branches).map((branchCode) => ({ bankCode, branchCode })))
    .slice(0, 500);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
  return writeZenginTransferFile({
    header: {
      requesterCode: '1234567890',
      requesterName: 'ｶ)ﾃﾞﾓ ｺ-ﾎﾟﾚ-ｼﾖﾝ',
      transferDate: today.slice(5, 7) + today.slice(8, 10),
      bankCode: '0009',
      branchCode: '123',
      accountType: AccountType.ORDINARY,
      accountNumber: '1234567',
    },
    lines: Array.from({ length: count }, (_, i) => ({
      ...destinations[i % destinations.length],
      accountType: AccountType.ORDINARY,
      accountNumber: String(1_000_000 + i),
      payeeName: `ｷﾕｳﾖ ﾌﾘｺﾐ ${String(i + 1).padStart(5, '0')}`,
      amount: 1_000 + (i % 1000),
    })),
  });
}

/** Import (user01) and approval with execution (user02) of one bulk transfer, each timed and its SQL statements counted. */
async function bulkTransferCase(gateway: Gateway, origin: string, ca: string): Promise<BulkResult> {
  const { config, db } = gateway.services;
  await db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: true }));
  const session = async (loginId: 'user01' | 'user02') => {
    const files = demoPaths(config.pki.certsDir, loginId);
    const pool = new Pool(origin, {
      connect: { ca, cert: fs.readFileSync(files.certificate), key: fs.readFileSync(files.privateKey), servername: 'localhost' },
    });
    const creds = demoCredentials(config.pki.certsDir)[loginId];
    const login = await post(pool, {
      query: 'mutation($pin: String!) { login(pin: $pin) { token } }',
      variables: { pin: creds.loginPassword },
    });
    return {
      pool,
      token: login.data.login.token as string,
      confirmationPassword: creds.confirmationPassword,
    };
  };
  const maker = await session('user01');
  const approver = await session('user02');
  const file = bulkFile(BULK_LINES);
  const body = {
    query:
      'mutation($f: String!, $pw: String!) { importBulkTransfer(fileBase64: $f, fromAccountId: 1, confirmationPassword: $pw) { id status lineCount } }',
    variables: { f: file.toString('base64'), pw: maker.confirmationPassword },
  };
  const timed = async (run: () => Promise<{ data?: any; errors?: unknown[] }>) => {
    const statements = db.queryCounter.count;
    const started = process.hrtime.bigint();
    const result = await run();
    if (result.errors) throw new Error(`bulk transfer bench: ${JSON.stringify(result.errors).slice(0, 500)}`);
    return { result, ms: Number(process.hrtime.bigint() - started) / 1e6, statements: db.queryCounter.count - statements };
  };
  const imported = await timed(() => post(maker.pool, body, maker.token));
  const id = imported.result.data.importBulkTransfer.id;
  const approved = await timed(() =>
    post(
      approver.pool,
      {
        query: 'mutation($id: Int!, $pw: String!) { approveBulkTransfer(bulkTransferId: $id, confirmationPassword: $pw) { status } }',
        variables: { id, pw: approver.confirmationPassword },
      },
      approver.token,
    ),
  );
  if (approved.result.data.approveBulkTransfer.status !== 'EXECUTED') throw new Error('bulk transfer bench: not executed');
  await Promise.all([maker.pool.close(), approver.pool.close()]);
  return {
    id,
    lines: BULK_LINES,
    fileBytes: file.length,
    bodyBytes: Buffer.byteLength(JSON.stringify(body)),
    importMs: imported.ms,
    importStatements: imported.statements,
    approveMs: approved.ms,
    approveStatements: approved.statements,
  };
}

const demoCredentials = (certsDir: string): DemoCredentialsFile => JSON.parse(fs.readFileSync(demoCredentialsFile(certsDir), 'utf8'));

type ServerKind = 'https' | 'apollo' | 'apollo-direct' | 'gateway' | 'gateway-unbatched';
type Command =
  | 'bulk'
  | 'unlimitTransfers'
  | 'statements'
  | 'rawVerifies'
  | 'cpu'
  | 'eventLoopStart'
  | 'eventLoopStop'
  | 'stop'
  | { users: number }
  | { auditEvents: number }
  | { stormUsers: number };

/** Pins a process (all its threads) to one CPU (-1: all of them again); without taskset or a second CPU, it runs unpinned. */
function pin(pid: number, cpu: number): boolean {
  if (os.cpus().length < 2) return false;
  try {
    const cpus = cpu < 0 ? `0-${os.cpus().length - 1}` : String(cpu);
    execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A server under test in its own process: it reports its port, then answers commands. */
class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
  ) {}

  static async start(kind: ServerKind, dir: string): Promise<ServerProcess> {
    // Its log (the access log included, as in production) goes nowhere, at the cost of writing it.
    const child = fork(__filename, ['serve', kind, dir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    pin(child.pid!, 0);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: { port: number }) => resolve(message.port));
      child.once('exit', (code) => reject(new Error(`bench server ${kind} exited with ${code}`)));
    });
    return new ServerProcess(child, `https://localhost:${port}`);
  }

  call<T>(command: Command): Promise<T> {
    return new Promise((resolve, reject) => {
      const died = (code: number | null) => reject(new Error(`the bench server exited with ${code} during ${JSON.stringify(command)}`));
      this.child.once('exit', died);
      this.child.once('message', (message: { result: T }) => {
        this.child.off('exit', died);
        resolve(message.result);
      });
      this.child.send(command);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    await exited;
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
        }
      : {}),
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`,
    LOG_LEVEL: 'info',
    // Transfers run when made, whatever the hour the bench runs at (after 15:00 they would wait for the next business day).
    TRANSFER_CUTOFF: 'none',
    SCHEDULER_INTERVAL_SECONDS: '0',
  };
}

const benchConfig = (dir: string, production: boolean) => loadConfig(benchEnv(dir, production));

/** `npm start`'s entry point as a process of its own with WORKERS=n (unpinned: a cluster is for several cores). */
async function startMain(dir: string, workers: number): Promise<{ origin: string; pid: number; stop: () => Promise<void> }> {
  const main = path.join(__dirname, '..', 'src', 'main.js');
  const child = spawn(process.execPath, [main], {
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
function processTreeCpuMs(pid: number): number {
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

function tlsMaterial(dir: string): TlsMaterial {
  const read = (file: string) => fs.readFileSync(path.join(dir, 'certs', file), 'utf8');
  return { key: read('server.key.pem'), cert: read('server.crt.pem'), ca: read('ca.pem') };
}

/** The child's side: start one server and serve the parent's commands until told to stop. */
let eventLoop: IntervalHistogram | null = null;

async function serve(kind: ServerKind, dir: string): Promise<void> {
  const reply = (message: unknown) => void process.send!(message);
  process.on('disconnect', () => process.exit(1)); // the bench itself is gone (failed): so is its server
  if (kind === 'gateway-unbatched') loadOneByOne();
  if (!kind.startsWith('gateway')) {
    process.on('message', () => process.exit(0)); // a baseline only ever hears 'stop'
    const start = { https: startBareHttps, apollo: startBareApollo, 'apollo-direct': startBareApolloDirect }[kind as 'https'];
    return reply({ port: await start(tlsMaterial(dir)) });
  }
  const gateway = await Gateway.start({ config: benchConfig(dir, true), logger: createLogger('info') });
  const origin = `https://localhost:${gateway.apiPort}`;
  process.on('message', async (command: Command) => {
    if (typeof command === 'object' && 'users' in command) return reply({ result: await growUsers(gateway, command.users) });
    if (typeof command === 'object' && 'auditEvents' in command) return reply({ result: await growAuditLog(gateway, command.auditEvents) });
    if (typeof command === 'object') return reply({ result: await stormUsers(gateway, command.stormUsers) });
    if (command === 'rawVerifies') reply({ result: await rawVerifiesPerSecond(gateway) });
    if (command === 'eventLoopStart') {
      eventLoop = monitorEventLoopDelay({ resolution: 5 });
      eventLoop.enable();
      reply({ result: true });
    }
    if (command === 'eventLoopStop') {
      eventLoop!.disable();
      reply({ result: eventLoop!.percentile(99) / 1e6 });
    }
    if (command === 'stop') {
      await gateway.stop();
      process.exit(0);
    }
    if (command === 'bulk') reply({ result: await bulkTransferCase(gateway, origin, gateway.services.pki.caCertificatePem) });
    if (command === 'cpu') {
      const { user, system } = process.cpuUsage();
      reply({ result: (user + system) / 1000 });
    }
    if (command === 'statements') reply({ result: gateway.services.db.queryCounter.count });
    if (command === 'unlimitTransfers') {
      // Transfers execute at once here, with limits high enough never to stop them.
      await gateway.services.db.transaction(async (m) => {
        await m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false, dailyTransferLimit: 9_000_000_000_000 });
        await m.update(User, { loginId: 'user01' }, { dailyTransferLimit: 9_000_000_000_000 });
      });
      reply({ result: true });
    }
  });
  reply({ port: gateway.apiPort });
}

/**
 * Brings the number of users (each with an active certificate) up to `total`, for the data-scale
 * case: rows as the services write them, inserted in batches (hashes and fingerprints are filler,
 * no one logs in as these users).
 */
async function growUsers(gateway: Gateway, total: number): Promise<number> {
  const { db } = gateway.services;
  const contract = await db.manager.findOneByOrFail(Contract, { code: 'DEMO0001' });
  const now = new Date();
  const year = new Date(now.getTime() + 365 * 86_400_000);
  for (let have = await db.manager.count(User); have < total;) {
    const batch = Math.min(1_000, total - have);
    await db.transaction(async (m) => {
      const users = Array.from({ length: batch }, (_, i) =>
        newUserRecord(
          { loginId: `scale${have + i}`, displayName: `Scale ${have + i}`, role: Role.USER, contractId: contract.id },
          { loginPasswordHash: 'x', confirmationPasswordHash: 'x', temporary: false },
          now,
        ),
      );
      const before: number = (await m.createQueryBuilder(User, 'u').select('MAX(u.id)', 'max').getRawOne()).max;
      // Without reading the inserted rows back (TypeORM would, in one SELECT with a term per row).
      await m.createQueryBuilder().insert().into(User).values(users).updateEntity(false).execute();
      const inserted = await m.find(User, { select: { id: true }, where: { id: MoreThan(before) }, order: { id: 'ASC' } });
      const certificates = inserted.map(({ id: userId }) => ({
        userId,
        activeUserId: userId,
        fingerprint: crypto.randomBytes(32).toString('hex'),
        serialNumber: crypto.randomBytes(16).toString('hex').toUpperCase(),
        issuer: 'CN=Bench',
        subject: `CN=scale${userId}`,
        notBefore: now,
        notAfter: year,
        status: CertificateStatus.ACTIVE,
        revokedAt: null,
        revocationReason: null,
        createdAt: now,
      }));
      await m.createQueryBuilder().insert().into(Certificate).values(certificates).updateEntity(false).execute();
    });
    have += batch;
  }
  return db.manager.count(User);
}

/**
 * Brings the demo contract's audit log up to `total` events, for the worst-request case (filler
 * rows outside any hash chain: the export reads them all the same).
 */
async function growAuditLog(gateway: Gateway, total: number): Promise<number> {
  const { db } = gateway.services;
  const contract = await db.manager.findOneByOrFail(Contract, { code: 'DEMO0001' });
  for (let have = await db.manager.countBy(AuditEvent, { contractId: contract.id }); have < total;) {
    const batch = Math.min(1_000, total - have);
    const events = Array.from({ length: batch }, (_, i) => ({
      occurredAt: new Date(),
      action: AuditAction.LOGIN,
      outcome: AuditOutcome.SUCCESS,
      contractId: contract.id,
      actorUserId: 1,
      actorLoginId: 'user01',
      certificateFingerprint: crypto.randomBytes(32).toString('hex'),
      sourceAddress: '127.0.0.1',
      detail: JSON.stringify({ bench: have + i }),
    }));
    await db.manager.createQueryBuilder().insert().into(AuditEvent).values(events).updateEntity(false).execute();
    have += batch;
  }
  return db.manager.countBy(AuditEvent, { contractId: contract.id });
}

interface WorstRequestResult {
  name: string;
  /** The heavy request alone, on one connection: mean and worst of ten. */
  aloneMs: { mean: number; max: number };
  /** user01's whoami on 10 connections while one more connection repeats the heavy request. */
  whoamiDuring: Result;
}

/**
 * The heaviest requests the query limits and the API allow, each repeated on one connection while
 * user01 asks whoami on ten: what one request costs, and what it does to everyone else's p99.
 */
async function worstRequests(
  origin: string,
  whoamiTls: object,
  heavy: Array<{ name: string; tls: object; authorization: string; body: string }>,
): Promise<WorstRequestResult[]> {
  const out: WorstRequestResult[] = [];
  for (const request of heavy) {
    const pool = new Pool(origin, { connect: { ...request.tls, servername: 'localhost' } });
    const once = async () => {
      const response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: request.authorization },
        body: request.body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(`${request.name}: ${text.slice(0, 300)}`);
    };
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      await once();
      times.push(performance.now() - started);
    }
    let over = false;
    const repeating = (async () => {
      while (!over) await once();
    })();
    const whoamiDuring = await load(`whoami during ${request.name}`, origin, whoamiTls, () =>
      JSON.stringify({ query: '{ whoami { loginId } }' }),
    );
    over = true;
    await repeating;
    await pool.close();
    out.push({
      name: request.name,
      aloneMs: { mean: times.reduce((a, b) => a + b) / times.length, max: Math.max(...times) },
      whoamiDuring,
    });
  }
  return out;
}

/** A user of the login storm: an ECDSA P-256 certificate of the bank CA, and one PIN for all of them. */
interface StormUser {
  certificatePem: string;
  privateKeyPem: string;
}
const STORM_PIN = 'Storm-Pin-2026';

/** `count` users with certificates of their own, as enrollment would leave them (one hash computed, shared). */
async function stormUsers(gateway: Gateway, count: number): Promise<StormUser[]> {
  const { db, passwords, certificates, pki } = gateway.services;
  const contract = await db.manager.findOneByOrFail(Contract, { code: 'DEMO0001' });
  const hash = await passwords.hash(STORM_PIN);
  const now = new Date();
  const users: StormUser[] = [];
  for (let i = 0; i < count; i++) {
    const keys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const certificatePem = pki.ca.issueClientCertificate(
      publicKeyPem,
      { commonName: `storm${i}`, organization: 'Demo Corporation' },
      now,
      365,
    );
    await db.transaction(async (m) => {
      const record = newUserRecord(
        { loginId: `storm${i}`, displayName: `Storm ${i}`, role: Role.USER, contractId: contract.id },
        { loginPasswordHash: hash, confirmationPasswordHash: hash, temporary: false },
        now,
      );
      const user = await m.save(m.create(User, record));
      await certificates.recordIssued(m, user.id, certificatePem);
    });
    users.push({ certificatePem, privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
  }
  return users;
}

/** argon2id verifications per second with the gateway's parameters and concurrency, and nothing else. */
async function rawVerifiesPerSecond(gateway: Gateway): Promise<number> {
  const hash = await gateway.services.passwords.hash(STORM_PIN);
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    for (; Date.now() < end; done++) await argon2Verify(hash, STORM_PIN);
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: gateway.services.config.auth.hashConcurrency }, worker));
  return done / ((Date.now() - started) / 1000);
}

interface StormResult {
  users: number;
  logins: number;
  refused: Record<string, number>;
  loginsPerSecond: number;
  eventLoopP99Ms: number;
  /** user01's whoami per second during the storm (0 when the storm ran alone). */
  whoamiDuring: number;
}

/**
 * The storm's users log in at once, each on a connection of its own (opened before), and — with
 * `whoamiTls` — user01 keeps asking whoami on 10 connections meanwhile: logins per second, the
 * event loop's delay, and whoami's throughput.
 */
async function loginStorm(gateway: ServerProcess, users: StormUser[], ca: string, whoamiTls?: object): Promise<StormResult> {
  const body = { query: 'mutation($pin: String!) { login(pin: $pin) { token } }', variables: { pin: STORM_PIN } };
  const pools = users.map(
    (u) => new Pool(gateway.origin, { connect: { ca, cert: u.certificatePem, key: u.privateKeyPem, servername: 'localhost' } }),
  );
  await Promise.all(pools.map((pool) => post(pool, { query: '{ whoami { loginId } }' }))); // connections open before the storm
  const whoamiPool =
    whoamiTls && new Pool(gateway.origin, { connections: CONNECTIONS, connect: { ...whoamiTls, servername: 'localhost' } });
  let stormOver = false;
  let whoamis = 0;
  const whoamiLoop = async () => {
    while (whoamiPool && !stormOver) {
      const answer = await post(whoamiPool, { query: '{ whoami { loginId } }' });
      if (answer.data) whoamis++;
    }
  };
  await gateway.call('eventLoopStart');
  const started = Date.now();
  const whoamiLoops = Array.from({ length: CONNECTIONS }, whoamiLoop);
  const answers = await Promise.all(pools.map((pool) => post(pool, body)));
  const seconds = (Date.now() - started) / 1000;
  stormOver = true;
  await Promise.all(whoamiLoops);
  const eventLoopP99Ms = await gateway.call<number>('eventLoopStop');
  await Promise.all([...pools, ...(whoamiPool ? [whoamiPool] : [])].map((pool) => pool.close()));
  const refused: Record<string, number> = {};
  for (const answer of answers) {
    const code = (answer.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;
    if (code) refused[code] = (refused[code] ?? 0) + 1;
  }
  const logins = answers.filter((a) => a.data?.login?.token).length;
  return { users: users.length, logins, refused, loginsPerSecond: logins / seconds, eventLoopP99Ms, whoamiDuring: whoamis / seconds };
}

/** Page sizes of the lists case: 150 rows with their relations is near the largest page the query cost limit (5,000) allows. */
const LIST_PAGE_SIZES = [10, 100, 150];

type ListResult = Result & { rows: number; statements: number };

/**
 * A page of transfers with each one's maker, approver and account, as the approver user02 sees
 * them: SQL statements per request (counted by the server) and throughput, per page size.
 */
async function measureLists(server: ServerProcess, variant: string, tls: object, authorization: string): Promise<ListResult[]> {
  const lists: ListResult[] = [];
  for (const rows of LIST_PAGE_SIZES) {
    const body = JSON.stringify({
      query: `{ transfers(first: ${rows}) { items { id maker { loginId } approver { loginId } account { accountNumber } } } }`,
    });
    const pool = new Pool(server.origin, { connect: { ...tls, servername: 'localhost' } });
    const token = authorization.slice('Bearer '.length);
    // One request first: a session's lastSeenAt is written at most every 10 s, not by the counted one.
    await post(pool, JSON.parse(body), token);
    const before = await server.call<number>('statements');
    const answer = await post(pool, JSON.parse(body), token);
    const statements = (await server.call<number>('statements')) - before;
    await pool.close();
    if (answer.data?.transfers.items.length !== rows)
      throw new Error(`lists bench: expected ${rows} transfers, got ${JSON.stringify(answer).slice(0, 300)}`);
    const result = await load(`transfers, ${rows} rows, ${variant}`, server.origin, tls, () => body, { authorization });
    lists.push({ ...result, rows, statements });
  }
  return lists;
}

/**
 * The no-DataLoader variant, for the lists case only: every load() runs its own query at once,
 * uncached, as resolvers that each read their relation would. Fails loudly if DataLoader's
 * internals change, rather than measure the batched loaders under the wrong name.
 */
function loadOneByOne(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DataLoader = require('dataloader');
  const probe = new DataLoader(async (keys: unknown[]) => keys);
  if (typeof probe._batchLoadFn !== 'function') throw new Error('dataloader internals changed: no _batchLoadFn');
  DataLoader.prototype.load = function (this: { _batchLoadFn: (keys: unknown[]) => Promise<unknown[]> }, key: unknown) {
    return this._batchLoadFn([key]).then((values) => values[0]);
  };
}

async function login(origin: string, tls: object, pin: string): Promise<string> {
  const pool = new Pool(origin, { connect: { ...tls, servername: 'localhost' } });
  const answer = await post(pool, { query: 'mutation($pin: String!) { login(pin: $pin) { token } }', variables: { pin } });
  await pool.close();
  return answer.data.login.token;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-bench-'));
  // The development start creates the PKI and the demo contract; the bench then runs the gateway
  // as production does (named CA and server files, no demo seeding, production GraphQL rules).
  const seeding = await Gateway.start({ config: benchConfig(dir, false), logger: pino({ level: 'silent' }) });
  const kind = seeding.services.config.database.kind;
  await seeding.stop();
  const pinned = pin(process.pid, 1);

  const files = demoPaths(path.join(dir, 'certs'), 'user01');
  const creds = demoCredentials(path.join(dir, 'certs')).user01;
  const tls = { ca: tlsMaterial(dir).ca, cert: fs.readFileSync(files.certificate), key: fs.readFileSync(files.privateKey) };
  const whoami = () => JSON.stringify({ query: '{ whoami { loginId } }' });

  const results: Result[] = [];
  const measure = async (kind: 'https' | 'apollo' | 'apollo-direct', name: string) => {
    const server = await ServerProcess.start(kind, dir);
    const result = await load(name, server.origin, tls, whoami);
    await server.stop();
    return result;
  };
  results.push(await measure('https', 'https (bare mTLS server)'));
  const bareHttps = await ServerProcess.start('https', dir);
  // Kept running for the ECDSA case, once the storm's users (ECDSA certificates) exist.
  const handshakeBaseline = await loadNewConnections('https, RSA-2048, new connection each', bareHttps.origin, tls);
  results.push(await measure('apollo', 'apollo (bare Apollo + type-graphql)'));
  // Not a baseline of the ratios: the bare schema without express, for the HTTP layer's cost.
  const direct = await measure('apollo-direct', 'apollo without express (direct)');

  const gateway = await ServerProcess.start('gateway', dir);
  const origin = gateway.origin;
  results.push(await load('whoami (identity per request)', origin, tls, whoami));
  const handshakes = [
    handshakeBaseline,
    await loadNewConnections('whoami, RSA-2048, new connection each', origin, tls, { loginId: 'user01', server: gateway }),
  ];
  const bearer = { authorization: `Bearer ${await login(origin, tls, creds.loginPassword)}` };
  results.push(await load('me (identity + session)', origin, tls, () => JSON.stringify({ query: '{ me { loginId } }' }), bearer));
  results.push(
    await load('accounts (+ permission, read)', origin, tls, () => JSON.stringify({ query: '{ accounts { id balance } }' }), bearer),
  );
  // Data scale: the same whoami with 1,000 and with 100,000 users and certificates in the tables.
  const scale: Record<string, Result> = {};
  for (const users of [1_000, SCALE_USERS]) {
    await gateway.call({ users });
    scale[users] = await load(`whoami, ${users.toLocaleString('en')} users`, origin, tls, whoami);
    results.push(scale[users]);
  }
  // One user's password checks run at most 6 at a time (DESIGN.md §6.1: more would answer
  // RATE_LIMITED), so the password scenarios use 4 connections.
  const loginBody = JSON.stringify({
    query: 'mutation($pin: String!) { login(pin: $pin) { token } }',
    variables: { pin: creds.loginPassword },
  });
  results.push(await load('login (argon2id + session)', origin, tls, () => loginBody, {}, PASSWORD_CONNECTIONS));

  await gateway.call('unlimitTransfers');
  const transfer = JSON.stringify({
    query: 'mutation($i: CreateTransferInput!, $pw: String!) { createTransfer(input: $i, confirmationPassword: $pw) { id } }',
    variables: {
      pw: creds.confirmationPassword,
      i: {
        fromAccountId: 1,
        destinationBankCode: '0009',
        destinationBranchCode: '123',
        destinationAccountType: 'ORDINARY',
        destinationAccountNumber: '7654321',
        payeeName: 'ｶ)ﾍﾞﾝﾁ',
        amount: 1,
      },
    },
  });
  const bearer2 = { authorization: `Bearer ${await login(origin, tls, creds.loginPassword)}` };
  results.push(await load('createTransfer (executed)', origin, tls, () => transfer, bearer2, PASSWORD_CONNECTIONS));

  // Lists: a page of transfers with each one's maker, approver and account (DataLoaders: the
  // SQL statements of a request do not grow with its rows), as the approver user02 sees them.
  const approver = demoPaths(path.join(dir, 'certs'), 'user02');
  const approverTls = { ca: tls.ca, cert: fs.readFileSync(approver.certificate), key: fs.readFileSync(approver.privateKey) };
  const whoamiBefore = results.find((r) => r.name.startsWith('whoami (identity'))!.perSecond;
  // The login storm: alone (logins against raw argon2id), then with user01's whoami meanwhile.
  const stormers = await gateway.call<StormUser[]>({ stormUsers: STORM_USERS });
  const rawVerifies = await gateway.call<number>('rawVerifies');
  const storm = await loginStorm(gateway, stormers, tls.ca);
  const stormWithTraffic = await loginStorm(gateway, stormers, tls.ca, tls);
  const ecdsa = { ca: tls.ca, cert: stormers[0].certificatePem, key: stormers[0].privateKeyPem };
  handshakes.push(
    await loadNewConnections('https, ECDSA P-256, new connection each', bareHttps.origin, ecdsa),
    await loadNewConnections('whoami, ECDSA P-256, new connection each', origin, ecdsa, { loginId: 'storm0', server: gateway }),
  );
  // TLS 1.3 resumption: a new connection each time, resuming the client's previous session.
  const resumption = [
    await loadNewConnections('whoami, RSA-2048, resumed each', origin, tls, { loginId: 'user01', resume: true, server: gateway }),
    await loadNewConnections('whoami, ECDSA P-256, resumed each', origin, ecdsa, { loginId: 'storm0', resume: true, server: gateway }),
  ];
  await bareHttps.stop();

  // A short run may have made fewer than LIST_TRANSFERS transfers: make up the difference first.
  const maker = new Pool(origin, { connect: { ...tls, servername: 'localhost' } });
  const makerToken = bearer2.authorization.slice('Bearer '.length);
  const seen = async () =>
    (await post(maker, { query: '{ transfers(first: 200) { items { id } } }' }, makerToken)).data.transfers.items.length;
  for (let have = await seen(); have < LIST_PAGE_SIZES.at(-1)!; have++) {
    const made = await post(maker, JSON.parse(transfer), makerToken);
    if (made.errors) throw new Error(`lists bench: a transfer was refused: ${JSON.stringify(made.errors)}`);
  }
  await maker.close();
  // The approver logs in for each variant (the bulk case's approval replaces the first session).
  const approverPin = demoCredentials(path.join(dir, 'certs')).user02.loginPassword;
  const listsOf = async (server: ServerProcess, variant: string) =>
    measureLists(server, variant, approverTls, `Bearer ${await login(server.origin, approverTls, approverPin)}`);
  const lists = await listsOf(gateway, 'DataLoaders');
  results.push(...lists);

  const bulk = await gateway.call<BulkResult>('bulk');

  // The worst requests allowed: an administrator’s export of a ~50,000-event audit log (the most
  // one export may hold), the bulk transfer's 10,000-line result file, the largest list page.
  const auditEvents = await gateway.call<number>({ auditEvents: 49_900 }); // the logins below add a few
  const adminFiles = demoPaths(path.join(dir, 'certs'), 'admin01');
  const adminTls = { ca: tls.ca, cert: fs.readFileSync(adminFiles.certificate), key: fs.readFileSync(adminFiles.privateKey) };
  const admin = `Bearer ${await login(origin, adminTls, demoCredentials(path.join(dir, 'certs')).admin01.loginPassword)}`;
  const approverNow = `Bearer ${await login(origin, approverTls, approverPin)}`;
  const largestPage = LIST_PAGE_SIZES.at(-1)!;
  const worst = await worstRequests(origin, tls, [
    {
      name: `auditLogExport of ${auditEvents.toLocaleString('en')} events`,
      tls: adminTls,
      authorization: admin,
      body: JSON.stringify({ query: '{ auditLogExport }' }),
    },
    {
      name: `bulkTransferResultFile of ${bulk.lines.toLocaleString('en')} lines`,
      tls: approverTls,
      authorization: approverNow,
      body: JSON.stringify({ query: `{ bulkTransferResultFile(id: ${bulk.id}) { fileName contentBase64 } }` }),
    },
    {
      name: `transfers, ${largestPage} rows with relations`,
      tls: approverTls,
      authorization: approverNow,
      body: JSON.stringify({
        query: `{ transfers(first: ${largestPage}) { items { id maker { loginId } approver { loginId } account { accountNumber } } } }`,
      }),
    },
  ]);
  await gateway.stop();
  // The same lists from a gateway whose loaders fetch each row's relation on its own (N+1).
  const unbatched = await ServerProcess.start('gateway-unbatched', dir);
  const listsUnbatched = await listsOf(unbatched, 'one query per relation');
  await unbatched.stop();

  // WORKERS=2 against one process, both free to use both cores (and sharing them with the load).
  if (pinned) pin(process.pid, -1);
  const clusterResults: Result[] = [];
  // Where the two cores went: the gateway's processes (primary and workers) and the load generator.
  const clusterCpu: Array<{ gatewayCores: number; loadCores: number; requestsPerGatewayCpuSecond: number }> = [];
  for (const workers of [1, 2]) {
    const server = await startMain(dir, workers);
    const gatewayBefore = processTreeCpuMs(server.pid);
    const loadBefore = process.cpuUsage();
    const started = performance.now();
    // Twice the connections of the other cases, for both: enough requests in flight to keep two workers busy.
    const result = await load(`whoami, WORKERS=${workers}, unpinned`, server.origin, tls, whoami, {}, 2 * CONNECTIONS);
    const elapsedMs = performance.now() - started;
    const gatewayMs = processTreeCpuMs(server.pid) - gatewayBefore;
    const loadUsage = process.cpuUsage(loadBefore);
    clusterResults.push(result);
    // Over the warm-up and the counted seconds alike: the share of each, and requests per gateway CPU-second.
    const answered = (result.perSecond * elapsedMs) / 1000;
    clusterCpu.push({
      gatewayCores: gatewayMs / elapsedMs,
      loadCores: (loadUsage.user + loadUsage.system) / 1000 / elapsedMs,
      requestsPerGatewayCpuSecond: answered / (gatewayMs / 1000),
    });
    await server.stop();
  }
  results.push(...clusterResults);
  fs.rmSync(dir, { recursive: true, force: true });

  const https = results[0].perSecond;
  const apollo = results[1].perSecond;
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${kind}`;
  console.log(
    `\nCorporate Internet Banking Gateway benchmark — ${SECONDS}s per scenario, ${CONNECTIONS} keep-alive connections (login and transfer: ${PASSWORD_CONNECTIONS}), ${machine}` +
      `\n${pinned ? 'servers on CPU 0, load generator on CPU 1' : 'not pinned to CPUs (no taskset or one CPU): ratios are rougher'}\n`,
  );
  console.log('scenario                              req/s   × https   × apollo   p50 ms   p99 ms   errors');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(36)} ${r.perSecond.toFixed(0).padStart(7)}   ${(r.perSecond / https).toFixed(3).padStart(7)}   ${(r.perSecond / apollo).toFixed(3).padStart(8)}   ${r.p50.toFixed(1).padStart(6)}   ${r.p99.toFixed(1).padStart(6)}   ${String(r.errors).padStart(6)}`,
    );
  }
  console.log(
    `${direct.name.padEnd(36)} ${direct.perSecond.toFixed(0).padStart(7)}   ${(direct.perSecond / https).toFixed(3).padStart(7)}   ${(direct.perSecond / apollo).toFixed(3).padStart(8)}   ${direct.p50.toFixed(1).padStart(6)}   ${direct.p99.toFixed(1).padStart(6)}   ${String(direct.errors).padStart(6)}`,
  );
  console.log(
    `\nfull TLS handshake + whoami per request, ${NEW_CONNECTION_CONCURRENCY} clients at once:` +
      handshakes
        .map(
          (r) =>
            `\n  ${r.name.padEnd(36)} ${r.perSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   errors ${r.errors}`,
        )
        .join('') +
      `\n  gateway ÷ bare https: RSA-2048 ${(handshakes[1].perSecond / handshakes[0].perSecond).toFixed(2)}, ECDSA P-256 ${(handshakes[3].perSecond / handshakes[2].perSecond).toFixed(2)}` +
      resumption
        .map(
          (r) =>
            `\n  ${r.name.padEnd(36)} ${r.perSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   errors ${r.errors}   resumed ${(100 * r.resumedShare).toFixed(0)}%`,
        )
        .join('') +
      `\n  gateway CPU per connection (handshake + whoami), resumed ÷ full: RSA-2048 ${resumption[0].cpuMsPerConnection!.toFixed(2)} ÷ ${handshakes[1].cpuMsPerConnection!.toFixed(2)} ms = ${(resumption[0].cpuMsPerConnection! / handshakes[1].cpuMsPerConnection!).toFixed(2)}, ECDSA P-256 ${resumption[1].cpuMsPerConnection!.toFixed(2)} ÷ ${handshakes[3].cpuMsPerConnection!.toFixed(2)} ms = ${(resumption[1].cpuMsPerConnection! / handshakes[3].cpuMsPerConnection!).toFixed(2)}`,
  );
  console.log(
    `\nlists (a page of transfers with maker, approver, account), SQL statements per request and × one query per relation:` +
      lists
        .map(
          (l, i) =>
            `\n  ${String(l.rows).padStart(3)} rows: ${l.statements} statements (unbatched ${listsUnbatched[i].statements}), ${l.perSecond.toFixed(0)} req/s = ${(l.perSecond / listsUnbatched[i].perSecond).toFixed(2)}× unbatched (${listsUnbatched[i].perSecond.toFixed(0)} req/s), p99 ${l.p99.toFixed(1)} vs ${listsUnbatched[i].p99.toFixed(1)} ms`,
        )
        .join(''),
  );
  const refused = (r: StormResult) => (Object.keys(r.refused).length ? ` (refused: ${JSON.stringify(r.refused)})` : '');
  console.log(
    `\nlogin storm: ${storm.users} users (ECDSA P-256 certificates) log in at once, each on its own connection:` +
      `\n  alone:              ${storm.logins} logged in${refused(storm)}, ${storm.loginsPerSecond.toFixed(1)}/s` +
      ` = ${(storm.loginsPerSecond / rawVerifies).toFixed(2)}× raw argon2id (${rawVerifies.toFixed(1)} verifies/s); event loop p99 ${storm.eventLoopP99Ms.toFixed(1)} ms` +
      `\n  with user01's whoami on ${CONNECTIONS} connections: ${stormWithTraffic.logins} logged in${refused(stormWithTraffic)}, ${stormWithTraffic.loginsPerSecond.toFixed(1)}/s;` +
      ` event loop p99 ${stormWithTraffic.eventLoopP99Ms.toFixed(1)} ms; whoami ${stormWithTraffic.whoamiDuring.toFixed(0)} req/s` +
      ` = ${(stormWithTraffic.whoamiDuring / whoamiBefore).toFixed(2)}× its own without the storm`,
  );
  const whoamiAlone = results.find((r) => r.name.startsWith('whoami (identity'))!;
  console.log(
    `\nworst allowed requests, each repeated on one connection while user01's whoami runs on ${CONNECTIONS} (whoami alone: p99 ${whoamiAlone.p99.toFixed(1)} ms, ${whoamiAlone.perSecond.toFixed(0)} req/s):` +
      worst
        .map(
          (w) =>
            `\n  ${w.name.padEnd(44)} alone ${w.aloneMs.mean.toFixed(0)} ms (max ${w.aloneMs.max.toFixed(0)}); whoami meanwhile p99 ${w.whoamiDuring.p99.toFixed(1)} ms, ${w.whoamiDuring.perSecond.toFixed(0)} req/s`,
        )
        .join(''),
  );
  const [small, large] = Object.values(scale);
  const [oneProcess, twoWorkers] = clusterResults;
  console.log(
    `\ndata scale: whoami p99 with ${SCALE_USERS.toLocaleString('en')} users ÷ with 1,000 = ${(large.p99 / small.p99).toFixed(2)}` +
      `\nWORKERS=2 ÷ one process (both unpinned) = ${(twoWorkers.perSecond / oneProcess.perSecond).toFixed(2)}` +
      clusterCpu
        .map(
          (c, i) =>
            `\n  WORKERS=${i + 1}: the gateway used ${c.gatewayCores.toFixed(2)} cores, the load generator ${c.loadCores.toFixed(2)}; ${c.requestsPerGatewayCpuSecond.toFixed(0)} requests per gateway CPU-second`,
        )
        .join(''),
  );
  const perLine = (statements: number) => (statements / bulk.lines).toFixed(4);
  console.log(
    `\nbulk transfer of ${bulk.lines.toLocaleString('en')} lines (Zengin file ${(bulk.fileBytes / 1e6).toFixed(2)} MB, request body ${(bulk.bodyBytes / 1e6).toFixed(2)} MB):\n` +
      `  import (parse, check, reserve, store lines)   ${bulk.importMs.toFixed(0).padStart(6)} ms   ${String(bulk.importStatements).padStart(4)} SQL statements (${perLine(bulk.importStatements)} per line)\n` +
      `  approve and execute (debit, statement lines)  ${bulk.approveMs.toFixed(0).padStart(6)} ms   ${String(bulk.approveStatements).padStart(4)} SQL statements (${perLine(bulk.approveStatements)} per line)`,
  );
  const resultsDir = path.join(process.cwd(), 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${new Date().toISOString().slice(0, 10)}-${kind}.json`);
  const ratios = Object.fromEntries(results.map((r) => [r.name, { ...r, toHttps: r.perSecond / https, toApollo: r.perSecond / apollo }]));
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        pinned,
        seconds: SECONDS,
        connections: CONNECTIONS,
        results: ratios,
        storm: { rawVerifiesPerSecond: rawVerifies, alone: storm, withWhoami: stormWithTraffic, whoamiWithout: whoamiBefore },
        handshakes,
        resumption,
        lists,
        listsUnbatched,
        worst,
        cluster: clusterCpu,
        bulk,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
}

const run = process.argv[2] === 'serve' ? serve(process.argv[3] as ServerKind, process.argv[4]) : main();
run.catch((error) => {
  console.error(error);
  process.exit(1);
});
