import fs from 'node:fs';
import { IsNull, MoreThan } from 'typeorm';
import type { Database } from '../db/database';
import { readInPages } from '../db/paged-read';
import { archiveEnd, archiveFileOf, archiveMeetsAnchor } from './audit-archive';
import { chainOf, ChainWalk, GENESIS_HASH } from './audit-chain';
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
  /** Where retention pruned the chain: the last archived event's place and hash (0 and the genesis hash: nothing pruned). */
  prunedThroughSequence: number;
  prunedThroughHash: string;
  /** Whether this instance's archive ends at that anchor; null when nothing was pruned or the archive is not on this instance. */
  archiveEndsAtAnchor: boolean | null;
}

/**
 * Checks a chain link by link: each event must take the next place, name its predecessor's hash
 * and hash to what it says; the chain's head must end where the events do; and no event of the
 * chain's contract written after chaining began may sit outside it. Catches edits, deletions
 * (also of the newest events) and events moved out of the chain. Where retention archived and
 * pruned the oldest events, the walk starts at the anchor they left, and the archive (when this
 * instance has it) must end there.
 */
export class AuditChainService {
  constructor(
    private readonly db: Database,
    private readonly archiveDir: string,
  ) {}

  async verify(contractId: number | null): Promise<ChainVerification> {
    const chain = chainOf(contractId);
    const head = await this.db.manager.findOneBy(AuditChainHead, { chain });
    const anchor = { prunedSequence: head?.prunedSequence ?? 0, prunedHash: head?.prunedHash ?? GENESIS_HASH };
    const walk = new ChainWalk(chain, anchor.prunedSequence, anchor.prunedHash);
    const pruned = { prunedThroughSequence: anchor.prunedSequence, prunedThroughHash: anchor.prunedHash };
    let archiveEndsAtAnchor: boolean | null = null;
    let checkedEvents = 0;
    const broken = (event: { id: number | null; sequence: number }, problem: string): ChainVerification => ({
      chain,
      ok: false,
      checkedEvents,
      brokenAtEventId: event.id,
      brokenAtSequence: event.sequence,
      problem,
      ...pruned,
      archiveEndsAtAnchor,
    });
    const archive = archiveFileOf(this.archiveDir, chain);
    if (anchor.prunedSequence > 0 && fs.existsSync(archive)) {
      const hashInDatabase = async (sequence: number) => (await this.db.manager.findOneBy(AuditEvent, { chain, sequence }))?.hash ?? null;
      const end = await archiveEnd(archive, { repair: false }).catch(() => null); // unreadable: it does not end there
      archiveEndsAtAnchor = end !== null && (await archiveMeetsAnchor(end, anchor, hashInDatabase));
      if (!archiveEndsAtAnchor) {
        return broken(
          { id: null, sequence: anchor.prunedSequence },
          'The archive does not end where the pruned events end: events left the database without it, or it was altered.',
        );
      }
    }
    let firstEventId: number | null = null;
    // From the anchor (or the start) on, a page at a time with other requests served between pages.
    // They may append events meanwhile (and move the head): the walk follows them until it
    // reaches the head as it stands after the walk. An event is committed with its head, so a
    // walk that ends beyond the head has found events the head never had (forged or left behind).
    let headNow: AuditChainHead | null;
    let headBefore: number | null = null;
    for (;;) {
      const from = walk.sequence;
      for await (const events of readInPages(this.db.manager, AuditEvent, { chain, sequence: MoreThan(from) }, 'sequence')) {
        for (const event of events) {
          firstEventId ??= event.id;
          const expected = walk.sequence + 1;
          const problem = walk.follow(event);
          if (problem) return broken({ id: event.sequence === expected ? event.id : null, sequence: expected }, problem);
          checkedEvents++;
        }
      }
      headNow = await this.db.manager.findOneBy(AuditChainHead, { chain });
      if (!headNow || headNow.sequence <= walk.sequence) break;
      // No new event and an unmoved head: the head points past events that are gone (deleted).
      if (walk.sequence === from && headNow.sequence === headBefore) break;
      headBefore = headNow.sequence;
    }
    if (headNow && (headNow.sequence !== walk.sequence || headNow.hash !== walk.hash)) {
      return broken({ id: null, sequence: walk.sequence + 1 }, `The newest events after place ${walk.sequence} are missing (deleted).`);
    }
    // Every event of the contract after the first one chained (or the last one pruned) must be in the chain.
    const chainedFrom = head?.prunedEventId ?? firstEventId;
    if (chainedFrom !== null) {
      const outside = await this.db.manager.findOne(AuditEvent, {
        where: { contractId: contractId ?? IsNull(), chain: IsNull(), id: MoreThan(chainedFrom) },
        order: { id: 'ASC' },
      });
      if (outside) return broken({ id: outside.id, sequence: 0 }, 'An event was taken out of the chain.');
    }
    return { chain, ok: true, checkedEvents, brokenAtEventId: null, brokenAtSequence: null, problem: null, ...pruned, archiveEndsAtAnchor };
  }
}
