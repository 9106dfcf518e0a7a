import { Column, Entity } from 'typeorm';
import { yen } from '../../db/columns';

/** Limit usage (利用限度額の使用額) per user or contract per business day; moved only by conditional updates. */
@Entity('limit_usage')
export class LimitUsage {
  /** "user:<id>" or "contract:<id>". */
  @Column({ type: 'varchar', length: 32, primary: true })
  scopeKey!: string;

  @Column({ type: 'varchar', length: 10, primary: true })
  businessDate!: string;

  @Column(yen())
  used!: number;
}
