import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column shapes for the migrations of payment-order kinds from 1765200000001 on. Frozen like a
 * migration: a migration run once must build the same table forever, so a later change to an
 * order's columns is a new migration, never an edit here.
 */
export const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
export const at = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable });
export const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
export const integer = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
export const yen = (name: string): TableColumnOptions => ({ name, type: 'bigint' });

/** PaymentOrder's columns (who made and decided it, from which account, when it runs, where it stands), around a kind's own. */
export function paymentOrderTable(own: TableColumnOptions[]): TableColumnOptions[] {
  return [
    id,
    integer('contractId'),
    integer('accountId'),
    integer('makerUserId'),
    text('makerCertificateFingerprint', 64),
    integer('approverUserId', true),
    text('approverCertificateFingerprint', 64, true),
    ...own,
    text('businessDate', 10),
    text('requestedDate', 10, true),
    text('executionDate', 10),
    text('status', 24),
    at('createdAt'),
    at('decidedAt', true),
    at('executedAt', true),
    text('rejectionReason', 200, true),
    text('failureCode', 32, true),
  ];
}

/** OrderLine's columns (one transfer of an order of lines), after the column naming its order. */
export function orderLineTable(orderColumn: string): TableColumnOptions[] {
  return [
    id,
    integer(orderColumn),
    integer('lineNumber'),
    text('bankCode', 4),
    text('bankName', 64),
    text('branchCode', 3),
    text('branchName', 64),
    text('accountType', 16),
    text('accountNumber', 7),
    text('payeeName', 100),
    yen('amount'),
    text('customerCode1', 10, true),
    text('customerCode2', 10, true),
    text('ediInfo', 20, true),
  ];
}

/**
 * ALTER TABLE … DROP COLUMN on both engines, for a migration's down(): TypeORM drops a column on
 * SQLite by rebuilding the table, which fails (FOREIGN KEY constraint) on tables other rows name —
 * contracts, users, the orders. The columns must carry no index or key.
 */
export async function dropPlainColumns(queryRunner: QueryRunner, table: string, columns: string[]): Promise<void> {
  for (const column of columns) await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
}
