import 'reflect-metadata';
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { createLogger } from './common/logger';
import { ConfigError, loadConfig } from './config';
import { welcomeBanner } from './demo/welcome-banner';
import { Gateway } from './gateway';
import { runCluster, type WorkerStarted } from './server/cluster';
import { stopOnSignals } from './server/shutdown-signals';

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
  const gateway = await Gateway.start({ config: worker ? { ...config, metrics: null } : config, logger });
  const listening = { apiPort: gateway.apiPort, enrollPort: gateway.enrollPort };
  if (worker) {
    // Constructing one is what makes a worker answer the primary's requests for its metrics.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([gateway.observability.registry]);
    logger.info(listening, 'worker started');
    process.send!({ kind: 'started', ...listening } satisfies WorkerStarted);
  } else {
    logger.info({ ...listening, metricsPort: gateway.metricsPort, database: config.database.kind }, 'gateway started');
  }

  if (gateway.demoCredentials && (worker === null || worker === 1)) console.log(welcomeBanner(config, gateway));

  stopOnSignals(gateway, logger, config.shutdownGraceSeconds, worker !== null);
}

main().catch((error) => {
  console.error(`The gateway could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
