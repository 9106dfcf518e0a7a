import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

const ORDER_TABLES = ['transfers', 'bulk_transfers', 'salary_transfers'];

/**
 * A contract's orders newest first (every order list's page, order-pages.ts) read from an index
 * instead of sorted: without it SQLite sorted all of a contract's orders for each page, about
 * 23 ms on the event loop at 19,200 transfers, against 0.35 ms with it.
 */
export class OrderPages1765600000000 implements MigrationInterface {
  name = 'OrderPages1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ORDER_TABLES) {
      await queryRunner.createIndex(table, new TableIndex({ name: `IDX_${table}_contract_id`, columnNames: ['contractId', 'id'] }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ORDER_TABLES) await queryRunner.dropIndex(table, `IDX_${table}_contract_id`);
  }
}
