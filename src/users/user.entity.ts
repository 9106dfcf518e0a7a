import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, type ValueTransformer } from 'typeorm';
import { dateTime, yen } from '../db/columns';
import { Contract } from '../contract/contract.entity';

export enum Role {
  /** Bank staff (当金庫). */
  OPERATOR = 'OPERATOR',
  /** The customer's administrator (管理者). */
  ADMIN = 'ADMIN',
  /** The customer's user (利用者). */
  USER = 'USER',
}

/** Business permissions (業務権限). */
export enum Permission {
  /** Balances and statements. */
  ACCOUNT_INQUIRY = 'ACCOUNT_INQUIRY',
  /** Create transfers. */
  TRANSFER = 'TRANSFER',
  /** Approve or reject other users' transfers. */
  TRANSFER_APPROVAL = 'TRANSFER_APPROVAL',
  /** Register, change and delete the contract's payees (振込先登録). */
  PAYEE_MANAGEMENT = 'PAYEE_MANAGEMENT',
  /** Make salary and bonus transfers (給与・賞与振込). */
  SALARY_TRANSFER = 'SALARY_TRANSFER',
  /** Approve or reject other users' salary and bonus transfers, and see every one of the contract's (payroll is personal data). */
  SALARY_APPROVAL = 'SALARY_APPROVAL',
}

const permissionList: ValueTransformer = {
  to: (value: Permission[] | undefined) => (value === undefined ? undefined : [...new Set(value)].sort().join(',')),
  // After an insert TypeORM hands back the value it wrote, which may already be the list.
  from: (value: string | Permission[] | null) => (Array.isArray(value) ? value : value ? (value.split(',') as Permission[]) : []),
};

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  /** Suspended by the administrator; resumed only by them. */
  SUSPENDED = 'SUSPENDED',
}

/**
 * A user ID (利用者ID). Holds password hashes, so it is never a GraphQL type: resolvers map it
 * to an output type field by field.
 */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Null for bank operators, who belong to no customer contract. */
  @Index('IDX_users_contractId')
  @Column({ type: 'int', nullable: true })
  contractId!: number | null;

  @ManyToOne(() => Contract, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contractId', foreignKeyConstraintName: 'FK_users_contract' })
  contract!: Relation<Contract> | null;

  @Index('UQ_users_loginId', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  loginId!: string;

  @Column({ type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ type: 'varchar', length: 16, default: UserStatus.ACTIVE })
  status!: UserStatus;

  /**
   * Consecutive wrong passwords (login and confirmation together) plus the checks in flight;
   * moved only by atomic SQL. The lock counts only the settled ones (failedAttempts - attemptsInFlight).
   */
  @Column({ type: 'int', default: 0 })
  failedAttempts!: number;

  /**
   * Password checks started but not finished, one password_checks row each. Each one has
   * already been counted in failedAttempts until it records its result or its lease runs out
   * (a crash mid-check holds the attempt until then, never longer); a success resets
   * failedAttempts to the checks still in flight, so none of them escapes the count.
   */
  @Column({ type: 'int', default: 0 })
  attemptsInFlight!: number;

  @Column(dateTime({ nullable: true }))
  lockedAt!: Date | null;

  @Column({ type: 'varchar', length: 255 })
  loginPasswordHash!: string;

  @Column(dateTime())
  loginPasswordChangedAt!: Date;

  /** Set by a reset: the password must be changed before anything else. */
  @Column({ type: 'boolean', default: false })
  loginPasswordTemporary!: boolean;

  @Column({ type: 'varchar', length: 255 })
  confirmationPasswordHash!: string;

  @Column(dateTime())
  confirmationPasswordChangedAt!: Date;

  @Column({ type: 'boolean', default: false })
  confirmationPasswordTemporary!: boolean;

  @Column(dateTime({ nullable: true }))
  lastLoginAt!: Date | null;

  /** The login before lastLoginAt (前回ログイン日時), shown after login so the user spots misuse. */
  @Column(dateTime({ nullable: true }))
  previousLoginAt!: Date | null;

  @Column({ type: 'varchar', length: 200, default: '', transformer: permissionList })
  permissions!: Permission[];

  /** 利用限度額: the most one transfer may move, in whole yen (0: none). */
  @Column(yen({ default: 0 }))
  transferLimitPerTransaction!: number;

  /** 利用限度額: the most this user may move per business day, in whole yen. */
  @Column(yen({ default: 0 }))
  dailyTransferLimit!: number;

  /** Where notices (notices/) go; set by the user or the administrator. Null: no e-mail. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  emailAddress!: string | null;
  /**
   * A raise of the limits set by the administrator, waiting LIMIT_RAISE_DELAY_HOURS until
   * `limitRaiseEffectiveAt` (admin/limit-raises.ts); null: none waiting.
   */
  @Column(yen({ nullable: true }))
  pendingTransferLimitPerTransaction!: number | null;

  @Column(yen({ nullable: true }))
  pendingDailyTransferLimit!: number | null;

  @Column(dateTime({ nullable: true }))
  limitRaiseEffectiveAt!: Date | null;

  @Column(dateTime())
  createdAt!: Date;
}
