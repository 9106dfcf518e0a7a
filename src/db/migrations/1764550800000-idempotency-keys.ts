import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

/** Idempotency keys of money operations (DESIGN.md §6.7): unique per contract, kept at least 24 hours. */
export class IdempotencyKeys1764550800000 implements MigrationInterface {
  name = 'IdempotencyKeys1764550800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'contractId', type: 'integer' },
          text('idempotencyKey', 64),
          text('requestHash', 64),
          { name: 'transferId', type: 'integer', isNullable: true },
          { name: 'createdAt', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'UQ_idempotency_keys_contract_key', columnNames: ['contractId', 'idempotencyKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_idempotency_keys_createdAt', columnNames: ['createdAt'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
