import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

/** Enrollment codes, shared rate limits, user permissions and limits, per-contract IP allow-lists. */
export class Lifecycle1764288000000 implements MigrationInterface {
  name = 'Lifecycle1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn({ ...text('permissions', 200), default: "''" }),
      new TableColumn({ name: 'transferLimitPerTransaction', type: 'bigint', default: 0 }),
      new TableColumn({ name: 'dailyTransferLimit', type: 'bigint', default: 0 }),
    ]);
    await queryRunner.addColumn('contracts', new TableColumn({ ...text('ipAllowList', 1000), default: "''" }));
    await queryRunner.createTable(
      new Table({
        name: 'enrollment_codes',
        columns: [
          id,
          { name: 'userId', type: 'integer' },
          text('codeHash', 64),
          { name: 'issuedByUserId', type: 'integer', isNullable: true },
          at('createdAt'),
          at('expiresAt'),
          at('usedAt', true),
          { name: 'outstandingUserId', type: 'integer', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IDX_enrollment_codes_userId', columnNames: ['userId'] }),
          new TableIndex({ name: 'UQ_enrollment_codes_codeHash', columnNames: ['codeHash'], isUnique: true }),
          new TableIndex({ name: 'UQ_enrollment_codes_outstandingUserId', columnNames: ['outstandingUserId'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rate_limit_buckets',
        columns: [{ ...text('bucketKey', 128), isPrimary: true }, at('windowStartedAt'), { name: 'hits', type: 'integer' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limit_buckets');
    await queryRunner.dropTable('enrollment_codes');
    await queryRunner.dropColumn('contracts', 'ipAllowList');
    for (const column of ['dailyTransferLimit', 'transferLimitPerTransaction', 'permissions'])
      await queryRunner.dropColumn('users', column);
  }
}
