import type { EntityManager } from 'typeorm';
import type { Clock } from '../../src/common/clock';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { RateLimitBucket } from '../../src/common/rate-limit-bucket.entity';
import { RateLimiter } from '../../src/common/rate-limiter';
import type { Database } from '../../src/db/database';
import { TestGateway } from '../helpers/gateway';

/**
 * The shared fixed-window limiter (partner requests, enrollment codes, administrators' password
 * checks) as several gateway instances use it at once: each reads its own clock, and a request
 * may read it and then wait for the database while another instance's request, with a clock a
 * few milliseconds ahead, goes first.
 */
describe('the rate limiter shared by gateway instances', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  const fixedClock = (at: Date): Clock => ({ now: () => at });

  /** Takes one slot; true when granted, false when refused with RATE_LIMITED. */
  const granted = (limiter: RateLimiter, key: string, max: number) =>
    limiter
      .take(key, 60_000, max, (s) => `try again in ${s} s`)
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof DomainError && error.code === ErrorCode.RATE_LIMITED) return false;
          throw error;
        },
      );

  /**
   * The gateway's database, seen by an instance that pauses right after the transaction in which
   * `key`'s row first appears, until `resume` is called: the moment between creating a new key's
   * row and taking its first slot, when another instance's requests get in.
   */
  function pausingOnceKeyExists(key: string) {
    const db = gw.gateway.services.db;
    let paused = false;
    let resume!: () => void;
    let signalPaused!: () => void;
    const whenPaused = new Promise<void>((resolve) => (signalPaused = resolve));
    const gate = new Promise<void>((resolve) => (resume = resolve));
    const pausing: Database = Object.create(db);
    pausing.transaction = async <T>(work: (manager: EntityManager) => Promise<T>) => {
      const result = await db.transaction(work);
      if (!paused && (await db.writableManager.existsBy(RateLimitBucket, { bucketKey: key }))) {
        paused = true;
        signalPaused();
        await gate;
      }
      return result;
    };
    return { db: pausing, whenPaused, resume };
  }

  it('failing: a new key whose row one instance has just created, raced by an instance with a clock 50 ms behind, grants exactly max slots in its window', async () => {
    const max = 5;
    const key = `race:${Date.now()}`;
    const now = Date.now();
    const ahead = pausingOnceKeyExists(key);
    const instanceAhead = new RateLimiter(ahead.db, fixedClock(new Date(now + 50)));
    const instanceBehind = new RateLimiter(gw.gateway.services.db, fixedClock(new Date(now)));

    const first = granted(instanceAhead, key, max);
    await ahead.whenPaused;
    const behind = await Promise.all(Array.from({ length: max + 2 }, () => granted(instanceBehind, key, max)));
    ahead.resume();
    const rest = await Promise.all([first, ...Array.from({ length: max }, () => granted(instanceAhead, key, max))]);

    expect([...behind, ...rest].filter(Boolean)).toHaveLength(max);
    const bucket = await gw.gateway.services.db.writableManager.findOneByOrFail(RateLimitBucket, { bucketKey: key });
    expect(bucket.hits).toBe(max);
  });
});
