import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { GatewayConfig } from '../config';

/** What a worker tells the primary once its listeners are open. */
export interface WorkerStarted {
  kind: 'started';
  apiPort: number;
  enrollPort: number;
}

/** The primary's request to finish the requests in flight and exit (a signal forwarded). */
export const SHUTDOWN_MESSAGE = 'shutdown';

/** Replacing a worker that died on its own waits this long, so a worker that cannot start does not spin. */
const RESTART_DELAY_MS = 1_000;

/**
 * WORKERS=N: N gateway processes on the same ports (each accepts from the shared sockets). Nothing is shared in memory: sessions, locks, limits and counters live in the
 * database, so DESIGN.md §6 holds across workers exactly as across instances. The primary only
 * starts, replaces and stops workers, and serves the workers' metrics summed on METRICS_PORT.
 */
export async function runCluster(config: GatewayConfig, logger: Logger): Promise<void> {
  // The workers accept from the shared listening sockets themselves. Under Node's default on Linux
  // (round robin) the primary accepts and passes each connection to a worker, and one passed to a
  // worker that is killed before it takes it stays open in the primary with nobody to answer it
  // (the client waited a minute). Here a connection waits in the kernel's queue until a live worker
  // accepts it; one a worker had accepted is closed (reset) by the kernel when the worker dies.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const workers = new Set<Worker>();
  let stopping = false;
  let failed = false;

  const fork = (index: number): Promise<WorkerStarted> => {
    // The first worker runs the migrations and creates the development PKI and demo data alone;
    // the others start once it has. Only it prints the development banner.
    const worker = cluster.fork({ GATEWAY_WORKER_INDEX: String(index) });
    workers.add(worker);
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) {
        if (code !== 0) failed = true;
        return;
      }
      logger.error({ worker: index, pid: worker.process.pid, code, signal }, 'a gateway worker exited; starting another');
      setTimeout(() => void fork(index).catch(() => undefined), RESTART_DELAY_MS).unref();
    });
    return new Promise((resolve, reject) => {
      worker.on('message', (message: WorkerStarted) => message?.kind === 'started' && resolve(message));
      worker.once('exit', (code) => reject(new Error(`gateway worker ${index} exited with ${code} before it started`)));
    });
  };

  let started: WorkerStarted;
  try {
    started = await fork(1);
    await Promise.all(Array.from({ length: config.workers - 1 }, (_, i) => fork(i + 2)));
  } catch (error) {
    stopping = true;
    for (const worker of workers) worker.process.kill('SIGKILL');
    throw error;
  }
  const metricsPort = config.metrics ? await serveClusterMetrics(config.metrics) : null;
  logger.info(
    { apiPort: started.apiPort, enrollPort: started.enrollPort, metricsPort, database: config.database.kind, workers: config.workers },
    'gateway started',
  );

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal during shutdown: stopping the workers at once');
      for (const worker of workers) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, workers: workers.size }, 'shutting down the workers');
    // A message rather than the signal: after Ctrl-C the workers have the terminal's SIGINT too,
    // and a second signal would make them give up on the requests in flight.
    for (const worker of workers) worker.send(SHUTDOWN_MESSAGE);
    const waitForWorkers = () => {
      if (workers.size > 0) return void setTimeout(waitForWorkers, 50);
      logger.info({ clean: !failed }, 'stopped');
      process.exit(failed ? 1 : 0);
    };
    waitForWorkers();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The Prometheus listener of a cluster: every worker's metrics, summed (prom-client's aggregator). */
async function serveClusterMetrics(metrics: NonNullable<GatewayConfig['metrics']>): Promise<number> {
  const aggregator = new AggregatorRegistry();
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return void res.writeHead(404).end();
    aggregator.clusterMetrics().then(
      (text) => res.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(metrics.port, metrics.host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
