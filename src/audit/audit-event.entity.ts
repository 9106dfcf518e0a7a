import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../db/columns';
import type { AuditAction } from './audit-action';

export enum AuditOutcome {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}

/** An append-only record of a security-relevant event. Never holds a password, PIN, code or key. */
@Entity('audit_events')
@Index('IDX_audit_events_contract_time', ['contractId', 'occurredAt'])
@Index('IDX_audit_events_actor_time', ['actorUserId', 'occurredAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column(dateTime())
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 64 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ type: 'int', nullable: true })
  contractId!: number | null;

  @Column({ type: 'int', nullable: true })
  actorUserId!: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  actorLoginId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  certificateFingerprint!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sourceAddress!: string | null;

  /** A short JSON object of non-secret facts (reason, remaining attempts, ...). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  detail!: string | null;
}
