import pino, { type Logger } from 'pino';

/** How long a log line may wait in the buffer before it is written. */
const FLUSH_INTERVAL_MS = 200;

/**
 * The process's logger: JSON lines on stdout, buffered. One write(2) per access-log line cost a
 * tenth of the CPU under load (bench profile); lines are now written in 4 KiB chunks, at the
 * latest FLUSH_INTERVAL_MS after they were logged, and pino flushes the rest when the process
 * exits. A SIGKILL can lose the last FLUSH_INTERVAL_MS of lines (docs/operations.md). Larger
 * chunks would save CPU but break lines: WORKERS share stdout, and a write to a pipe is whole
 * only up to PIPE_BUF (4 KiB); 60 KiB chunks interleaved two workers' lines (bank-days spec).
 */
export function createLogger(level: string): Logger {
  return pino({ level }, pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: FLUSH_INTERVAL_MS }));
}
