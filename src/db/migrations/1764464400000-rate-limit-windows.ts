import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const at = (name: string) => ({ name, type: 'datetime', precision: 3, isNullable: false });
const bucketKey = { name: 'bucketKey', type: 'varchar', length: '128', isPrimary: true };
const hits = { name: 'hits', type: 'integer' };

/**
 * Rate-limit buckets keep when their window ends (windowEndsAt, indexed) instead of when it
 * started, so expired rows can be purged whatever each limit's window is. The table only holds
 * counters of the last minutes, so it is recreated rather than converted: the limits restart
 * at the upgrade.
 */
export class RateLimitWindows1764464400000 implements MigrationInterface {
  name = 'RateLimitWindows1764464400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limit_buckets');
    await queryRunner.createTable(
      new Table({
        name: 'rate_limit_buckets',
        columns: [bucketKey, at('windowEndsAt'), hits],
        indices: [new TableIndex({ name: 'IDX_rate_limit_buckets_windowEndsAt', columnNames: ['windowEndsAt'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limit_buckets');
    await queryRunner.createTable(new Table({ name: 'rate_limit_buckets', columns: [bucketKey, at('windowStartedAt'), hits] }));
  }
}
