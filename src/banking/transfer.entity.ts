import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime, yen } from '../db/columns';
import type { AccountType } from './account.entity';

export enum TransferStatus {
  /** Waiting for another user with TRANSFER_APPROVAL (maker ≠ checker). */
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  /** Approved (or needing no approval) and waiting for its execution date (予約): it runs when that day comes. */
  SCHEDULED = 'SCHEDULED',
  EXECUTED = 'EXECUTED',
  /** Rejected by an approver; its reserved limit is released. */
  REJECTED = 'REJECTED',
  /** Could not run on its execution date (failureCode says why); nothing moved and its reserved limit is released. */
  FAILED = 'FAILED',
}

/** A transfer (振込) from a contract's account to any bank account in Japan. */
@Entity('transfers')
@Index('IDX_transfers_contract_status', ['contractId', 'status', 'id'])
@Index('IDX_transfers_status_executionDate', ['status', 'executionDate'])
export class Transfer {
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

  /** 金融機関コード, four digits. */
  @Column({ type: 'varchar', length: 4 })
  destinationBankCode!: string;

  @Column({ type: 'varchar', length: 3 })
  destinationBranchCode!: string;

  @Column({ type: 'varchar', length: 16 })
  destinationAccountType!: AccountType;

  @Column({ type: 'varchar', length: 7 })
  destinationAccountNumber!: string;

  /** 受取人名 in katakana. */
  @Column({ type: 'varchar', length: 100 })
  payeeName!: string;

  @Column(yen())
  amount!: number;

  /** The day (Asia/Tokyo) the transfer was accepted (受付日). */
  @Column({ type: 'varchar', length: 10 })
  businessDate!: string;

  /** The bank business day it runs on (YYYY-MM-DD, Asia/Tokyo), whose daily limits it counts against. */
  @Column({ type: 'varchar', length: 10 })
  executionDate!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: TransferStatus;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime({ nullable: true }))
  decidedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectionReason!: string | null;

  /** When the money moved. */
  @Column(dateTime({ nullable: true }))
  executedAt!: Date | null;

  /** Why it FAILED on its execution date: an ErrorCode (INSUFFICIENT_FUNDS, CONTRACT_STOPPED). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  failureCode!: string | null;
}

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
