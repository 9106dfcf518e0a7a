import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id hashing (R6: the bank can never look a password up). @node-rs/argon2 runs on the
 * libuv thread pool, off the event loop; a semaphore bounds how many run at once so that a
 * login flood queues here instead of starving every other request.
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

  constructor(concurrency: number) {
    this.slots = new Semaphore(concurrency);
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => hash(normalizePassword(password), ARGON2ID));
  }

  /**
   * `beforeStart` runs once a hashing lane is free, just before hashing; if it throws, the
   * password is not hashed and the error is passed on (a queued check may have waited too long).
   */
  verify(passwordHash: string, password: string, beforeStart?: () => void): Promise<boolean> {
    return this.slots.run(() => {
      beforeStart?.();
      return verify(passwordHash, normalizePassword(password)).catch(() => false);
    });
  }
}
