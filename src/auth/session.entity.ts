import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity';
import { dateTime } from '../db/columns';

/** Why a session ended, as stored in `sessions.endReason` (the values predate the enum; keep them). */
export enum SessionEndReason {
  REPLACED = 'replaced',
  LOGOUT = 'logout',
  IDLE_TIMEOUT = 'idle_timeout',
  ABSOLUTE_TIMEOUT = 'absolute_timeout',
  CERTIFICATE_MISMATCH = 'certificate_mismatch',
  PASSWORD_RESET = 'password_reset',
  SUSPENDED = 'suspended',
  CERTIFICATE_REVOKED = 'certificate_revoked',
  CERTIFICATE_REISSUED = 'certificate_reissued',
  EMERGENCY_STOP = 'emergency_stop',
  CONTRACT_TERMINATED = 'contract_terminated',
}

/** A PIN session, bound to the certificate it was created on. The token itself is never stored. */
@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn()
  id!: number;

  /** SHA-256 of the token, hex. */
  @Index('UQ_sessions_tokenHash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('IDX_sessions_userId')
  @Column({ type: 'int' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_sessions_user' })
  user!: Relation<User>;

  @Column({ type: 'varchar', length: 64 })
  certificateFingerprint!: string;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime())
  lastSeenAt!: Date;

  /** The absolute timeout. */
  @Column(dateTime())
  expiresAt!: Date;

  @Column(dateTime({ nullable: true }))
  endedAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  endReason!: SessionEndReason | null;

  /** userId while the session is open, NULL once ended: one open session per user, by the schema. */
  @Index('UQ_sessions_activeUserId', { unique: true })
  @Column({ type: 'int', nullable: true })
  activeUserId!: number | null;
}
