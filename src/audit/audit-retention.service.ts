import type { Logger } from 'pino';
import { Between, IsNull, LessThan, MoreThanOrEqual } from 'typeorm';
import { DAY_MS, startOfTokyoDay, type Clock } from '../common/clock';
import type { GatewayConfig } from '../config';
import type { Database } from '../db/database';
import { appendToArchive, archiveEnd, archiveFileOf, archiveMeetsAnchor, safeArchiveFolder, UnsafeArchiveError } from './audit-archive';
import { ChainWalk, keyingOf } from './audit-chain';
import { AuditChainHead } from './audit-chain-head.entity';
import { AuditEvent } from './audit-event.entity';
import { extend } from '../common/extend';

export interface RetentionRun {
  /** Events written to the archive (one already there from an interrupted run is not written again). */
  archived: number;
  /** Events deleted from the database, each only once it was on disk in the archive. */
  pruned: number;
  /** Chains where a round stopped on an error (in the log); that round deleted nothing. */
  failed: number;
}

/** Events per round: one read, one append with its fsync, one transaction. */
const BATCH = 1000;
/** How long an instance has a chain to archive and prune: far longer than a round takes. */
const LEASE_MS = 10 * 60_000;

/**
 * Audit retention (AUDIT_RETENTION_DAYS; 0 keeps every event): events from before the start
 * (Asia/Tokyo) of the day that many days ago are archived, then pruned, chain by chain, oldest first.
 *
 * - Archive first: a round appends its events to the chain's file (audit/audit-archive.ts) and
 *   fsyncs it; only then, in one transaction, it deletes them and moves the chain's anchor
 *   (prunedSequence, prunedHash) to the last of them, so verifyAuditChain starts from the anchor
 *   and still catches any edit or deletion of what remains.
 * - A crash between the two leaves the events in both places; the next round finds the archive
 *   ending past the anchor at events the database still holds, writes only what follows, and deletes.
 * - One instance at a time per chain: a lease on the chain's head, taken by a conditional UPDATE;
 *   the anchor moves only from where the round found it, so a round that lost its lease deletes nothing.
 */
export class AuditRetentionService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: GatewayConfig['audit'],
    /** The audit key: a chain is archived only as far as its links hold. */
    private readonly key: Buffer,
  ) {}

  /** Events before this moment are past retention; null when retention is off. */
  cutoff(): Date | null {
    if (this.settings.retentionDays === 0) return null;
    return new Date(startOfTokyoDay(this.clock.now()).getTime() - this.settings.retentionDays * DAY_MS);
  }

  async run(): Promise<RetentionRun> {
    const outcome: RetentionRun = { archived: 0, pruned: 0, failed: 0 };
    const cutoff = this.cutoff();
    if (!cutoff) return outcome;
    for (const chain of await this.chainsWithEventsBefore(cutoff)) {
      try {
        const done = await this.pruneChain(chain, cutoff);
        outcome.archived += done.archived;
        outcome.pruned += done.pruned;
      } catch (error) {
        outcome.failed += 1;
        this.logger.error(
          { err: error, chain, archiveDir: this.settings.archiveDir },
          error instanceof UnsafeArchiveError ? 'audit retention refused the archive folder' : 'audit retention left a chain as it was',
        );
      }
    }
    if (outcome.archived || outcome.pruned || outcome.failed) this.logger.info(extend(outcome, { cutoff }), 'audit retention run');
    return outcome;
  }

  private async chainsWithEventsBefore(cutoff: Date): Promise<string[]> {
    const rows = await this.db.manager
      .createQueryBuilder(AuditEvent, 'event')
      .select('DISTINCT event.chain', 'chain')
      .where('event.occurredAt < :cutoff AND event.chain IS NOT NULL', { cutoff })
      .getRawMany<{ chain: string }>();
    return rows.map((row) => row.chain).sort();
  }

  private async pruneChain(chain: string, cutoff: Date): Promise<Omit<RetentionRun, 'failed'>> {
    const done = { archived: 0, pruned: 0 };
    for (;;) {
      const through = await this.prunableThrough(chain, cutoff);
      const head = await this.db.manager.findOneBy(AuditChainHead, { chain });
      if (!head || through <= head.prunedSequence) return done;
      const lease = await this.takeLease(chain);
      if (!lease) return done; // another instance is pruning it
      try {
        const round = await this.pruneRound(chain, through);
        done.archived += round.archived;
        done.pruned += round.pruned;
      } finally {
        await this.db.transaction((m) => m.update(AuditChainHead, { chain, pruneLeaseUntil: lease }, { pruneLeaseUntil: null }));
      }
    }
  }

  /**
   * The last place the chain may be pruned to: the event before the first one still within
   * retention. Times follow places only closely (an event's time is taken before its place), so
   * an old event after a newer one waits for a later day.
   */
  private async prunableThrough(chain: string, cutoff: Date): Promise<number> {
    const firstKept = await this.db.manager.findOne(AuditEvent, {
      where: { chain, occurredAt: MoreThanOrEqual(cutoff) },
      order: { sequence: 'ASC' },
    });
    if (firstKept) return firstKept.sequence! - 1;
    const lastOld = await this.db.manager.findOne(AuditEvent, {
      where: { chain, occurredAt: LessThan(cutoff) },
      order: { sequence: 'DESC' },
    });
    return lastOld?.sequence ?? 0;
  }

  private async takeLease(chain: string): Promise<Date | null> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + LEASE_MS);
    const taken = await this.db.transaction(async (m) => {
      const free = await m.update(AuditChainHead, { chain, pruneLeaseUntil: IsNull() }, { pruneLeaseUntil: until });
      if (free.affected) return true;
      const expired = await m.update(AuditChainHead, { chain, pruneLeaseUntil: LessThan(now) }, { pruneLeaseUntil: until });
      return Boolean(expired.affected);
    });
    return taken ? until : null;
  }

  /** One batch, under the lease: check the links, archive them (fsync), then delete them and move the anchor. */
  private async pruneRound(chain: string, through: number): Promise<Omit<RetentionRun, 'failed'>> {
    const anchor = await this.db.manager.findOneByOrFail(AuditChainHead, { chain });
    const last = Math.min(through, anchor.prunedSequence + BATCH);
    if (last <= anchor.prunedSequence) return { archived: 0, pruned: 0 }; // another instance got there first
    const events = await this.db.manager.find(AuditEvent, {
      where: { chain, sequence: Between(anchor.prunedSequence + 1, last) },
      order: { sequence: 'ASC' },
    });
    // Only whole links leave the database: a broken chain is for verifyAuditChain to report, not to archive.
    const walk = new ChainWalk(chain, keyingOf(anchor, this.key), anchor.prunedSequence, anchor.prunedHash);
    const refuse = (problem: string) => new Error(`${chain}: ${problem} Nothing was archived or pruned; verifyAuditChain shows the chain.`);
    for (const event of events) {
      const problem = walk.follow(event);
      if (problem) throw refuse(problem);
    }
    if (walk.sequence !== last) throw refuse(`The event at place ${walk.sequence + 1} is missing (deleted).`);
    const file = archiveFileOf(this.settings.archiveDir, chain);
    await safeArchiveFolder(this.settings.archiveDir);
    const end = await archiveEnd(file, { repair: true });
    const hashInDatabase = async (sequence: number) => (await this.db.manager.findOneBy(AuditEvent, { chain, sequence }))?.hash ?? null;
    if (!(await archiveMeetsAnchor(end, anchor, hashInDatabase))) {
      // Pruning on would leave a hole between the archive and the database.
      throw new Error(
        `The archive ${file} ends at place ${end.sequence}, the pruned events at place ${anchor.prunedSequence}: ` +
          'every instance that prunes must use the same AUDIT_ARCHIVE_DIR, and archive files are never moved or edited. Nothing was pruned.',
      );
    }
    const fresh = events.filter((event) => event.sequence! > end.sequence);
    await appendToArchive(file, fresh);
    const newest = events[events.length - 1];
    await this.db.transaction(async (m) => {
      // The head first, as every writer locks it first: no deadlock with an event being appended.
      const moved = await m.update(
        AuditChainHead,
        { chain, prunedSequence: anchor.prunedSequence },
        { prunedSequence: last, prunedHash: newest.hash!, prunedEventId: newest.id },
      );
      if (!moved.affected)
        throw new Error(`The anchor of ${chain} moved under this round (its lease had run out); nothing was pruned by it.`);
      await m.delete(AuditEvent, { chain, sequence: Between(anchor.prunedSequence + 1, last) });
    });
    return { archived: fresh.length, pruned: events.length };
  }
}
