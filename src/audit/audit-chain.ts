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

/** What a chain link needs to be checked: the hashed fields, the chain fields and the stored hash. */
export type ChainLink = Omit<ChainedFields, 'chain' | 'sequence' | 'previousHash'> & {
  sequence: number | null;
  previousHash: string | null;
  hash: string | null;
};

/**
 * Walks a chain link by link from a known point — its genesis, or the anchor left where retention
 * pruned it (audit/audit-retention.service.ts) — for the events in the database and in an archive alike.
 */
export class ChainWalk {
  constructor(
    readonly chain: string,
    /** The place and hash of the last link accepted so far. */
    public sequence = 0,
    public hash = GENESIS_HASH,
  ) {}

  /** Accepts the event as the next link and moves on to it, or says what is wrong with it. */
  follow(event: ChainLink): string | null {
    const expected = this.sequence + 1;
    if (event.sequence !== expected) return `The event at place ${expected} is missing (deleted).`;
    if (event.previousHash !== this.hash) return 'The event does not follow the one before it.';
    const hash = eventHash({ ...event, chain: this.chain, sequence: expected, previousHash: this.hash });
    if (hash !== event.hash) return 'The event was altered after it was written.';
    this.sequence = expected;
    this.hash = hash;
    return null;
  }
}

/** One event as a line of JSON: every column, the time in ISO 8601 (the audit-log download and the archive). */
export function auditEventLine(event: AuditEvent): string {
  return JSON.stringify({ ...event, occurredAt: event.occurredAt.toISOString() });
}
