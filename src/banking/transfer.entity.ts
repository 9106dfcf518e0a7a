import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime, yen } from '../db/columns';
import type { AccountType } from './account.entity';

export enum TransferStatus {
  /** Waiting for another user with TRANSFER_APPROVAL (maker ≠ checker). */
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  EXECUTED = 'EXECUTED',
  /** Rejected by an approver; its reserved limit is released. */
  REJECTED = 'REJECTED',
}

/** A transfer (振込) from a contract's account to any bank account in Japan. */
@Entity('transfers')
@Index('IDX_transfers_contract_status', ['contractId', 'status', 'id'])
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

  /** The business day (Asia/Tokyo) whose limits the transfer counts against. */
  @Column({ type: 'varchar', length: 10 })
  businessDate!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: TransferStatus;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime({ nullable: true }))
  decidedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectionReason!: string | null;
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
