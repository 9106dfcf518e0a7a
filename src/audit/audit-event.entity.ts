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
// Retention finds the events past their time without reading the others.
@Index('IDX_audit_events_time', ['occurredAt'])
@Index('UQ_audit_events_chain_sequence', ['chain', 'sequence'], { unique: true })
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

  /**
   * Tamper evidence (audit/audit-chain.ts): the chain the event belongs to ("contract:<id>", or
   * "bank" for events of no contract), its place in it, the previous event's hash and its own.
   * Null only on events written before chaining began.
   */
  @Column({ type: 'varchar', length: 40, nullable: true })
  chain!: string | null;

  @Column({ type: 'int', nullable: true })
  sequence!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  previousHash!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  hash!: string | null;
}
