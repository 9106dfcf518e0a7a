import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { yen } from '../../db/columns';
import type { AccountType } from '../accounts/account.entity';
import { PaymentOrder } from '../orders/payment-order.entity';

/** How the lines of an order came: a Zengin file or JSON lines. */
export enum LinesSource {
  /** A Zengin file (importBulkTransfer, importSalaryTransfer). */
  ZENGIN_FILE = 'ZENGIN_FILE',
  /** Lines sent as JSON (createBulkTransfer, createSalaryTransfer). */
  JSON = 'JSON',
}

/**
 * A payment order made of lines, from one account, confirmed, approved, limited and executed as
 * one (総合振込, 給与・賞与振込): the columns every such kind has besides those of every order.
 */
export abstract class LinesOrder extends PaymentOrder {
  @Column({ type: 'varchar', length: 16 })
  source!: LinesSource;

  /** 振込依頼人名 of the file's header, half-width as the file has it. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  requesterName!: string | null;

  @Column({ type: 'int' })
  lineCount!: number;

  @Column(yen())
  totalAmount!: number;
}

/** One transfer of a lines order, checked against the Zengin rules and the bank directory; each kind's table adds its order's id. */
export abstract class OrderLine {
  @PrimaryGeneratedColumn()
  id!: number;

  /** 1 to lineCount, in the order given (in a file, the data record numbered lineNumber + 1). */
  @Column({ type: 'int' })
  lineNumber!: number;

  @Column({ type: 'varchar', length: 4 })
  bankCode!: string;

  /** The official name from the zengin-code directory. */
  @Column({ type: 'varchar', length: 64 })
  bankName!: string;

  @Column({ type: 'varchar', length: 3 })
  branchCode!: string;

  @Column({ type: 'varchar', length: 64 })
  branchName!: string;

  @Column({ type: 'varchar', length: 16 })
  accountType!: AccountType;

  @Column({ type: 'varchar', length: 7 })
  accountNumber!: string;

  /** 受取人名 as the bank stores it (normalizePayeeName: full-width katakana). */
  @Column({ type: 'varchar', length: 100 })
  payeeName!: string;

  @Column(yen())
  amount!: number;

  @Column({ type: 'varchar', length: 10, nullable: true })
  customerCode1!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  customerCode2!: string | null;

  /** EDI情報 (識別表示 Y), half-width. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  ediInfo!: string | null;
}

/** Where a kind keeps its lines: their table, and the column naming the order they belong to. */
export interface LineStore<L extends OrderLine> {
  entity: new () => L;
  orderColumn: Exclude<keyof L, keyof OrderLine> & string;
}
