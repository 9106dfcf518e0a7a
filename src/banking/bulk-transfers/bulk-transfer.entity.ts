import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { yen } from '../../db/columns';
import type { AccountType } from '../accounts/account.entity';
import { OrderStatus } from '../orders/order-status';
import { PaymentOrder } from '../orders/payment-order.entity';

/**
 * A bulk transfer moves as one: its statuses are those of every payment order, for all of its
 * lines at once. The same values as TransferStatus under their own GraphQL enum name
 * (BulkTransferStatus), hence an object of their own.
 */
export const BulkTransferStatus = { ...OrderStatus } as const;
export type BulkTransferStatus = OrderStatus;

export enum BulkTransferSource {
  /** A Zengin 総合振込 file (importBulkTransfer). */
  ZENGIN_FILE = 'ZENGIN_FILE',
  /** Lines sent as JSON (createBulkTransfer). */
  JSON = 'JSON',
}

/** 総合振込: many transfers from one account, confirmed, approved, limited and executed together (all or nothing). */
@Entity('bulk_transfers')
@Index('IDX_bulk_transfers_contract_status', ['contractId', 'status', 'id'])
@Index('IDX_bulk_transfers_status_executionDate', ['status', 'executionDate'])
export class BulkTransfer extends PaymentOrder {
  @Column({ type: 'varchar', length: 16 })
  source!: BulkTransferSource;

  /** 振込依頼人名 of the file's header, half-width as the file has it. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  requesterName!: string | null;

  @Column({ type: 'int' })
  lineCount!: number;

  @Column(yen())
  totalAmount!: number;
}

/** One transfer of a bulk transfer, checked against the Zengin rules and the bank directory. */
@Entity('bulk_transfer_lines')
@Index('UQ_bulk_transfer_lines_line', ['bulkTransferId', 'lineNumber'], { unique: true })
export class BulkTransferLine {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  bulkTransferId!: number;

  /** 1 to lineCount, in the order given (in a file, the data record numbered lineNumber + 1). */
  @Column({ type: 'int' })
  lineNumber!: number;

  @Column({ type: 'varchar', length: 4 })
  bankCode!: string;

  /** The official name from the zengin-code directory. */
  @Column({ type: 'varchar', length: 64 })
  bankName!: string;

  @Column({ type: 'varchar', length: 3 })
  branchCode!: string;

  @Column({ type: 'varchar', length: 64 })
  branchName!: string;

  @Column({ type: 'varchar', length: 16 })
  accountType!: AccountType;

  @Column({ type: 'varchar', length: 7 })
  accountNumber!: string;

  /** 受取人名 as the bank stores it (normalizePayeeName: full-width katakana). */
  @Column({ type: 'varchar', length: 100 })
  payeeName!: string;

  @Column(yen())
  amount!: number;

  @Column({ type: 'varchar', length: 10, nullable: true })
  customerCode1!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  customerCode2!: string | null;

  /** EDI情報 (識別表示 Y), half-width. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  ediInfo!: string | null;
}
