import 'reflect-metadata';
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { offsetClock } from './common/clock';
import { createLogger } from './common/logger';
import { ConfigError, loadConfig, type GatewayConfig } from './config';
import { welcomeBanner } from './demo/welcome-banner';
import { Gateway } from './gateway';
import { runCluster, type WorkerStarted } from './server/cluster';
import { stopOnSignals } from './server/shutdown-signals';
import { extend } from './common/extend';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (config.workers > 1 && cluster.isPrimary) return runCluster(config, createLogger(config.logLevel));
  // A worker of WORKERS=N: the primary serves the metrics (summed over the workers) and says "gateway started".
  const worker = cluster.isWorker ? Number(process.env.GATEWAY_WORKER_INDEX) : null;
  const logger = worker ? createLogger(config.logLevel).child({ worker }) : createLogger(config.logLevel);
  const gateway = await Gateway.start({
    config: worker ? extend(config, { metrics: null }) : config,
    clock: offsetClock(config.clockOffsetMs),
    logger,
  }).catch((error: unknown) => {
    throw portTaken(error, config) ?? error;
  });
  const listening = { apiPort: gateway.apiPort, enrollPort: gateway.enrollPort };
  if (worker) {
    // Constructing one is what makes a worker answer the primary's requests for its metrics.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([gateway.observability.registry]);
    logger.info(listening, 'worker started');
    process.send!({ kind: 'started', ...listening } satisfies WorkerStarted);
  } else {
    logger.info(extend(listening, { metricsPort: gateway.metricsPort, database: config.database.kind }), 'gateway started');
  }

  if (gateway.demoCredentials && (worker === null || worker === 1)) console.log(welcomeBanner(config, gateway));

  stopOnSignals(gateway, logger, config.shutdownGraceSeconds, worker !== null);
}

/**
 * A listener's port already taken, most often by another copy of the gateway on this machine, named
 * by its setting with the way out, instead of Node's bare EADDRINUSE.
 */
function portTaken(error: unknown, config: GatewayConfig): Error | null {
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  if (code !== 'EADDRINUSE') return null;
  const ports = { API_PORT: config.apiPort, ENROLL_PORT: config.enrollPort, METRICS_PORT: config.metrics?.port };
  const setting = Object.entries(ports).find(([, value]) => value === port)?.[0];
  if (!setting) return null;
  return new Error(
    `${setting} ${port} is already in use (another copy of the gateway?): give each copy its own ports, e.g. API_PORT=9443 ENROLL_PORT=9444 METRICS_PORT=9465`,
  );
}

main().catch((error) => {
  console.error(`The gateway could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
