import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime, yen } from '../../db/columns';

export enum AccountType {
  /** 普通預金 */
  ORDINARY = 'ORDINARY',
  /** 当座預金 */
  CURRENT = 'CURRENT',
  /** 貯蓄預金 */
  SAVINGS = 'SAVINGS',
}

/** A deposit account of a contract. The balance is whole yen and moves only by conditional updates. */
@Entity('accounts')
@Index('UQ_accounts_number', ['branchCode', 'accountType', 'accountNumber'], { unique: true })
export class Account {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('IDX_accounts_contractId')
  @Column({ type: 'int' })
  contractId!: number;

  /** 支店番号, three digits. */
  @Column({ type: 'varchar', length: 3 })
  branchCode!: string;

  @Column({ type: 'varchar', length: 64 })
  branchName!: string;

  @Column({ type: 'varchar', length: 16 })
  accountType!: AccountType;

  /** 口座番号, seven digits. */
  @Column({ type: 'varchar', length: 7 })
  accountNumber!: string;

  /** 口座名義 in katakana, as the bank records it. */
  @Column({ type: 'varchar', length: 100 })
  holderName!: string;

  @Column(yen())
  balance!: number;

  @Column(dateTime())
  createdAt!: Date;
}

/** 利用口座: the accounts an administrator lets a user work with. */
@Entity('user_accounts')
export class UserAccount {
  @Column({ type: 'int', primary: true })
  userId!: number;

  @Index('IDX_user_accounts_accountId')
  @Column({ type: 'int', primary: true })
  accountId!: number;
}
