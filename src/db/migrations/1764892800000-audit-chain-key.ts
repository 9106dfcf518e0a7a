import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * A keyed audit chain (audit/audit-chain.ts): each chain's head carries the seal of the audit key
 * over the place from which its events are HMACed. Events before that place keep their SHA-256
 * hashes; the gateway seals every chain on its first start with the key (audit/audit-chain-key.ts).
 */
export class AuditChainKey1764892800000 implements MigrationInterface {
  name = 'AuditChainKey1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('audit_chain_heads', [
      new TableColumn({ name: 'keyedFromSequence', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'keyedFromHash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'sealId', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'seal', type: 'varchar', length: '64', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['seal', 'sealId', 'keyedFromHash', 'keyedFromSequence'])
      await queryRunner.dropColumn('audit_chain_heads', column);
  }
}
