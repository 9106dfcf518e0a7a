import { Column, Entity, Index } from 'typeorm';
import { dateTime } from '../../db/columns';
import { LinesOrder, OrderLine } from '../lines/order-line.entity';
import { OrderStatus } from '../orders/order-status';

/** A salary transfer's statuses are those of every payment order, under their own GraphQL enum name (SalaryTransferStatus). */
export const SalaryTransferStatus = { ...OrderStatus } as const;
export type SalaryTransferStatus = OrderStatus;

/** 給与 or 賞与: the Zengin 種別コード 11 or 12. */
export enum SalaryCategory {
  /** 給与振込, 種別コード 11. */
  SALARY = 'SALARY',
  /** 賞与振込, 種別コード 12. */
  BONUS = 'BONUS',
}

/**
 * 給与・賞与振込: a company's pay to its employees, from one account, as one order of lines. The
 * employees are credited on the payday (振込指定日); the company's account is debited on the
 * business day before it (executionDate), which is also the day whose salary limit it counts against.
 */
@Entity('salary_transfers')
@Index('IDX_salary_transfers_contract_status', ['contractId', 'status', 'id'])
@Index('IDX_salary_transfers_contract_id', ['contractId', 'id'])
@Index('IDX_salary_transfers_status_executionDate', ['status', 'executionDate'])
export class SalaryTransfer extends LinesOrder {
  @Column({ type: 'varchar', length: 8 })
  category!: SalaryCategory;

  /** 振込指定日: the bank business day the employees are paid, YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  payday!: string;

  /** The last moment it may be approved: the cut-off, SALARY_SUBMISSION_BUSINESS_DAYS business days before the payday. */
  @Column(dateTime())
  submissionDeadline!: Date;
}

/** One employee's pay of a salary transfer. */
@Entity('salary_transfer_lines')
@Index('UQ_salary_transfer_lines_line', ['salaryTransferId', 'lineNumber'], { unique: true })
export class SalaryTransferLine extends OrderLine {
  @Column({ type: 'int' })
  salaryTransferId!: number;
}
