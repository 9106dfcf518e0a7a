import { LessThanOrEqual } from 'typeorm';
import type { Clock } from './clock';
import { DomainError, ErrorCode } from './domain-error';
import type { Database } from '../db/database';
import { RateLimitBucket } from './rate-limit-bucket.entity';

/**
 * Fixed-window limits shared by every gateway instance, moved only by conditional updates in
 * the database (a hit is counted before the guarded work is done).
 */
export class RateLimiter {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Counts one hit on `key`; throws RATE_LIMITED once `max` hits fall in the current window. */
  async hit(key: string, max: number, windowMs: number, message: string): Promise<void> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - windowMs);
    const hits = this.db.dataSource.driver.escape('hits');
    for (let attempt = 0; attempt < 3; attempt++) {
      const allowed = await this.db.transaction(async (m) => {
        const counted = await m
          .createQueryBuilder()
          .update(RateLimitBucket)
          .set({ hits: () => `${hits} + 1` })
          .where('bucketKey = :key AND windowStartedAt > :windowStart', { key, windowStart })
          .andWhere(`${hits} < :max`, { max })
          .execute();
        if (counted.affected) return true;
        const restarted = await m.update(
          RateLimitBucket,
          { bucketKey: key, windowStartedAt: LessThanOrEqual(windowStart) },
          { hits: 1, windowStartedAt: now },
        );
        if (restarted.affected) return true;
        if (await m.existsBy(RateLimitBucket, { bucketKey: key })) return false;
        await m.insert(RateLimitBucket, { bucketKey: key, windowStartedAt: now, hits: 1 });
        return true;
      }).catch((error: unknown) => {
        // Two first hits raced to insert the bucket: count again against the row that won.
        if (/duplicate|unique/i.test(String((error as Error).message))) return null;
        throw error;
      });
      if (allowed === true) return;
      if (allowed === false) throw new DomainError(ErrorCode.RATE_LIMITED, message);
    }
    throw new DomainError(ErrorCode.RATE_LIMITED, message);
  }
}
