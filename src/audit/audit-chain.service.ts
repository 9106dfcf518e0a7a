import { IsNull, MoreThan } from 'typeorm';
import type { Database } from '../db/database';
import { chainOf, eventHash, GENESIS_HASH } from './audit-chain';
import { AuditChainHead } from './audit-chain-head.entity';
import { AuditEvent } from './audit-event.entity';

export interface ChainVerification {
  chain: string;
  ok: boolean;
  checkedEvents: number;
  /** The first event that does not fit, or the place of a missing one. */
  brokenAtEventId: number | null;
  brokenAtSequence: number | null;
  problem: string | null;
}

const PAGE = 1000;

/**
 * Checks a chain link by link: each event must take the next place, name its predecessor's hash
 * and hash to what it says; the chain's head must end where the events do; and no event of the
 * chain's contract written after chaining began may sit outside it. Catches edits, deletions
 * (also of the newest events) and events moved out of the chain.
 */
export class AuditChainService {
  constructor(private readonly db: Database) {}

  async verify(contractId: number | null): Promise<ChainVerification> {
    const chain = chainOf(contractId);
    let checkedEvents = 0;
    const broken = (event: { id: number | null; sequence: number }, problem: string): ChainVerification => ({
      chain,
      ok: false,
      checkedEvents,
      brokenAtEventId: event.id,
      brokenAtSequence: event.sequence,
      problem,
    });
    let sequence = 0;
    let previousHash = GENESIS_HASH;
    let firstEventId: number | null = null;
    for (;;) {
      const events = await this.db.manager.find(AuditEvent, {
        where: { chain, sequence: MoreThan(sequence) },
        order: { sequence: 'ASC' },
        take: PAGE,
      });
      for (const event of events) {
        firstEventId ??= event.id;
        const expected = sequence + 1;
        if (event.sequence !== expected)
          return broken({ id: null, sequence: expected }, `The event at place ${expected} is missing (deleted).`);
        if (event.previousHash !== previousHash)
          return broken({ id: event.id, sequence: expected }, 'The event does not follow the one before it.');
        const { chain: _chain, sequence: _sequence, previousHash: _previous, ...fields } = event;
        if (eventHash({ ...fields, chain, sequence: expected, previousHash }) !== event.hash) {
          return broken({ id: event.id, sequence: expected }, 'The event was altered after it was written.');
        }
        checkedEvents++;
        sequence = expected;
        previousHash = event.hash;
      }
      if (events.length < PAGE) break;
    }
    const head = await this.db.manager.findOneBy(AuditChainHead, { chain });
    if (head && (head.sequence !== sequence || head.hash !== previousHash)) {
      return broken({ id: null, sequence: sequence + 1 }, `The newest events after place ${sequence} are missing (deleted).`);
    }
    if (firstEventId !== null) {
      const outside = await this.db.manager.findOne(AuditEvent, {
        where: { contractId: contractId ?? IsNull(), chain: IsNull(), id: MoreThan(firstEventId) },
        order: { id: 'ASC' },
      });
      if (outside) return broken({ id: outside.id, sequence: 0 }, 'An event was taken out of the chain.');
    }
    return { chain, ok: true, checkedEvents, brokenAtEventId: null, brokenAtSequence: null, problem: null };
  }
}
