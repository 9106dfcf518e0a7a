import crypto from 'node:crypto';
import type { AuditEvent } from './audit-event.entity';

/** The hash before the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The chain an event belongs to: each contract's own, and the bank's for events of no contract. */
export function chainOf(contractId: number | null): string {
  return contractId === null ? 'bank' : `contract:${contractId}`;
}

export type ChainedFields = Pick<
  AuditEvent,
  | 'occurredAt'
  | 'action'
  | 'outcome'
  | 'contractId'
  | 'actorUserId'
  | 'actorLoginId'
  | 'certificateFingerprint'
  | 'targetType'
  | 'targetId'
  | 'sourceAddress'
  | 'detail'
> & { chain: string; sequence: number; previousHash: string };

/** SHA-256 over every field a reader relies on, in a fixed order: editing any of them breaks the link. */
export function eventHash(event: ChainedFields): string {
  const canonical = JSON.stringify([
    1,
    event.chain,
    event.sequence,
    event.previousHash,
    event.occurredAt.toISOString(),
    event.action,
    event.outcome,
    event.contractId,
    event.actorUserId,
    event.actorLoginId,
    event.certificateFingerprint,
    event.targetType,
    event.targetId,
    event.sourceAddress,
    event.detail,
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}
