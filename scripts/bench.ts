// npm run bench — throughput and latency of the gateway's hot paths, each as a ratio against a
// baseline measured in the same run (absolute numbers depend on the machine; ratios travel).
//
//   baseline  a bare Node HTTPS server with the same mutual-TLS settings answering a fixed JSON
//   whoami    certificate → identity lookup in the database + GraphQL, on keep-alive connections
//   me        the same plus the PIN-session lookup
//   login     argon2id verification of the PIN (bounded concurrency) + session creation
//   transfer  createTransfer: confirmation password, limits, balance, statement, audit
//   bulk      a 10,000-line Zengin 総合振込 file (BENCH_BULK_LINES): imported by one user, approved by
//             another and executed in the approval's transaction — wall time and SQL statements per line
// and a micro-benchmark of the per-socket certificate cache against getPeerCertificate() per request.
import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import pino from 'pino';
import { Pool } from 'undici';
import { AccountType } from '../src/banking/account.entity';
import { writeZenginTransferFile } from '../src/banking/zengin';
import { Contract } from '../src/contract/contract.entity';
import { User } from '../src/users/user.entity';
import { loadConfig } from '../src/config';
import { demoPaths } from '../src/demo/demo-data';
import { Gateway } from '../src/gateway';
import { peerCertificateOf } from '../src/server/peer-certificate';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BULK_LINES = Number(process.env.BENCH_BULK_LINES ?? 10_000);
const CONNECTIONS = 16;
const PASSWORD_CONNECTIONS = 4;

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
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const started = process.hrtime.bigint();
      const response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: body(),
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"')) errors++;
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  const startedAt = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (Date.now() - startedAt) / 1000;
  await pool.close();
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

function microCertificateCache(socket: TLSSocket): { uncached: number; cached: number } {
  const rounds = 20_000;
  let t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) crypto.createHash('sha256').update(socket.getPeerCertificate().raw).digest('hex');
  const uncached = Number(process.hrtime.bigint() - t) / rounds;
  peerCertificateOf(socket);
  t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) peerCertificateOf(socket);
  const cached = Number(process.hrtime.bigint() - t) / rounds;
  return { uncached, cached };
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
    const creds = gateway.demoCredentials![loginId];
    const login = await post(pool, {
      query: 'mutation($pin: String!) { login(pin: $pin) { token } }',
      variables: { pin: creds.loginPassword },
    });
    return { pool, token: login.data.login.token as string, confirmationPassword: creds.confirmationPassword };
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
    lines: BULK_LINES,
    fileBytes: file.length,
    bodyBytes: Buffer.byteLength(JSON.stringify(body)),
    importMs: imported.ms,
    importStatements: imported.statements,
    approveMs: approved.ms,
    approveStatements: approved.statements,
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    API_PORT: '0',
    ENROLL_PORT: '0',
    CERTS_DIR: path.join(dir, 'certs'),
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`,
    LOG_LEVEL: 'silent',
    // Transfers run when made, whatever the hour the bench runs at (after 15:00 they would wait for the next business day).
    TRANSFER_CUTOFF: 'none',
    SCHEDULER_INTERVAL_SECONDS: '0',
  });
  const gateway = await Gateway.start({ config, logger: pino({ level: 'silent' }) });
  const files = demoPaths(config.pki.certsDir, 'user01');
  const tls = {
    ca: gateway.services.pki.caCertificatePem,
    cert: fs.readFileSync(files.certificate),
    key: fs.readFileSync(files.privateKey),
  };
  const creds = gateway.demoCredentials!.user01;

  // The baseline: the same TLS termination, no database, no GraphQL.
  const certificateSockets: TLSSocket[] = [];
  const bare = https.createServer(
    {
      key: gateway.services.pki.serverPrivateKeyPem,
      cert: gateway.services.pki.serverCertificatePem,
      ca: [gateway.services.pki.caCertificatePem],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      certificateSockets.push(req.socket as TLSSocket);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"whoami":{"loginId":"user01"}}}'));
    },
  );
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareOrigin = `https://localhost:${(bare.address() as { port: number }).port}`;
  const origin = `https://localhost:${gateway.apiPort}`;

  const results: Result[] = [];
  const whoami = JSON.stringify({ query: '{ whoami { loginId } }' });
  results.push(await load('baseline (bare mTLS server)', bareOrigin, tls, () => whoami));
  results.push(await load('whoami (identity per request)', origin, tls, () => whoami));

  const pool = new Pool(origin, { connect: { ...tls, servername: 'localhost' } });
  const loginBody = JSON.stringify({
    query: 'mutation($pin: String!) { login(pin: $pin) { token } }',
    variables: { pin: creds.loginPassword },
  });
  const token = JSON.parse(
    await (
      await pool.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody })
    ).body.text(),
  ).data.login.token;
  await pool.close();
  results.push(
    await load('me (identity + session)', origin, tls, () => JSON.stringify({ query: '{ me { loginId } }' }), {
      authorization: `Bearer ${token}`,
    }),
  );
  // One user's password checks run at most 6 at a time (DESIGN.md §6.1: more would answer
  // RATE_LIMITED), so the password scenarios use 4 connections.
  results.push(await load('login (argon2id + session)', origin, tls, () => loginBody, {}, PASSWORD_CONNECTIONS));

  // Transfers execute at once here, with limits high enough never to stop them.
  await gateway.services.db.transaction(async (m) => {
    await m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false, dailyTransferLimit: 9_000_000_000_000 });
    await m.update(User, { loginId: 'user01' }, { dailyTransferLimit: 9_000_000_000_000 });
  });
  const relogin = new Pool(origin, { connect: { ...tls, servername: 'localhost' } });
  const token2 = JSON.parse(
    await (
      await relogin.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody })
    ).body.text(),
  ).data.login.token;
  await relogin.close();
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
  results.push(
    await load('createTransfer (executed)', origin, tls, () => transfer, { authorization: `Bearer ${token2}` }, PASSWORD_CONNECTIONS),
  );

  const bulk = await bulkTransferCase(gateway, origin, gateway.services.pki.caCertificatePem);

  // The micro-benchmark needs an open connection to read its certificate from.
  const one = new Pool(bareOrigin, { connections: 1, connect: { ...tls, servername: 'localhost' } });
  await (await one.request({ path: '/graphql', method: 'POST', body: whoami })).body.text();
  const micro = microCertificateCache(certificateSockets[certificateSockets.length - 1]);
  await one.close();
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  bare.closeAllConnections();
  await gateway.stop();
  fs.rmSync(dir, { recursive: true, force: true });

  const base = results[0].perSecond;
  console.log(
    `\nCorporate Internet Banking Gateway benchmark — ${SECONDS}s per scenario, ${CONNECTIONS} keep-alive connections, ${config.database.kind}, ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  console.log(
    'scenario                         req/s    ratio to baseline   p50 ms   p99 ms   errors   (login and transfer: 4 connections)',
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(32)} ${r.perSecond.toFixed(0).padStart(6)}   ${(r.perSecond / base).toFixed(3).padStart(8)}          ${r.p50.toFixed(1).padStart(6)}   ${r.p99.toFixed(1).padStart(6)}   ${String(r.errors).padStart(6)}`,
    );
  }
  console.log(
    `\ncertificate of a connection: getPeerCertificate()+SHA-256 ${(micro.uncached / 1000).toFixed(2)} µs per call, per-socket cache ${(micro.cached / 1000).toFixed(3)} µs (${(micro.uncached / micro.cached).toFixed(0)}× cheaper)`,
  );
  const perLine = (statements: number) => (statements / bulk.lines).toFixed(4);
  console.log(
    `\nbulk transfer of ${bulk.lines.toLocaleString('en')} lines (Zengin file ${(bulk.fileBytes / 1e6).toFixed(2)} MB, request body ${(bulk.bodyBytes / 1e6).toFixed(2)} MB):\n` +
      `  import (parse, check, reserve, store lines)   ${bulk.importMs.toFixed(0).padStart(6)} ms   ${String(bulk.importStatements).padStart(4)} SQL statements (${perLine(bulk.importStatements)} per line)\n` +
      `  approve and execute (debit, statement lines)  ${bulk.approveMs.toFixed(0).padStart(6)} ms   ${String(bulk.approveStatements).padStart(4)} SQL statements (${perLine(bulk.approveStatements)} per line)\n` +
      `  together                                      ${(bulk.importMs + bulk.approveMs).toFixed(0).padStart(6)} ms   ${String(bulk.importStatements + bulk.approveStatements).padStart(4)} SQL statements (${perLine(bulk.importStatements + bulk.approveStatements)} per line)`,
  );
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
}

main();
