import { AuditAction } from '../../src/audit/audit-action';
import { AuditOutcome } from '../../src/audit/audit-event.entity';

/** A filler audit event of a contract (user01 logging in, numbered `n` in its detail); the caller adds the chain fields. */
export function fillerAuditEvent(contractId: number, n: number) {
  return {
    occurredAt: new Date(),
    action: AuditAction.LOGIN,
    outcome: AuditOutcome.SUCCESS,
    contractId,
    actorUserId: null,
    actorLoginId: 'user01',
    certificateFingerprint: null,
    targetType: null,
    targetId: null,
    sourceAddress: '127.0.0.1',
    detail: JSON.stringify({ filler: n }),
  };
}
