import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../../db/columns';
import type { AccountType } from '../accounts/account.entity';

/**
 * A registered payee (振込先登録) of a contract: an account at a bank in Japan with the name the
 * bank records for it, under a nickname (登録名) the company chose. One account is registered once
 * per contract. A transfer made from it copies these columns, so a later change here never alters
 * an order already made.
 */
@Entity('payees')
@Index('UQ_payees_account', ['contractId', 'bankCode', 'branchCode', 'accountType', 'accountNumber'], { unique: true })
export class Payee {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  contractId!: number;

  /** 登録名: the company's own name for the payee (any characters, kanji included). */
  @Column({ type: 'varchar', length: 60 })
  nickname!: string;

  @Column({ type: 'varchar', length: 4 })
  bankCode!: string;

  @Column({ type: 'varchar', length: 3 })
  branchCode!: string;

  @Column({ type: 'varchar', length: 16 })
  accountType!: AccountType;

  @Column({ type: 'varchar', length: 7 })
  accountNumber!: string;

  /** 受取人名 as the bank records it (normalizePayeeName: full-width katakana, Zengin characters only). */
  @Column({ type: 'varchar', length: 100 })
  payeeName!: string;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime())
  updatedAt!: Date;
}
