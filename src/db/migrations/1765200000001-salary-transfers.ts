import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { at, dropPlainColumns, integer, orderLineTable, paymentOrderTable, text, yen } from './order-columns';

/** Salary and bonus transfers (給与・賞与振込) and their lines; the contract's salary limit; idempotency keys that name one. */
export class SalaryTransfers1765200000001 implements MigrationInterface {
  name = 'SalaryTransfers1765200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const kindColumns = [text('source', 16), text('requesterName', 40, true), text('category', 8), text('payday', 10)];
    await queryRunner.createTable(
      new Table({
        name: 'salary_transfers',
        columns: paymentOrderTable([...kindColumns, at('submissionDeadline'), integer('lineCount'), yen('totalAmount')]),
        indices: [
          new TableIndex({ name: 'IDX_salary_transfers_contract_status', columnNames: ['contractId', 'status', 'id'] }),
          new TableIndex({ name: 'IDX_salary_transfers_status_executionDate', columnNames: ['status', 'executionDate'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'salary_transfer_lines',
        columns: orderLineTable('salaryTransferId'),
        indices: [
          new TableIndex({ name: 'UQ_salary_transfer_lines_line', columnNames: ['salaryTransferId', 'lineNumber'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.addColumn('idempotency_keys', new TableColumn(integer('salaryTransferId', true)));
    await queryRunner.addColumn('contracts', new TableColumn({ name: 'dailySalaryTransferLimit', type: 'bigint', default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropPlainColumns(queryRunner, 'contracts', ['dailySalaryTransferLimit']);
    await dropPlainColumns(queryRunner, 'idempotency_keys', ['salaryTransferId']);
    await queryRunner.dropTable('salary_transfer_lines');
    await queryRunner.dropTable('salary_transfers');
  }
}
