import { Column, Entity, Index } from 'typeorm';
import { yen } from '../../db/columns';
import type { AccountType } from '../accounts/account.entity';
import { OrderStatus } from '../orders/order-status';
import { PaymentOrder } from '../orders/payment-order.entity';

/** A transfer's statuses are those of every payment order (the GraphQL enum TransferStatus). */
export { OrderStatus as TransferStatus };

/** A transfer (振込) from a contract's account to any bank account in Japan. */
@Entity('transfers')
@Index('IDX_transfers_contract_status', ['contractId', 'status', 'id'])
@Index('IDX_transfers_contract_id', ['contractId', 'id'])
@Index('IDX_transfers_status_executionDate', ['status', 'executionDate'])
@Index('IDX_transfers_destination', ['contractId', 'destinationAccountNumber', 'destinationBankCode'])
export class Transfer extends PaymentOrder {
  /** 金融機関コード, four digits. */
  @Column({ type: 'varchar', length: 4 })
  destinationBankCode!: string;

  @Column({ type: 'varchar', length: 3 })
  destinationBranchCode!: string;

  /**
   * The bank's and branch's names (kanji, and kana as the directory reads them) from the
   * zengin-code directory when the transfer was made, as on the customer's confirmation; null only
   * for a transfer made before codes were checked, to a code the directory does not know.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  destinationBankName!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  destinationBankNameKana!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  destinationBranchName!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  destinationBranchNameKana!: string | null;

  @Column({ type: 'varchar', length: 16 })
  destinationAccountType!: AccountType;

  @Column({ type: 'varchar', length: 7 })
  destinationAccountNumber!: string;

  /** 受取人名 in katakana. */
  @Column({ type: 'varchar', length: 100 })
  payeeName!: string;

  @Column(yen())
  amount!: number;

  /** The registered payee (振込先) whose account was copied into this transfer, if it was made from one. */
  @Column({ type: 'int', nullable: true })
  payeeId!: number | null;
}
