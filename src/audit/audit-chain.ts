import crypto from 'node:crypto';
import type { AuditEvent } from './audit-event.entity';
import { extend } from '../common/extend';

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

function canonical(version: 1 | 2, event: ChainedFields): string {
  return JSON.stringify([
    version,
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
}

/**
 * An event's hash: HMAC-SHA-256 with the audit key (AUDIT_CHAIN_KEY_PATH, kept out of the
 * database) over every field a reader relies on, in a fixed order. Without the key nobody can
 * recompute the chain after an edit, which an unkeyed hash allowed.
 */
export function eventHash(event: ChainedFields, key: Buffer): string {
  return crypto.createHmac('sha256', key).update(canonical(2, event)).digest('hex');
}

/** The unkeyed SHA-256 of events written before their chain was sealed with the key (scheme 1). */
export function unkeyedEventHash(event: ChainedFields): string {
  return crypto.createHash('sha256').update(canonical(1, event)).digest('hex');
}

/** Where a chain's keyed part begins, as its head's seal attests (audit-chain-head.entity.ts). */
export interface ChainSealFields {
  chain: string;
  keyedFromSequence: number;
  keyedFromHash: string;
  sealId: string;
}

export function chainSeal(fields: ChainSealFields, key: Buffer): string {
  const text = JSON.stringify(['seal', fields.chain, fields.keyedFromSequence, fields.keyedFromHash, fields.sealId]);
  return crypto.createHmac('sha256', key).update(text).digest('hex');
}

/** Constant-time comparison of two hex MACs. */
export function sameMac(a: string | null, b: string): boolean {
  return a !== null && a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * How a walk tells the schemes apart: events from `keyedFrom` on are keyed, those before are not.
 * `keyedFrom` null (an archive checked offline, without its database): unkeyed events are
 * accepted only until the first keyed one; the archive's end is then compared with the database.
 */
export interface ChainKeying {
  key: Buffer;
  keyedFrom: number | null;
  /** The hash the first keyed event must follow (from the seal); null when unknown. */
  keyedFromHash?: string | null;
}

/** The keying a chain's head attests; an unsealed head's events are all unkeyed so far. */
export function keyingOf(head: { keyedFromSequence: number | null; keyedFromHash: string | null } | null, key: Buffer): ChainKeying {
  return { key, keyedFrom: head?.keyedFromSequence ?? Number.MAX_SAFE_INTEGER, keyedFromHash: head?.keyedFromHash ?? null };
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
  private readonly keying: ChainKeying;

  constructor(
    readonly chain: string,
    keying: ChainKeying,
    /** The place and hash of the last link accepted so far. */
    public sequence = 0,
    public hash = GENESIS_HASH,
  ) {
    this.keying = { ...keying };
  }

  /** Accepts the event as the next link and moves on to it, or says what is wrong with it. */
  follow(event: ChainLink): string | null {
    const expected = this.sequence + 1;
    if (event.sequence !== expected) return `The event at place ${expected} is missing (deleted).`;
    if (event.previousHash !== this.hash) return 'The event does not follow the one before it.';
    const fields = extend(event, { chain: this.chain, sequence: expected, previousHash: this.hash });
    const { key, keyedFrom, keyedFromHash } = this.keying;
    const keyed = keyedFrom !== null ? expected >= keyedFrom : eventHash(fields, key) === event.hash;
    if (keyed && keyedFrom === null) this.keying.keyedFrom = expected; // offline: from here on, only keyed events
    if (keyed && expected === keyedFrom && keyedFromHash != null && this.hash !== keyedFromHash)
      return 'The event does not follow the one its chain was sealed after.';
    const hash = keyed ? eventHash(fields, key) : unkeyedEventHash(fields);
    if (hash !== event.hash) return 'The event was altered after it was written.';
    this.sequence = expected;
    this.hash = hash;
    return null;
  }
}

/** One event as a line of JSON: every column, the time in ISO 8601 (the audit-log download and the archive). */
export function auditEventLine(event: AuditEvent): string {
  return JSON.stringify(extend(event, { occurredAt: event.occurredAt.toISOString() }));
}
