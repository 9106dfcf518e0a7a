import pino, { type Logger } from 'pino';

/** How long a log line may wait in the buffer before it is written. */
const FLUSH_INTERVAL_MS = 200;

/** A write(2) once this much is waiting: one per 4 KiB still cost a tenth of the CPU. */
const WRITE_BYTES = 60 * 1024;

/**
 * The process's logger: JSON lines on stdout, buffered. One write(2) per access-log line cost a
 * tenth of the CPU under load (bench profile), and so did one per 4 KiB: each write is handed to
 * libuv's thread pool, and on a busy core the hand-over costs about 150 µs. Lines are now written
 * in chunks of WRITE_BYTES, at the latest FLUSH_INTERVAL_MS after they were logged, and pino
 * flushes the rest when the process exits. A SIGKILL can lose the last FLUSH_INTERVAL_MS of lines
 * (docs/operations.md), as before.
 */
export function createLogger(level: string): Logger {
  return pino(
    { level },
    pino.destination({ dest: 1, sync: false, minLength: WRITE_BYTES, maxWrite: WRITE_BYTES + 4096, periodicFlush: FLUSH_INTERVAL_MS }),
  );
}
