// Load generation: keep-alive connections (undici) or a new TLS connection per request, warmed
// up first, then counted; throughput, p50 and p99 of what was counted.
import https from 'node:https';
import tls, { type TLSSocket } from 'node:tls';
import { Pool } from 'undici';
import type { ServerProcess } from './servers';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
/** Keep-alive connections of the whole-request cases. */
export const CONNECTIONS = 10;
/** Clients opening a new connection for each request at once. */
export const NEW_CONNECTION_CONCURRENCY = 8;
/** One user's password checks run at most 6 at a time (more would answer RATE_LIMITED): the password cases use 4. */
export const PASSWORD_CONNECTIONS = 4;

/** What a client presents: the bank CA to trust, and its certificate and key. */
export interface ClientTls {
  ca: string;
  cert: string | Buffer;
  key: string | Buffer;
}

export interface Result {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export const WHOAMI = JSON.stringify({ query: '{ whoami { loginId } }' });
export const ME = JSON.stringify({ query: '{ me { loginId } }' });
export const ACCOUNTS = JSON.stringify({ query: '{ accounts { id balance } }' });
export const LOGIN = 'mutation($pin: String!) { login(pin: $pin) { token } }';

/** The value below which `share` of the sorted values lie (nearest rank). */
export function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
}

/**
 * `concurrency` loops of `once` (which says whether its answer was right): the first
 * BENCH_WARMUP_SECONDS warm the JIT and the connections up and are not counted, then SECONDS are.
 */
export async function timed(name: string, concurrency: number, once: () => Promise<boolean>): Promise<Result> {
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
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
  };
}

/** A pool of keep-alive connections to `origin` presenting `tls`. */
export const pool = (origin: string, tls: ClientTls, connections?: number): Pool =>
  new Pool(origin, { connections, pipelining: 1, connect: { ...tls, servername: 'localhost' } });

/** `body` POSTed to /graphql on `connections` keep-alive connections: right when 200 without errors. */
export async function load(
  name: string,
  origin: string,
  tls: ClientTls,
  body: string,
  headers: Record<string, string> = {},
  connections = CONNECTIONS,
): Promise<Result> {
  const clients = pool(origin, tls, connections);
  const result = await timed(name, connections, async () => {
    const response = await clients.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.body.text();
    return response.statusCode === 200 && !text.includes('"errors"');
  });
  await clients.close();
  return result;
}

/** One GraphQL request on a pool; the parsed body. */
export async function post(clients: Pool, body: unknown, token?: string): Promise<{ data?: any; errors?: unknown[] }> {
  const response = await clients.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return JSON.parse(await response.body.text());
}

/** A session token for the certificate `tls` with its PIN. */
export async function login(origin: string, tls: ClientTls, pin: string): Promise<string> {
  const clients = pool(origin, tls);
  const answer = await post(clients, { query: LOGIN, variables: { pin } });
  await clients.close();
  if (!answer.data?.login?.token) throw new Error(`bench: login refused: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  return answer.data.login.token;
}

export type NewConnectionResult = Result & { resumedShare: number; cpuMsPerConnection: number | null };

/**
 * A TLS handshake for every request: whoami on a new connection, as a client that does not keep
 * connections alive — NEW_CONNECTION_CONCURRENCY at a time. A full handshake each time (agent:
 * false), or with `resume` a TLS 1.3 resumption of the client's previous session (an agent
 * caching session tickets; resumedShare counts the connections that did resume). The answer
 * must name `loginId`: the identity must hold on a resumed session too. With `server`, the
 * server's CPU time per connection.
 */
export async function loadNewConnections(
  name: string,
  origin: string,
  tls: ClientTls,
  { loginId, resume = false, server }: { loginId?: string; resume?: boolean; server?: ServerProcess } = {},
): Promise<NewConnectionResult> {
  const { port } = new URL(origin);
  const agent = resume ? new https.Agent({ keepAlive: false, maxCachedSessions: 100 }) : false;
  let resumed = 0;
  let answered = 0;
  const once = () =>
    new Promise<boolean>((resolve) => {
      const request = https.request(
        { host: 'localhost', port, path: '/graphql', method: 'POST', agent, ...tls, headers: { 'content-type': 'application/json' } },
        (response) => {
          answered++;
          if ((response.socket as TLSSocket).isSessionReused()) resumed++;
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
      request.end(WHOAMI);
    });
  const cpuBefore = server && (await server.call<number>('cpu'));
  const result = await timed(name, NEW_CONNECTION_CONCURRENCY, once);
  const cpuMs = server && (await server.call<number>('cpu')) - cpuBefore!;
  if (agent) agent.destroy();
  return { ...result, resumedShare: resumed / answered, cpuMsPerConnection: cpuMs === undefined ? null : cpuMs / answered };
}

/** The TLS version and cipher suite `origin` agrees on with this client: what a baseline must share with the gateway. */
export function negotiated(origin: string, client: ClientTls): Promise<string> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: 'localhost', port: Number(port), servername: 'localhost', ...client }, () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
      socket.end();
    });
    socket.on('error', reject);
  });
}
