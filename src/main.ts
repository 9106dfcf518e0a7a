import 'reflect-metadata';
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { offsetClock } from './common/clock';
import { createLogger } from './common/logger';
import { ConfigError, loadConfig } from './config';
import { demoPaths } from './demo/demo-data';
import { Gateway } from './gateway';
import { runCluster, SHUTDOWN_MESSAGE, type WorkerStarted } from './server/cluster';

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
    config: worker ? { ...config, metrics: null } : config,
    clock: offsetClock(config.clockOffsetMs),
    logger,
  });
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

  if (gateway.demoCredentials && (worker === null || worker === 1)) {
    const host = config.listenHost === '127.0.0.1' || config.listenHost === '0.0.0.0' ? 'localhost' : config.listenHost;
    const rel = (file: string) => file.replace(process.cwd() + '/', '');
    const user01 = demoPaths(config.pki.certsDir, 'user01');
    console.log(`
Corporate Internet Banking Gateway (development, demo data)
  Web app (client certificate required): https://${host}:${gateway.apiPort}/   GraphQL: /graphql   GraphiQL: /graphiql
  電子証明書取得 (no client certificate):  https://${host}:${gateway.enrollPort}/
  Bank CA: ${rel(config.pki.caCertPath)}   demo identities: ${rel(user01.certificate.replace(/user01\.crt\.pem$/, ''))}

Demo passwords (development only; also in ${rel(user01.credentials)}):
${Object.entries(gateway.demoCredentials)
  .map(
    ([id, c]) =>
      `  ${id.padEnd(11)} loginPassword ${c.loginPassword}  confirmationPassword ${c.confirmationPassword}  .p12 ${c.p12Password}`,
  )
  .join('\n')}

Try it:
  curl --cacert ${rel(config.pki.caCertPath)} --cert ${rel(user01.certificate)} --key ${rel(user01.privateKey)} \\
    -H 'content-type: application/json' -d '{"query":"{ whoami { loginId } }"}' https://${host}:${gateway.apiPort}/graphql
`);
  }

  // Shutdown (SIGTERM from a process manager, SIGINT from Ctrl-C): stop accepting, let the
  // requests in flight finish within SHUTDOWN_GRACE_SECONDS, then exit 0. Exit 1 says the stop
  // was not clean: requests were cut off at the deadline, or a second signal forced it.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal during shutdown: exiting at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceSeconds: config.shutdownGraceSeconds }, 'shutting down');
    // A last resort, should stopping GraphQL or closing the database itself hang.
    setTimeout(
      () => {
        logger.error('shutdown did not finish in time');
        process.exit(1);
      },
      config.shutdownGraceSeconds * 1000 + 10_000,
    ).unref();
    gateway.stop().then(
      ({ cutOff }) => {
        if (cutOff > 0) {
          logger.warn({ cutOff }, 'requests still unanswered at the end of the grace period were cut off');
          process.exit(1);
        }
        logger.info('stopped');
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (worker) {
    process.on('message', (message) => message === SHUTDOWN_MESSAGE && !stopping && stop('SIGTERM'));
    // The primary is gone (killed): nobody hands this worker connections any more.
    process.on('disconnect', () => !stopping && stop('SIGTERM'));
  }
}

main().catch((error) => {
  console.error(`The gateway could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
