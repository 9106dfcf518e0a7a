import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
const integer = (name: string, isNullable = false) => ({ name, type: 'integer', isNullable });
const yen = (name: string) => ({ name, type: 'bigint' });

/** Bulk transfers (総合振込) and their lines; statement lines and idempotency keys that name a bulk transfer. */
export class BulkTransfers1764558000000 implements MigrationInterface {
  name = 'BulkTransfers1764558000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bulk_transfers',
        columns: [
          id,
          integer('contractId'),
          integer('accountId'),
          integer('makerUserId'),
          text('makerCertificateFingerprint', 64),
          integer('approverUserId', true),
          text('approverCertificateFingerprint', 64, true),
          text('source', 16),
          text('requesterName', 40, true),
          text('requestedDate', 10, true),
          integer('lineCount'),
          yen('totalAmount'),
          text('businessDate', 10),
          text('executionDate', 10),
          text('status', 24),
          at('createdAt'),
          at('decidedAt', true),
          at('executedAt', true),
          text('rejectionReason', 200, true),
          text('failureCode', 32, true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_bulk_transfers_contract_status', columnNames: ['contractId', 'status', 'id'] }),
          new TableIndex({ name: 'IDX_bulk_transfers_status_executionDate', columnNames: ['status', 'executionDate'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'bulk_transfer_lines',
        columns: [
          id,
          integer('bulkTransferId'),
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
        ],
        indices: [new TableIndex({ name: 'UQ_bulk_transfer_lines_line', columnNames: ['bulkTransferId', 'lineNumber'], isUnique: true })],
      }),
    );
    await queryRunner.addColumn('statement_lines', new TableColumn(integer('bulkTransferId', true)));
    await queryRunner.addColumn('idempotency_keys', new TableColumn(integer('bulkTransferId', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('idempotency_keys', 'bulkTransferId');
    await queryRunner.dropColumn('statement_lines', 'bulkTransferId');
    await queryRunner.dropTable('bulk_transfer_lines');
    await queryRunner.dropTable('bulk_transfers');
  }
}
