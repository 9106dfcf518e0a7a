import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity';
import { dateTime } from '../db/columns';

/**
 * Whether a certificate may still be used, or was revoked (lost PC, renewal, re-contract). Not to
 * be confused with CertificateStatus (auth/whoami.types.ts): how long a certificate stays valid.
 */
export enum RevocationStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
}

/** A client certificate (電子証明書) issued by the bank CA to one user ID on one PC. */
@Entity('certificates')
@Index('UQ_certificates_issuer_serial', ['issuer', 'serialNumber'], { unique: true })
export class Certificate {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('IDX_certificates_userId')
  @Column({ type: 'int' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_certificates_user' })
  user!: Relation<User>;

  /** SHA-256 of the DER certificate, lower-case hex: the identity looked up on every request. */
  @Index('UQ_certificates_fingerprint', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ type: 'varchar', length: 255 })
  issuer!: string;

  /** Upper-case hex, as Node's TLS reports it. */
  @Column({ type: 'varchar', length: 64 })
  serialNumber!: string;

  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  @Column(dateTime())
  notBefore!: Date;

  @Column(dateTime())
  notAfter!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: RevocationStatus;

  /**
   * Equals userId while the certificate is active and is NULL otherwise. Its unique index makes
   * "one active certificate per user ID" (R2, 1ID・1枚) a rule of the schema, not only of the code.
   */
  @Index('UQ_certificates_activeUserId', { unique: true })
  @Column({ type: 'int', nullable: true })
  activeUserId!: number | null;

  @Column(dateTime({ nullable: true }))
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  revocationReason!: string | null;

  @Column(dateTime())
  createdAt!: Date;
}
