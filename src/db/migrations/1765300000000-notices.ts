import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { at, dropPlainColumns, id, integer, text } from './order-columns';

/** E-mail notices: users' addresses, the contract's e-mail settings and the transactional outbox. */
export class Notices1765300000000 implements MigrationInterface {
  name = 'Notices1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn(text('emailAddress', 254, true)));
    await queryRunner.addColumns('contracts', [
      new TableColumn({ ...text('userNoticeTopics', 200), default: "'CREDENTIAL,EMERGENCY_STOP,LIMIT,LOGIN,ORDER'" }),
      new TableColumn({ ...text('administratorNoticeTopics', 200), default: "'CREDENTIAL,EMERGENCY_STOP,LIMIT,ORDER'" }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'notice_outbox',
        columns: [
          id,
          integer('contractId'),
          integer('userId'),
          text('emailAddress', 254),
          text('action', 64),
          text('subject', 200),
          text('body', 2000),
          { ...text('status', 16), default: "'PENDING'" },
          { name: 'attempts', type: 'integer', default: 0 },
          at('nextAttemptAt'),
          text('claimedBy', 64, true),
          at('leaseUntil', true),
          at('sentAt', true),
          text('lastError', 300, true),
          at('createdAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_notice_outbox_due', columnNames: ['status', 'nextAttemptAt'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notice_outbox');
    await dropPlainColumns(queryRunner, 'contracts', ['administratorNoticeTopics', 'userNoticeTopics']);
    await dropPlainColumns(queryRunner, 'users', ['emailAddress']);
  }
}
