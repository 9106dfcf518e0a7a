import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime, yen } from '../db/columns';
import type { AccountType } from './account.entity';

/** A bulk transfer moves as one: these are the statuses of a single transfer, for all of its lines at once. */
export enum BulkTransferStatus {
  /** Waiting for one approval by another user with TRANSFER_APPROVAL (maker ≠ checker). */
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  /** Approved (or needing no approval), waiting for its execution date. */
  SCHEDULED = 'SCHEDULED',
  /** Every line executed, in one transaction. */
  EXECUTED = 'EXECUTED',
  REJECTED = 'REJECTED',
  /** Could not run on its execution date (failureCode); no line moved and the reserved limits are released. */
  FAILED = 'FAILED',
}

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
export class BulkTransfer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  contractId!: number;

  @Column({ type: 'int' })
  accountId!: number;

  @Column({ type: 'int' })
  makerUserId!: number;

  @Column({ type: 'varchar', length: 64 })
  makerCertificateFingerprint!: string;

  @Column({ type: 'int', nullable: true })
  approverUserId!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  approverCertificateFingerprint!: string | null;

  @Column({ type: 'varchar', length: 16 })
  source!: BulkTransferSource;

  /** 振込依頼人名 of the file's header, half-width as the file has it. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  requesterName!: string | null;

  /** The transfer date the file's header (振込指定日) or the request asked for, YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  requestedDate!: string | null;

  @Column({ type: 'int' })
  lineCount!: number;

  @Column(yen())
  totalAmount!: number;

  /** The day (Asia/Tokyo) it was accepted (受付日). */
  @Column({ type: 'varchar', length: 10 })
  businessDate!: string;

  /** The bank business day it runs on; its total counts against this day's limits. */
  @Column({ type: 'varchar', length: 10 })
  executionDate!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: BulkTransferStatus;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime({ nullable: true }))
  decidedAt!: Date | null;

  @Column(dateTime({ nullable: true }))
  executedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectionReason!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  failureCode!: string | null;
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
