import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
const yen = (name: string) => ({ name, type: 'bigint' });

/** Accounts, 利用口座, statements, transfers, limit usage; contract-wide transfer settings. */
export class Banking1764374400000 implements MigrationInterface {
  name = 'Banking1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('contracts', [
      new TableColumn({ name: 'dailyTransferLimit', type: 'bigint', default: 0 }),
      new TableColumn({ name: 'requiresApproval', type: 'boolean', default: 0 }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'accounts',
        columns: [
          id,
          { name: 'contractId', type: 'integer' },
          text('branchCode', 3),
          text('branchName', 64),
          text('accountType', 16),
          text('accountNumber', 7),
          text('holderName', 100),
          yen('balance'),
          at('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_accounts_number', columnNames: ['branchCode', 'accountType', 'accountNumber'], isUnique: true }),
          new TableIndex({ name: 'IDX_accounts_contractId', columnNames: ['contractId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_accounts',
        columns: [
          { name: 'userId', type: 'integer', isPrimary: true },
          { name: 'accountId', type: 'integer', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_user_accounts_accountId', columnNames: ['accountId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'statement_lines',
        columns: [
          id,
          { name: 'accountId', type: 'integer' },
          at('occurredAt'),
          text('businessDate', 10),
          text('direction', 8),
          yen('amount'),
          yen('balanceAfter'),
          text('description', 100),
          { name: 'transferId', type: 'integer', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_statement_lines_account', columnNames: ['accountId', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'transfers',
        columns: [
          id,
          { name: 'contractId', type: 'integer' },
          { name: 'accountId', type: 'integer' },
          { name: 'makerUserId', type: 'integer' },
          text('makerCertificateFingerprint', 64),
          { name: 'approverUserId', type: 'integer', isNullable: true },
          text('approverCertificateFingerprint', 64, true),
          text('destinationBankCode', 4),
          text('destinationBranchCode', 3),
          text('destinationAccountType', 16),
          text('destinationAccountNumber', 7),
          text('payeeName', 100),
          yen('amount'),
          text('businessDate', 10),
          text('status', 24),
          at('createdAt'),
          at('decidedAt', true),
          text('rejectionReason', 200, true),
        ],
        indices: [new TableIndex({ name: 'IDX_transfers_contract_status', columnNames: ['contractId', 'status', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'limit_usage',
        columns: [{ ...text('scopeKey', 32), isPrimary: true }, { ...text('businessDate', 10), isPrimary: true }, yen('used')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['limit_usage', 'transfers', 'statement_lines', 'user_accounts', 'accounts']) await queryRunner.dropTable(table);
    await queryRunner.dropColumn('contracts', 'requiresApproval');
    await queryRunner.dropColumn('contracts', 'dailyTransferLimit');
  }
}
