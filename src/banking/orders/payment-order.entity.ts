import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../../db/columns';
import type { HoldRule } from '../holds/hold-rule';
import { OrderStatus } from './order-status';

/**
 * The columns every payment order has, whatever its kind: who made and decided it, from which
 * account, when it runs, and where it stands. Each kind is its own table (transfers,
 * bulk_transfers) with these columns plus its own.
 */
export abstract class PaymentOrder {
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

  /** Who approved or rejected it (the checker); null until then, and for a cancelled order. */
  @Column({ type: 'int', nullable: true })
  approverUserId!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  approverCertificateFingerprint!: string | null;

  /**
   * 取引認証: the binding (approval-binding.ts) of the order as approved — payee, amount, date,
   * account. Execution computes it again from the stored order and refuses any difference. Null
   * until approved, and for an order that needed no approval.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  approvalBinding!: string | null;

  /** The passkey whose assertion approved it; null when approved without one (where the contract allows it). */
  @Column({ type: 'int', nullable: true })
  approvalPasskeyId!: number | null;

  /**
   * Made by a partner (連携先) under this consent (partner_grants) on the maker's behalf; null: by
   * the maker in person. Such an order always waits for approval (order-creation.ts).
   */
  @Column({ type: 'int', nullable: true })
  partnerGrantId!: number | null;

  /** The partner's name as it was when it made the order, for the approver to see. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  partnerName!: string | null;

  /** The day (Asia/Tokyo) it was accepted (受付日). */
  @Column({ type: 'varchar', length: 10 })
  businessDate!: string;

  /**
   * The day the customer asked for (振込指定日: a transfer's transferDate, a file header's date),
   * YYYY-MM-DD; then executionDate is this day and is never moved. Null: the first day possible.
   */
  @Column({ type: 'varchar', length: 10, nullable: true })
  requestedDate!: string | null;

  /** The bank business day it runs on (YYYY-MM-DD, Asia/Tokyo), whose daily limits it counts against. */
  @Column({ type: 'varchar', length: 10 })
  executionDate!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: OrderStatus;

  @Column(dateTime())
  createdAt!: Date;

  /** When it was approved, rejected or cancelled (or executed, needing no approval). */
  @Column(dateTime({ nullable: true }))
  decidedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectionReason!: string | null;

  /** When the money moved. */
  @Column(dateTime({ nullable: true }))
  executedAt!: Date | null;

  /** The fraud-control rule that held it (a HoldRule), kept after a release or cancellation; null: never held. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  holdRule!: HoldRule | null;

  /** When it was held: made, or approved, with a rule against it. */
  @Column(dateTime({ nullable: true }))
  heldAt!: Date | null;

  /** Why it FAILED on its execution date: an ErrorCode (INSUFFICIENT_FUNDS, CONTRACT_STOPPED). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  failureCode!: string | null;
}
