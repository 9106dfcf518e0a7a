import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

const executionDate = (isNullable: boolean) => new TableColumn({ name: 'executionDate', type: 'varchar', length: '10', isNullable });

/**
 * Bank days: a transfer runs on its execution date (a bank business day, after the cut-off the
 * next one) and counts its daily limits against it; it may wait for that day (SCHEDULED) and fail
 * on it. Transfers made before this change ran the day they were made, and when they were decided.
 */
export class BankDays1764554400000 implements MigrationInterface {
  name = 'BankDays1764554400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('transfers', [
      executionDate(true),
      new TableColumn({ name: 'executedAt', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'failureCode', type: 'varchar', length: '32', isNullable: true }),
    ]);
    await queryRunner.query('UPDATE transfers SET executionDate = businessDate');
    await queryRunner.query("UPDATE transfers SET executedAt = decidedAt WHERE status = 'EXECUTED'");
    await queryRunner.changeColumn('transfers', 'executionDate', executionDate(false));
    await queryRunner.createIndex(
      'transfers',
      new TableIndex({ name: 'IDX_transfers_status_executionDate', columnNames: ['status', 'executionDate'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('transfers', 'IDX_transfers_status_executionDate');
    for (const column of ['failureCode', 'executedAt', 'executionDate']) await queryRunner.dropColumn('transfers', column);
  }
}
