import type { Logger } from 'pino';
import type { Gateway } from '../gateway';
import { SHUTDOWN_MESSAGE } from './cluster';

/**
 * Shutdown (SIGTERM from a process manager, SIGINT from Ctrl-C; a worker of WORKERS=N also on the
 * primary's message or its disappearance): stop accepting, let the requests in flight finish
 * within the grace period, then exit 0. Exit 1 says the stop was not clean: requests were cut off
 * at the deadline, or a second signal forced it.
 */
export function stopOnSignals(gateway: Gateway, logger: Logger, graceSeconds: number, isWorker: boolean): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal during shutdown: exiting at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceSeconds }, 'shutting down');
    // A last resort, should stopping GraphQL or closing the database itself hang.
    setTimeout(
      () => {
        logger.error('shutdown did not finish in time');
        process.exit(1);
      },
      graceSeconds * 1000 + 10_000,
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
  if (isWorker) {
    process.on('message', (message) => message === SHUTDOWN_MESSAGE && !stopping && stop('SIGTERM'));
    // The primary is gone (killed): nobody hands this worker connections any more.
    process.on('disconnect', () => !stopping && stop('SIGTERM'));
  }
}
