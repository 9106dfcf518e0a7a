import crypto from 'node:crypto';
import { LessThan, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode } from '../../common/domain-error';
import type { Database } from '../../db/database';
import { IdempotencyKey } from './idempotency-key.entity';
import type { KeyTarget } from './order-kind';

/** How long a key is kept: a retry within this time returns the original; after it the key may be used again. */
export const IDEMPOTENCY_KEY_HOURS = 24;
/** The unique index that decides between concurrent requests with one key. */
export const IDEMPOTENCY_KEY_INDEX = 'UQ_idempotency_keys_contract_key';

/** Visible ASCII, 1 to 64 characters: a UUID, a ULID or an ERP's own payment number fit; spaces and control characters do not. */
const KEY_SHAPE = /^[\x21-\x7e]{1,64}$/;

/** A key as sent (optional argument), checked before anything else; BAD_USER_INPUT names `idempotencyKey`. */
export function checkedIdempotencyKey(key: string | null | undefined): string | undefined {
  if (key === undefined || key === null) return undefined;
  if (!KEY_SHAPE.test(key)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'An idempotency key is 1 to 64 visible ASCII characters (no spaces), such as a UUID.', {
      field: 'idempotencyKey',
    });
  }
  return key;
}

/**
 * "The same request": SHA-256 of a canonical JSON array of the operation, the caller and the
 * input after normalisation (a payee name typed half-width or full-width is one name). Fields
 * go in a fixed order, so key order in the client's JSON cannot matter.
 */
export function requestHash(operation: string, fields: readonly unknown[]): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([operation, ...fields]))
    .digest('hex');
}

export interface KeyedRequest {
  contractId: number;
  key: string;
  hash: string;
}

/** What a key stands for when a request arrives with it. */
export type KeyLookup =
  /** Never used (in this contract): the request goes ahead and claims it. */
  | { kind: 'new' }
  /** Used more than 24 hours ago: the request goes ahead and the old row gives way. */
  | { kind: 'expired'; rowId: number }
  /** The same request within 24 hours: answer what it made. */
  | { kind: 'repeat'; row: IdempotencyKey };

function reused(): DomainError {
  return new DomainError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    `This idempotency key was used in the last ${IDEMPOTENCY_KEY_HOURS} hours for a different request ` +
      '(other input, operation or user); nothing was done. Send a new request with a new key.',
    { field: 'idempotencyKey' },
  );
}

/**
 * Idempotency keys (DESIGN.md §6.7). A request with a key is looked up before its password is
 * checked (a reused key is refused at no cost toward the lock); the key is claimed inside the
 * transaction that makes the transfer, so the unique index — not a read — decides a race, and
 * the losers roll back everything, their limit reservations included.
 */
export class IdempotencyKeys {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private oldestKept(): Date {
    return new Date(this.clock.now().getTime() - IDEMPOTENCY_KEY_HOURS * 3600_000);
  }

  /** Throws IDEMPOTENCY_KEY_REUSED when the key is taken by a different request within 24 hours. */
  async lookUp(request: KeyedRequest, manager: EntityManager = this.db.manager): Promise<KeyLookup> {
    const row = await manager.findOneBy(IdempotencyKey, { contractId: request.contractId, idempotencyKey: request.key });
    if (!row) return { kind: 'new' };
    if (row.createdAt < this.oldestKept()) return { kind: 'expired', rowId: row.id };
    if (row.requestHash !== request.hash) throw reused();
    return { kind: 'repeat', row };
  }

  /**
   * Takes the key for what this transaction made. A concurrent request with the same key makes
   * this insert fail (a UniqueViolation on IDEMPOTENCY_KEY_INDEX, after the other commits), which
   * rolls this transaction back; its caller then answers with what the other one made.
   */
  async claim(m: EntityManager, request: KeyedRequest, lookup: KeyLookup, made: KeyTarget): Promise<void> {
    if (lookup.kind === 'expired') await m.delete(IdempotencyKey, { id: lookup.rowId, createdAt: LessThan(this.oldestKept()) });
    await m.insert(IdempotencyKey, {
      contractId: request.contractId,
      idempotencyKey: request.key,
      requestHash: request.hash,
      transferId: 'transferId' in made ? made.transferId : null,
      bulkTransferId: 'bulkTransferId' in made ? made.bulkTransferId : null,
      salaryTransferId: 'salaryTransferId' in made ? made.salaryTransferId : null,
      createdAt: this.clock.now(),
    });
  }

  /** Forgets keys past their 24 hours (the scheduled run calls it); returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db.transaction((m) => m.delete(IdempotencyKey, { createdAt: LessThan(this.oldestKept()) }));
    return result.affected ?? 0;
  }
}
