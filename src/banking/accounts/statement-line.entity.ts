import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime, yen } from '../../db/columns';

export enum StatementDirection {
  /** 入金 */
  CREDIT = 'CREDIT',
  /** 出金 */
  DEBIT = 'DEBIT',
}

/** 入出金明細: one line per movement, written in the same transaction as the balance change. */
@Entity('statement_lines')
@Index('IDX_statement_lines_account', ['accountId', 'id'])
// A period's lines (downloads, the balance before a period) found by day, not by reading every
// earlier line of the account (migration 1765700000000-statement-days).
@Index('IDX_statement_lines_account_day', ['accountId', 'businessDate', 'id'])
export class StatementLine {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  accountId!: number;

  @Column(dateTime())
  occurredAt!: Date;

  /** The business day (Asia/Tokyo), YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  businessDate!: string;

  @Column({ type: 'varchar', length: 8 })
  direction!: StatementDirection;

  @Column(yen())
  amount!: number;

  @Column(yen())
  balanceAfter!: number;

  @Column({ type: 'varchar', length: 100 })
  description!: string;

  @Column({ type: 'int', nullable: true })
  transferId!: number | null;

  /** The bulk transfer (総合振込) a line of which this is: one statement line per line. */
  @Column({ type: 'int', nullable: true })
  bulkTransferId!: number | null;
}
