import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { at, dropPlainColumns, id, integer, text } from './order-columns';

const ORDER_TABLES = ['transfers', 'bulk_transfers', 'salary_transfers'];

/** Passkeys (取引認証), their single-use challenges, the binding an approval was made for, and the contract's passkey rule. */
export class Passkeys1765400000000 implements MigrationInterface {
  name = 'Passkeys1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'passkeys',
        columns: [
          id,
          integer('userId'),
          integer('contractId', true),
          text('credentialId', 255),
          text('publicKey', 1024),
          { name: 'signCount', type: 'bigint' },
          { ...text('transports', 100), default: "''" },
          text('name', 60),
          at('createdAt'),
          at('lastUsedAt', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_passkeys_credentialId', columnNames: ['credentialId'], isUnique: true }),
          new TableIndex({ name: 'IDX_passkeys_userId', columnNames: ['userId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'passkey_challenges',
        columns: [
          id,
          text('challenge', 64),
          integer('userId'),
          text('nonce', 64),
          text('purpose', 24),
          text('targetType', 32, true),
          integer('targetId', true),
          text('binding', 64, true),
          at('createdAt'),
          at('expiresAt'),
          at('usedAt', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_passkey_challenges_challenge', columnNames: ['challenge'], isUnique: true }),
          new TableIndex({ name: 'IDX_passkey_challenges_expiresAt', columnNames: ['expiresAt'] }),
        ],
      }),
    );
    for (const table of ORDER_TABLES) {
      await queryRunner.addColumns(table, [
        new TableColumn(text('approvalBinding', 64, true)),
        new TableColumn(integer('approvalPasskeyId', true)),
      ]);
    }
    await queryRunner.addColumn('contracts', new TableColumn(text('passkeyApproval', 16, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropPlainColumns(queryRunner, 'contracts', ['passkeyApproval']);
    for (const table of ORDER_TABLES) await dropPlainColumns(queryRunner, table, ['approvalPasskeyId', 'approvalBinding']);
    await queryRunner.dropTable('passkey_challenges');
    await queryRunner.dropTable('passkeys');
  }
}
