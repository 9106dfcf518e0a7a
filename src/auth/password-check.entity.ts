import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity';
import { dateTime } from '../db/columns';
import { PasswordKind } from './password-history.entity';

/**
 * One password check in flight: the attempt slot it holds (counted in the user's failedAttempts
 * and attemptsInFlight) and the lease on that slot. The check that deletes its own row records
 * its result; once the lease has run out, any instance may delete the row instead and give the
 * slot back, so a check whose process died never uses up an attempt for good.
 */
@Entity('password_checks')
export class PasswordCheck {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('IDX_password_checks_userId')
  @Column({ type: 'int' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_password_checks_user' })
  user!: Relation<User>;

  @Column({ type: 'varchar', length: 16 })
  kind!: PasswordKind;

  @Column(dateTime())
  startedAt!: Date;

  @Column(dateTime())
  leaseExpiresAt!: Date;
}
