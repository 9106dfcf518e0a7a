import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../db/columns';

export enum PasswordKind {
  /** The login password / PIN (ログインパスワード・暗証番号). */
  LOGIN = 'LOGIN',
  /** The confirmation password (確認用パスワード) for transfers and administrative changes. */
  CONFIRMATION = 'CONFIRMATION',
}

/** Hashes of a user's earlier passwords, so a new one cannot repeat the last N. */
@Entity('password_history')
@Index('IDX_password_history_user_kind', ['userId', 'kind', 'createdAt'])
export class PasswordHistory {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: PasswordKind;

  @Column({ type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column(dateTime())
  createdAt!: Date;
}
