import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { at, id, integer, text } from './order-columns';

/** Registered payees (振込先登録), and the payee a transfer was made from. */
export class Payees1765200000000 implements MigrationInterface {
  name = 'Payees1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const destination = [text('bankCode', 4), text('branchCode', 3), text('accountType', 16), text('accountNumber', 7)];
    await queryRunner.createTable(
      new Table({
        name: 'payees',
        columns: [
          id,
          integer('contractId'),
          text('nickname', 60),
          ...destination,
          text('payeeName', 100),
          at('createdAt'),
          at('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_payees_account',
            columnNames: ['contractId', 'bankCode', 'branchCode', 'accountType', 'accountNumber'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.addColumn('transfers', new TableColumn(integer('payeeId', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('transfers', 'payeeId');
    await queryRunner.dropTable('payees');
  }
}
