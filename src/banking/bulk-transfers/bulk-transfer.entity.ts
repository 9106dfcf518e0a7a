import { Column, Entity, Index } from 'typeorm';
import { LinesOrder, LinesSource, OrderLine } from '../lines/order-line.entity';
import { OrderStatus } from '../orders/order-status';

/**
 * A bulk transfer moves as one: its statuses are those of every payment order, for all of its
 * lines at once. The same values as TransferStatus under their own GraphQL enum name
 * (BulkTransferStatus), hence an object of their own.
 */
export const BulkTransferStatus = { ...OrderStatus } as const;
export type BulkTransferStatus = OrderStatus;

/** ZENGIN_FILE (importBulkTransfer) or JSON (createBulkTransfer); the GraphQL enum BulkTransferSource. */
export { LinesSource as BulkTransferSource };

/** 総合振込: many transfers from one account, confirmed, approved, limited and executed together (all or nothing). */
@Entity('bulk_transfers')
@Index('IDX_bulk_transfers_contract_status', ['contractId', 'status', 'id'])
@Index('IDX_bulk_transfers_contract_id', ['contractId', 'id'])
@Index('IDX_bulk_transfers_status_executionDate', ['status', 'executionDate'])
export class BulkTransfer extends LinesOrder {}

/** One transfer of a bulk transfer, checked against the Zengin rules and the bank directory. */
@Entity('bulk_transfer_lines')
@Index('UQ_bulk_transfer_lines_line', ['bulkTransferId', 'lineNumber'], { unique: true })
export class BulkTransferLine extends OrderLine {
  @Column({ type: 'int' })
  bulkTransferId!: number;
}
