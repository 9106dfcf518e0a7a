import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

const GENESIS_HASH = '0'.repeat(64);

/**
 * Audit retention: each chain's head keeps the anchor where old events were archived and pruned,
 * and a lease so one instance at a time prunes it; events are found by age through their own index.
 */
export class AuditRetention1764806400000 implements MigrationInterface {
  name = 'AuditRetention1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('audit_chain_heads', [
      new TableColumn({ name: 'prunedSequence', type: 'integer', default: 0 }),
      new TableColumn({ name: 'prunedHash', type: 'varchar', length: '64', default: `'${GENESIS_HASH}'` }),
      new TableColumn({ name: 'prunedEventId', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'pruneLeaseUntil', type: 'datetime', precision: 3, isNullable: true }),
    ]);
    await queryRunner.createIndex('audit_events', new TableIndex({ name: 'IDX_audit_events_time', columnNames: ['occurredAt'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_events', 'IDX_audit_events_time');
    for (const column of ['pruneLeaseUntil', 'prunedEventId', 'prunedHash', 'prunedSequence'])
      await queryRunner.dropColumn('audit_chain_heads', column);
  }
}
