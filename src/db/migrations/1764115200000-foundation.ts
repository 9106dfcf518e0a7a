import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

// Written with TypeORM's Table API so that one migration serves SQLite and MySQL alike.
// Migrations are frozen: later changes go into new files.
const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

export class Foundation1764115200000 implements MigrationInterface {
  name = 'Foundation1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'contracts',
        columns: [
          id,
          text('code', 16),
          text('name', 200),
          { ...text('status', 16), default: "'ACTIVE'" },
          at('statusChangedAt', true),
          at('createdAt'),
        ],
        indices: [new TableIndex({ name: 'UQ_contracts_code', columnNames: ['code'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'contractId', type: 'integer', isNullable: true },
          text('loginId', 32),
          text('displayName', 100),
          text('role', 16),
          { ...text('status', 16), default: "'ACTIVE'" },
          { name: 'failedAttempts', type: 'integer', default: 0 },
          at('lockedAt', true),
          text('loginPasswordHash', 255),
          at('loginPasswordChangedAt'),
          { name: 'loginPasswordTemporary', type: 'boolean', default: 0 },
          text('confirmationPasswordHash', 255),
          at('confirmationPasswordChangedAt'),
          { name: 'confirmationPasswordTemporary', type: 'boolean', default: 0 },
          at('lastLoginAt', true),
          at('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_users_loginId', columnNames: ['loginId'], isUnique: true }),
          new TableIndex({ name: 'IDX_users_contractId', columnNames: ['contractId'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_users_contract',
            columnNames: ['contractId'],
            referencedTableName: 'contracts',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'certificates',
        columns: [
          id,
          { name: 'userId', type: 'integer' },
          text('fingerprint', 64),
          text('issuer', 255),
          text('serialNumber', 64),
          text('subject', 255),
          at('notBefore'),
          at('notAfter'),
          text('status', 16),
          { name: 'activeUserId', type: 'integer', isNullable: true },
          at('revokedAt', true),
          text('revocationReason', 64, true),
          at('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_certificates_fingerprint', columnNames: ['fingerprint'], isUnique: true }),
          new TableIndex({ name: 'UQ_certificates_issuer_serial', columnNames: ['issuer', 'serialNumber'], isUnique: true }),
          new TableIndex({ name: 'UQ_certificates_activeUserId', columnNames: ['activeUserId'], isUnique: true }),
          new TableIndex({ name: 'IDX_certificates_userId', columnNames: ['userId'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_certificates_user',
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
        name: 'audit_events',
        columns: [
          id,
          at('occurredAt'),
          text('action', 64),
          text('outcome', 16),
          { name: 'contractId', type: 'integer', isNullable: true },
          { name: 'actorUserId', type: 'integer', isNullable: true },
          text('actorLoginId', 32, true),
          text('certificateFingerprint', 64, true),
          text('targetType', 32, true),
          text('targetId', 64, true),
          text('sourceAddress', 64, true),
          text('detail', 1000, true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_audit_events_contract_time', columnNames: ['contractId', 'occurredAt'] }),
          new TableIndex({ name: 'IDX_audit_events_actor_time', columnNames: ['actorUserId', 'occurredAt'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_events', 'certificates', 'users', 'contracts']) await queryRunner.dropTable(table);
  }
}
