import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { at, dropPlainColumns, text } from './order-columns';

const ORDER_TABLES = ['transfers', 'bulk_transfers', 'salary_transfers'];

/**
 * Holds (保留): the rule that held an order and when; an index to find a destination's earlier
 * transfers; a user's limit raise waiting for LIMIT_RAISE_DELAY_HOURS.
 */
export class OrderHolds1765350000000 implements MigrationInterface {
  name = 'OrderHolds1765350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ORDER_TABLES) {
      await queryRunner.addColumns(table, [new TableColumn(text('holdRule', 32, true)), new TableColumn(at('heldAt', true))]);
    }
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'pendingTransferLimitPerTransaction', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'pendingDailyTransferLimit', type: 'bigint', isNullable: true }),
      new TableColumn(at('limitRaiseEffectiveAt', true)),
    ]);
    await queryRunner.createIndex(
      'transfers',
      new TableIndex({ name: 'IDX_transfers_destination', columnNames: ['contractId', 'destinationAccountNumber', 'destinationBankCode'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('transfers', 'IDX_transfers_destination');
    await dropPlainColumns(queryRunner, 'users', [
      'limitRaiseEffectiveAt',
      'pendingDailyTransferLimit',
      'pendingTransferLimitPerTransaction',
    ]);
    for (const table of ORDER_TABLES) await dropPlainColumns(queryRunner, table, ['heldAt', 'holdRule']);
  }
}
