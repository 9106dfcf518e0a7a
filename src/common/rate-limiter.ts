import { LessThanOrEqual, type EntityManager } from 'typeorm';
import { moveCounters } from '../db/counters';
import type { Database } from '../db/database';
import type { Clock } from './clock';
import { DomainError, ErrorCode } from './domain-error';
import { RateLimitBucket } from './rate-limit-bucket.entity';

const MAX_KEY_LENGTH = 128; // the bucketKey column
const PURGE_INTERVAL_MS = 60_000;
const ATTEMPTS = 5;
/**
 * A new key's row starts with a window that ended long ago, whichever instance's clock reads
 * it. Not the creator's `now`: a request on another instance that read its clock a moment
 * earlier would take that for a window still open and count into it, and the creator's restart
 * a moment later would wipe those counts (more than `max` through; seen across two instances).
 */
const NEVER_OPENED = new Date(0);

/** A slot taken in a bucket's window; give it back if the guarded attempt turns out not to count. */
export interface RateLimitSlot {
  readonly key: string;
  readonly windowEndsAt: Date;
  /** Slots already taken in this window before this one (attempts counted or still in flight). */
  readonly takenBefore: number;
}

/** The refusal's message, given the seconds until the window frees. */
export type RateLimitMessage = (retryAfterSeconds: number) => string;

/**
 * Fixed-window limits shared by every gateway instance, kept in the database. A slot is taken by
 * one conditional UPDATE (`hits < max`) before the guarded work, so parallel requests on any
 * number of instances never get more than `max` through; a slot is given back when the work
 * turns out not to count. Rows whose window has ended are purged now and then.
 */
export class RateLimiter {
  private nextPurgeAt = 0;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes one slot of `key`'s current window, or throws RATE_LIMITED (details.retryAfterSeconds)
   * once `max` are taken. With `max` null the slot is only counted, never refused.
   */
  async take(key: string, windowMs: number, max: number | null, message: RateLimitMessage): Promise<RateLimitSlot> {
    if (key.length > MAX_KEY_LENGTH) throw new Error(`rate-limit key longer than ${MAX_KEY_LENGTH} characters`);
    const now = this.clock.now();
    await this.purgeExpired(now);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const outcome = await this.db.transaction((m) => this.tryTake(m, key, now, windowMs, max));
      if (outcome === 'missing') {
        await this.createBucket(key);
        continue;
      }
      if (outcome === 'changed') continue;
      if ('retryAfterSeconds' in outcome) {
        const { retryAfterSeconds } = outcome;
        throw new DomainError(ErrorCode.RATE_LIMITED, message(retryAfterSeconds), { retryAfterSeconds });
      }
      return outcome;
    }
    // The row kept changing under us: refuse rather than let an attempt through uncounted.
    const retryAfterSeconds = 1;
    throw new DomainError(ErrorCode.RATE_LIMITED, message(retryAfterSeconds), { retryAfterSeconds });
  }

  /**
   * Creates a key's row with its window already ended, in a transaction of its own and ignoring
   * a row that another request created first: first slots racing to insert inside their
   * counting transactions deadlock on MySQL's gap locks.
   */
  private async createBucket(key: string): Promise<void> {
    await this.db.transaction((m) =>
      m
        .createQueryBuilder()
        .insert()
        .into(RateLimitBucket)
        .values({ bucketKey: key, windowEndsAt: NEVER_OPENED, hits: 0 })
        .orIgnore()
        .execute(),
    );
  }

  private async tryTake(
    m: EntityManager,
    key: string,
    now: Date,
    windowMs: number,
    max: number | null,
  ): Promise<RateLimitSlot | { retryAfterSeconds: number } | 'missing' | 'changed'> {
    const windowEndsAt = new Date(now.getTime() + windowMs);
    // A window ending more than a window beyond that was opened by a clock that has since gone
    // back a long way; it is treated as ended rather than kept longer than the limit says. (The
    // margin of a whole window leaves room for the clocks of several instances to differ.)
    const implausibleEnd = new Date(now.getTime() + 2 * windowMs);
    const counted = await moveCounters(
      m,
      RateLimitBucket,
      { match: { bucketKey: key }, condition: 'windowEndsAt > :now AND windowEndsAt <= :implausibleEnd', params: { now, implausibleEnd } },
      [{ column: 'hits', by: 1, ...(max !== null ? { max } : {}) }],
    );
    if (counted) {
      // The row stays locked by our UPDATE until commit, so this read is our own count.
      const row = await m.findOneByOrFail(RateLimitBucket, { bucketKey: key });
      return { key, windowEndsAt: row.windowEndsAt, takenBefore: row.hits - 1 };
    }
    const restarted = await m
      .createQueryBuilder()
      .update(RateLimitBucket)
      .set({ hits: 1, windowEndsAt })
      .where('bucketKey = :key AND (windowEndsAt <= :now OR windowEndsAt > :implausibleEnd)', { key, now, implausibleEnd })
      .execute();
    if (restarted.affected) return { key, windowEndsAt, takenBefore: 0 };
    const row = await m.findOneBy(RateLimitBucket, { bucketKey: key });
    if (!row) return 'missing';
    const current = row.windowEndsAt.getTime() > now.getTime() && row.windowEndsAt.getTime() <= implausibleEnd.getTime();
    if (current && max !== null && row.hits >= max) {
      // Capped at one window: a request that read the clock a little before the window opened.
      const seconds = Math.ceil((row.windowEndsAt.getTime() - now.getTime()) / 1000);
      return { retryAfterSeconds: Math.min(Math.max(1, seconds), Math.ceil(windowMs / 1000)) };
    }
    return 'changed'; // another instance changed the row between our statements: take again
  }

  /** Gives a slot back; a window that has restarted since is left alone. */
  async giveBack(slot: RateLimitSlot): Promise<void> {
    await this.db.transaction((m) =>
      moveCounters(m, RateLimitBucket, { match: { bucketKey: slot.key, windowEndsAt: slot.windowEndsAt } }, [
        { column: 'hits', by: -1, min: 0 },
      ]),
    );
  }

  /**
   * Deletes the rows whose window has ended, at most once a minute per process (no timer, so
   * nothing keeps the process alive): the table holds only the keys active in the last window.
   */
  private async purgeExpired(now: Date): Promise<void> {
    if (now.getTime() < this.nextPurgeAt) return;
    this.nextPurgeAt = now.getTime() + PURGE_INTERVAL_MS;
    await this.db
      .transaction((m) => m.delete(RateLimitBucket, { windowEndsAt: LessThanOrEqual(now) }))
      // A failed purge only delays the clean-up until the next one; the limits are unaffected.
      .catch(() => undefined);
  }
}
