import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

/**
 * A tamper-evident audit: each event carries its chain, its place and the hashes linking it to the
 * one before. Events written before this migration stay outside the chains (their columns are null).
 */
export class AuditChain1764720000000 implements MigrationInterface {
  name = 'AuditChain1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('audit_events', [
      new TableColumn(text('chain', 40, true)),
      new TableColumn({ name: 'sequence', type: 'integer', isNullable: true }),
      new TableColumn(text('previousHash', 64, true)),
      new TableColumn(text('hash', 64, true)),
    ]);
    await queryRunner.createIndex(
      'audit_events',
      new TableIndex({ name: 'UQ_audit_events_chain_sequence', columnNames: ['chain', 'sequence'], isUnique: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_chain_heads',
        columns: [{ ...text('chain', 40), isPrimary: true }, { name: 'sequence', type: 'integer' }, text('hash', 64)],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_chain_heads');
    await queryRunner.dropIndex('audit_events', 'UQ_audit_events_chain_sequence');
    for (const column of ['hash', 'previousHash', 'sequence', 'chain']) await queryRunner.dropColumn('audit_events', column);
  }
}
