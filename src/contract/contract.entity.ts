import { Column, Entity, Index, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';
import { dateTime, yen } from '../db/columns';
import { NoticeTopic } from '../notices/notice-topic';

const topicList: ValueTransformer = {
  to: (value: NoticeTopic[] | undefined) => (value === undefined ? undefined : [...new Set(value)].sort().join(',')),
  from: (value: string | NoticeTopic[] | null) => (Array.isArray(value) ? value : value ? (value.split(',') as NoticeTopic[]) : []),
};

export enum ContractStatus {
  ACTIVE = 'ACTIVE',
  /** Emergency stop (緊急停止): only the bank resumes it. */
  STOPPED = 'STOPPED',
  /** Cancelled; a re-contract is a new contract with new user IDs and certificates. */
  TERMINATED = 'TERMINATED',
}

/** A contract's choice of 取引認証 for approvals (null: the bank's default by amount). */
export enum PasskeyApproval {
  /** Every approval of the contract's orders takes a passkey. */
  REQUIRED = 'REQUIRED',
  /** No approval requires one (a passkey given is still checked). */
  OPTIONAL = 'OPTIONAL',
}

/** A corporate customer's contract (契約). */
@Entity('contracts')
export class Contract {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The contract number the bank's staff and the customer quote. */
  @Index('UQ_contracts_code', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16, default: ContractStatus.ACTIVE })
  status!: ContractStatus;

  @Column(dateTime({ nullable: true }))
  statusChangedAt!: Date | null;

  /**
   * R15: addresses (IPv4/IPv6, CIDR) the contract's users may connect from, comma-separated.
   * Empty: from anywhere, in Japan or abroad.
   */
  @Column({ type: 'varchar', length: 1000, default: '' })
  ipAllowList!: string;

  /** 利用限度額 of the whole contract per business day, whole yen (0: no transfers). */
  @Column(yen({ default: 0 }))
  dailyTransferLimit!: number;

  /**
   * 利用限度額 for salary and bonus transfers (給与・賞与振込) per business day (their debit date),
   * whole yen, apart from the daily transfer limit (0: no salary transfers; the bank sets it with
   * the 給与振込 agreement).
   */
  @Column(yen({ default: 0 }))
  dailySalaryTransferLimit!: number;

  /**
   * 取引認証 for approvals: REQUIRED (every approval takes a passkey), OPTIONAL (never required), or
   * null for the bank's rule (required from PASSKEY_APPROVAL_REQUIRED_FROM yen).
   */
  @Column({ type: 'varchar', length: 16, nullable: true })
  passkeyApproval!: PasskeyApproval | null;

  /** Transfers wait for a second user's approval (maker ≠ checker) before they execute. */
  @Column({ type: 'boolean', default: false })
  requiresApproval!: boolean;

  /** メール通知設定: the topics the user concerned is told of by e-mail. */
  @Column({ type: 'varchar', length: 200, default: 'CREDENTIAL,EMERGENCY_STOP,LIMIT,LOGIN,ORDER', transformer: topicList })
  userNoticeTopics!: NoticeTopic[];

  /** メール通知設定: the topics the contract's administrators are told of by e-mail. */
  @Column({ type: 'varchar', length: 200, default: 'CREDENTIAL,EMERGENCY_STOP,LIMIT,ORDER', transformer: topicList })
  administratorNoticeTopics!: NoticeTopic[];

  @Column(dateTime())
  createdAt!: Date;
}
