import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** 前回ログイン日時: login keeps the login before the current one for the user to see. */
export class PreviousLogin1764562000000 implements MigrationInterface {
  name = 'PreviousLogin1764562000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'previousLoginAt', type: 'datetime', precision: 3, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'previousLoginAt');
  }
}
