import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { at, dropPlainColumns, id, integer, text } from './order-columns';

const ORDER_TABLES = ['transfers', 'bulk_transfers', 'salary_transfers'];

const longText = (name: string, isNullable = false) => ({ name, type: 'text', isNullable });

/** Partners (連携先) as OAuth clients, the customers' consents to them, and the authorization server's state (codes, grants, tokens …). */
export class Partners1765500000000 implements MigrationInterface {
  name = 'Partners1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'partners',
        columns: [
          id,
          text('clientId', 64),
          text('name', 100),
          longText('redirectUris'),
          text('certificateSubjectDn', 500, true),
          longText('jwks', true),
          text('scopes', 200),
          text('status', 16),
          at('createdAt'),
        ],
        indices: [new TableIndex({ name: 'UQ_partners_clientId', columnNames: ['clientId'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oauth_records',
        columns: [
          { ...text('model', 40), isPrimary: true },
          { ...text('id', 128), isPrimary: true },
          longText('payload'),
          text('grantId', 128, true),
          text('uid', 128, true),
          at('consumedAt', true),
          at('expiresAt', true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_oauth_records_grantId', columnNames: ['grantId'] }),
          new TableIndex({ name: 'IDX_oauth_records_uid', columnNames: ['uid'] }),
          new TableIndex({ name: 'IDX_oauth_records_expiresAt', columnNames: ['expiresAt'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'partner_grants',
        columns: [
          id,
          text('grantId', 64),
          integer('partnerId'),
          integer('contractId'),
          integer('userId'),
          text('certificateFingerprint', 64),
          text('scopes', 200),
          longText('accountIds'),
          at('createdAt'),
          at('expiresAt'),
          at('renewedAt', true),
          at('lastUsedAt', true),
          at('revokedAt', true),
          integer('revokedByUserId', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_partner_grants_grantId', columnNames: ['grantId'], isUnique: true }),
          new TableIndex({ name: 'IDX_partner_grants_contractId', columnNames: ['contractId'] }),
        ],
      }),
    );
    // Which orders a partner made, and under which consent.
    for (const table of ORDER_TABLES)
      await queryRunner.addColumns(table, [
        new TableColumn(integer('partnerGrantId', true)),
        new TableColumn(text('partnerName', 100, true)),
      ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ORDER_TABLES) await dropPlainColumns(queryRunner, table, ['partnerGrantId', 'partnerName']);
    await queryRunner.dropTable('partner_grants');
    await queryRunner.dropTable('oauth_records');
    await queryRunner.dropTable('partners');
  }
}
