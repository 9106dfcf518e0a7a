import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { dateTime } from '../db/columns';

/**
 * A fixed-window counter shared by every gateway instance (e.g. wrong enrollment codes per
 * source address). One row per key; rows whose window has ended are purged.
 */
@Entity('rate_limit_buckets')
export class RateLimitBucket {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  bucketKey!: string;

  /** When the current window ends: the row is free to restart (or be purged) from then on. */
  @Index('IDX_rate_limit_buckets_windowEndsAt')
  @Column(dateTime())
  windowEndsAt!: Date;

  /** Slots taken in the window: attempts counted, including those still being evaluated. */
  @Column({ type: 'int' })
  hits!: number;
}
