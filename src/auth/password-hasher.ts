import path from 'node:path';
import { Algorithm } from '@node-rs/argon2';
import type { Logger } from 'pino';
import { Piscina } from 'piscina';

/**
 * argon2id hashing (R6: the bank can never look a password up) on worker threads of their own,
 * off the event loop. A semaphore bounds how many run at once, so that a login flood queues here;
 * on Linux the threads run `niceIncrement` below the event loop (Piscina with @napi-rs/nice), so
 * hashing takes the CPU that requests leave over instead of a share equal to theirs: during a
 * login storm other users' requests keep their pace, and logins take every idle cycle.
 */
const ARGON2ID = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 47_104, // KiB (46 MiB): above OWASP's 19 MiB minimum
  timeCost: 2,
  parallelism: 1,
} as const;

/** Full-width and half-width digits and letters are the same password (NFKC). */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

class Semaphore {
  private available: number;
  private readonly waiting: Array<() => void> = [];

  constructor(permits: number) {
    this.available = permits;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.available++;
    }
  }
}

export class PasswordHasher {
  private readonly slots: Semaphore;
  private readonly threads: Piscina;

  constructor(concurrency: number, niceIncrement: number, logger: Logger) {
    this.slots = new Semaphore(concurrency);
    // Only Linux gives each thread its own nice value: elsewhere nice(2) would lower the whole
    // process, event loop included, and Windows reads the number as a thread priority (some raise it).
    const linux = process.platform === 'linux';
    if (niceIncrement !== 0 && !linux)
      logger.warn({ platform: process.platform }, 'PASSWORD_HASH_NICE applies on Linux only; hashing runs at normal priority');
    this.threads = new Piscina({
      filename: path.join(__dirname, 'argon2.worker.cjs'),
      minThreads: concurrency,
      maxThreads: concurrency,
      idleTimeout: Infinity,
      niceIncrement: linux ? niceIncrement : 0,
    });
    // A thread that fails outside a hash (a running hash rejects its own check instead): logged, and Piscina starts another.
    this.threads.on('error', (error: Error) => logger.error({ reason: error.message }, 'a password hashing thread failed'));
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => this.threads.run({ password: normalizePassword(password), options: ARGON2ID }));
  }

  /**
   * `beforeStart` runs once a hashing lane is free, just before hashing; if it throws, the
   * password is not hashed and the error is passed on (a queued check may have waited too long).
   */
  verify(passwordHash: string, password: string, beforeStart?: () => void): Promise<boolean> {
    return this.slots.run(() => {
      beforeStart?.();
      return this.threads.run({ hash: passwordHash, password: normalizePassword(password), options: ARGON2ID });
    });
  }

  /** Ends the hashing threads (a check still running finishes first). */
  close(): Promise<void> {
    return this.threads.close();
  }
}
