import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

/** PIN sessions bound to certificates, password history, and the in-flight password-check count. */
export class Sessions1764201600000 implements MigrationInterface {
  name = 'Sessions1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'attemptsInFlight', type: 'integer', default: 0 }));
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id,
          text('tokenHash', 64),
          { name: 'userId', type: 'integer' },
          text('certificateFingerprint', 64),
          at('createdAt'),
          at('lastSeenAt'),
          at('expiresAt'),
          at('endedAt', true),
          text('endReason', 32, true),
          { name: 'activeUserId', type: 'integer', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'UQ_sessions_tokenHash', columnNames: ['tokenHash'], isUnique: true }),
          new TableIndex({ name: 'UQ_sessions_activeUserId', columnNames: ['activeUserId'], isUnique: true }),
          new TableIndex({ name: 'IDX_sessions_userId', columnNames: ['userId'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_sessions_user',
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'password_history',
        columns: [id, { name: 'userId', type: 'integer' }, text('kind', 16), text('passwordHash', 255), at('createdAt')],
        indices: [new TableIndex({ name: 'IDX_password_history_user_kind', columnNames: ['userId', 'kind', 'createdAt'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('password_history');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropColumn('users', 'attemptsInFlight');
  }
}
