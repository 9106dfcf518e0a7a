import type { EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import type { AuditAction } from './audit-action';
import { AuditEvent, AuditOutcome } from './audit-event.entity';

/** Who did it, from which certificate and address: taken from the request context. */
export interface AuditActor {
  userId: number | null;
  loginId: string | null;
  contractId: number | null;
  certificateFingerprint: string | null;
  sourceAddress: string | null;
}

export interface AuditRecord {
  action: AuditAction;
  outcome?: AuditOutcome;
  /** The contract the event belongs to, when it is not the actor's own (operators). */
  contractId?: number | null;
  target?: { type: string; id: string | number };
  /** Non-secret facts only: never a password, PIN, enrollment code or key. */
  detail?: Record<string, unknown>;
}

export class AuditService {
  constructor(private readonly clock: Clock) {}

  /** Written with the caller's transaction manager, so the record commits or rolls back with the change. */
  async record(manager: EntityManager, actor: AuditActor, record: AuditRecord): Promise<void> {
    await manager.insert(AuditEvent, {
      occurredAt: this.clock.now(),
      action: record.action,
      outcome: record.outcome ?? AuditOutcome.SUCCESS,
      contractId: record.contractId !== undefined ? record.contractId : actor.contractId,
      actorUserId: actor.userId,
      actorLoginId: actor.loginId,
      certificateFingerprint: actor.certificateFingerprint,
      targetType: record.target?.type ?? null,
      targetId: record.target ? String(record.target.id) : null,
      sourceAddress: actor.sourceAddress,
      detail: record.detail ? JSON.stringify(record.detail).slice(0, 1000) : null,
    });
  }
}
