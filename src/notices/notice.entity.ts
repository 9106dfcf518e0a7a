import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../db/columns';

export enum NoticeStatus {
  /** Waiting for a sender (or for its next attempt). */
  PENDING = 'PENDING',
  /** Accepted by the SMTP server. */
  SENT = 'SENT',
  /** No SMTP_URL (development): shown in the log and kept, nothing sent. */
  LOGGED = 'LOGGED',
  /** Given up after NOTICE_MAX_ATTEMPTS; the reason is kept. */
  FAILED = 'FAILED',
}

/**
 * The transactional outbox: one row per notice and recipient, written in the transaction of the
 * audited event it tells of, so a notice exists exactly when its event committed. Senders claim a
 * row with a lease (claimedBy, leaseUntil) by a conditional UPDATE.
 */
@Entity('notice_outbox')
@Index('IDX_notice_outbox_due', ['status', 'nextAttemptAt'])
export class Notice {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  contractId!: number;

  /** The recipient: the user concerned or one of the contract's administrators. */
  @Column({ type: 'int' })
  userId!: number;

  /** The address as it was when the event happened. */
  @Column({ type: 'varchar', length: 254 })
  emailAddress!: string;

  /** The audited action the notice tells of. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'varchar', length: 2000 })
  body!: string;

  @Column({ type: 'varchar', length: 16, default: NoticeStatus.PENDING })
  status!: NoticeStatus;

  /** Sends started (claims), moved only by the claiming UPDATE. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column(dateTime())
  nextAttemptAt!: Date;

  /** The instance holding the row, until leaseUntil; another may take it after. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  @Column(dateTime({ nullable: true }))
  leaseUntil!: Date | null;

  @Column(dateTime({ nullable: true }))
  sentAt!: Date | null;

  /** Why the last attempt failed (the SMTP server's answer, never a secret). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;

  @Column(dateTime())
  createdAt!: Date;
}
