import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

/** Password checks in flight, each with a lease on its attempt slot (DESIGN.md §6.1, §6.5). */
export class PasswordChecks1764460800000 implements MigrationInterface {
  name = 'PasswordChecks1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'password_checks',
        columns: [id, { name: 'userId', type: 'integer' }, text('kind', 16), at('startedAt'), at('leaseExpiresAt')],
        indices: [new TableIndex({ name: 'IDX_password_checks_userId', columnNames: ['userId'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_password_checks_user',
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('password_checks');
  }
}
