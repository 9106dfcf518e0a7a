import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../db/columns';

/**
 * A one-time enrollment code (R12): lets a user without a certificate acquire one on the
 * enrollment listener. Only its SHA-256 is stored; at most one is outstanding per user.
 */
@Entity('enrollment_codes')
export class EnrollmentCode {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('IDX_enrollment_codes_userId')
  @Column({ type: 'int' })
  userId!: number;

  @Index('UQ_enrollment_codes_codeHash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: 'int', nullable: true })
  issuedByUserId!: number | null;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime())
  expiresAt!: Date;

  @Column(dateTime({ nullable: true }))
  usedAt!: Date | null;

  /** userId while the code is outstanding, NULL once used or replaced. */
  @Index('UQ_enrollment_codes_outstandingUserId', { unique: true })
  @Column({ type: 'int', nullable: true })
  outstandingUserId!: number | null;
}
