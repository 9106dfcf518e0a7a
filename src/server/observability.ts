import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type tls from 'node:tls';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database';
import { clientAddressOf, type ProxyHeaderRefusal } from './proxy-protocol';
import { requestRecordOf } from './request-record';

export type ListenerName = 'api' | 'enroll';

const ROUTES = ['/graphql', '/graphiql', '/downloads', '/healthz', '/readyz', '/ca.pem', '/crl', '/'];

function routeOf(path: string): string {
  return ROUTES.find((route) => path === route || (route !== '/' && path.startsWith(`${route}/`))) ?? 'other';
}

/**
 * The operations team's view (DESIGN.md §7): one structured line per request and per refused
 * handshake, and Prometheus metrics on a listener of their own. Nothing secret is ever logged:
 * no body, no header but the user agent, a certificate only as a fingerprint prefix.
 */
export class Observability {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'HTTP requests by listener, GraphQL operation and outcome (OK or an error code)',
    labelNames: ['listener', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'HTTP request latency by listener',
    labelNames: ['listener'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly handshakeFailures = new Counter({
    name: 'gateway_tls_handshake_failures_total',
    help: 'Refused TLS handshakes (no, unknown or invalid client certificate; weak protocol)',
    labelNames: ['listener', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'gateway_refusals_total',
    help: 'Errors answered, by code (LOGIN_FAILED, ACCOUNT_LOCKED, RATE_LIMITED, ...)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly transactionRetries = new Counter({
    name: 'gateway_db_transaction_retries_total',
    help: 'Transactions the database rolled back for a conflict (deadlock, Galera certification) or a busy SQLite file, by driver code: run again (retried) or not (gave_up)',
    labelNames: ['reason', 'outcome'] as const,
    registers: [this.registry],
  });
  private server: http.Server | null = null;

  constructor(
    private readonly logger: Logger,
    db: Database,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
    db.onRetry((reason, outcome) => this.transactionRetries.inc({ reason, outcome }));
    db.onFileLost((loss) =>
      logger.error(
        { loss },
        'the SQLite database file was deleted or replaced under the running gateway: writes are refused (503) and /readyz fails; restore the file and restart',
      ),
    );
    // mysql2's pool (TypeORM keeps it on the driver); SQLite has one connection and no pool.
    const pool = () => (db.dataSource.driver as unknown as { pool?: { _allConnections?: unknown[]; _freeConnections?: unknown[] } }).pool;
    new Gauge({
      name: 'gateway_db_pool_connections',
      help: 'Database pool connections by state (MySQL/MariaDB)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const all = pool()?._allConnections?.length;
        const free = pool()?._freeConnections?.length;
        if (all === undefined || free === undefined) return;
        this.set({ state: 'busy' }, all - free);
        this.set({ state: 'idle' }, free);
      },
    });
  }

  /** Wraps a listener's application: a request id, then one access-log line and the metrics when the answer is sent. */
  handler(listener: ListenerName, app: http.RequestListener): http.RequestListener {
    return (req, res) => {
      const started = process.hrtime.bigint();
      const record = requestRecordOf(req);
      // Taken now: express rewrites req.url under a mounted path while it routes, and a client that
      // closes as soon as it has its answer leaves a socket without an address.
      const path = (req.url ?? '').split('?')[0];
      const connectedFrom = clientAddressOf(req.socket);
      res.setHeader('x-request-id', record.id);
      res.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const { peer, identity, sourceAddress, partner } = record.caller;
        const outcome = record.outcomes.length
          ? [...new Set(record.outcomes)].join(',')
          : res.statusCode < 400
            ? 'OK'
            : `HTTP_${res.statusCode}`;
        // Labels stay bounded whatever clients send: root fields come from the schema, paths from a fixed list.
        const distinct = [...new Set(record.operations)];
        const operation = distinct.length > 1 ? 'multiple' : (distinct[0] ?? routeOf(path));
        this.latency.observe({ listener }, seconds);
        this.requests.inc({ listener, operation, outcome });
        for (const code of record.outcomes) this.refusals.inc({ code });
        this.logger.info(
          {
            requestId: record.id,
            listener,
            method: req.method,
            path: path.slice(0, 200),
            status: res.statusCode,
            latencyMs: Math.round(seconds * 10_000) / 10,
            certificate: peer?.fingerprint.slice(0, 16) ?? null,
            userId: identity?.user.id ?? null,
            loginId: identity?.user.loginId ?? null,
            contractId: identity?.user.contractId ?? null,
            // A partner's request on that user's behalf: its client_id.
            ...(partner ? { partner } : {}),
            operations: record.operations,
            outcome,
            // The client's, as the request was judged by (behind a balancer, not the balancer's).
            address: sourceAddress ?? connectedFrom,
          },
          'request',
        );
      });
      app(req, res);
    };
  }

  /** One line and a count for every refused handshake: the client sees only a closed connection. */
  watchHandshakes(listener: ListenerName, server: tls.Server): void {
    server.on('tlsClientError', (error: Error & { code?: string }, socket: tls.TLSSocket) => {
      const reason = error.code ?? 'UNKNOWN';
      this.handshakeFailures.inc({ listener, reason });
      this.logger.info({ listener, reason, address: clientAddressOf(socket) }, 'tls handshake refused');
    });
  }

  /** A connection from a balancer that did not start with a valid PROXY header: closed before any TLS. */
  proxyHeaderRefused(listener: ListenerName, refusal: ProxyHeaderRefusal, address: string | null): void {
    const reason = `PROXY_HEADER_${refusal.toUpperCase().replace('-', '_')}`;
    this.handshakeFailures.inc({ listener, reason });
    this.logger.info({ listener, reason, address }, 'tls handshake refused');
  }

  /** Prometheus text on its own plain-HTTP listener (loopback by default: for the bank's scraper only). */
  async listen(port: number, host: string): Promise<number> {
    this.server = http.createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
  }
}
