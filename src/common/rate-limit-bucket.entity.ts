import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateTime } from '../db/columns';

/** A fixed-window counter shared by every gateway instance (e.g. enrollment attempts per login ID). */
@Entity('rate_limit_buckets')
export class RateLimitBucket {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  bucketKey!: string;

  @Column(dateTime())
  windowStartedAt!: Date;

  @Column({ type: 'int' })
  hits!: number;
}
