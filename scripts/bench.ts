// npm run bench — throughput and latency of the gateway's hot paths, each as a ratio against a
// baseline measured in the same run (absolute numbers depend on the machine; ratios travel).
//
//   baseline  a bare Node HTTPS server with the same mutual-TLS settings answering a fixed JSON
//   whoami    certificate → identity lookup in the database + GraphQL, on keep-alive connections
//   me        the same plus the PIN-session lookup
//   login     argon2id verification of the PIN (bounded concurrency) + session creation
//   transfer  createTransfer: confirmation password, limits, balance, statement, audit
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
import { Contract } from '../src/contract/contract.entity';
import { User } from '../src/users/user.entity';
import { loadConfig } from '../src/config';
import { demoPaths } from '../src/demo/demo-data';
import { Gateway } from '../src/gateway';
import { peerCertificateOf } from '../src/server/peer-certificate';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
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

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    API_PORT: '0',
    ENROLL_PORT: '0',
    CERTS_DIR: path.join(dir, 'certs'),
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`,
    LOG_LEVEL: 'silent',
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
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
}

main();
