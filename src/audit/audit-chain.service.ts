import fs from 'node:fs';
import type { Logger } from 'pino';
import { IsNull, MoreThan } from 'typeorm';
import type { Clock } from '../common/clock';
import type { Database } from '../db/database';
import { readInPages } from '../db/paged-read';
import { archiveEnd, archiveFileOf, archiveMeetsAnchor } from './audit-archive';
import { AuditCheckpoints, type Checkpoint } from './audit-checkpoint';
import { chainOf, chainSeal, ChainWalk, GENESIS_HASH, keyingOf, sameMac } from './audit-chain';
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
 * and hash to what it says (with the audit key from the chain's seal on); the chain's head must end
 * where the events do, and at or past the checkpoint kept outside the database; and no event of
 * the chain's contract written after chaining began may sit outside it. Catches edits (also with
 * every later hash recomputed, which needs the key), deletions (also of the newest events with the
 * head rolled back, up to the last checkpoint) and events moved out of the chain. Where retention
 * archived and pruned the oldest events, the walk starts at the anchor they left, and the archive
 * (when this instance has it) must end there. A chain that verifies gets a new checkpoint.
 */
export class AuditChainService {
  private readonly checkpoints: AuditCheckpoints;
  /** The head each chain's checkpoint was last written at by this process: an unchanged chain costs no file access. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly archiveDir: string,
    private readonly key: Buffer,
  ) {
    this.checkpoints = new AuditCheckpoints(archiveDir, key);
  }

  async verify(contractId: number | null): Promise<ChainVerification> {
    const chain = chainOf(contractId);
    const head = await this.db.manager.findOneBy(AuditChainHead, { chain });
    const anchor = { prunedSequence: head?.prunedSequence ?? 0, prunedHash: head?.prunedHash ?? GENESIS_HASH };
    const walk = new ChainWalk(chain, keyingOf(head, this.key), anchor.prunedSequence, anchor.prunedHash);
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
    if (head && !this.sealHolds(head)) {
      return broken(
        { id: null, sequence: head.keyedFromSequence ?? 0 },
        head.seal
          ? 'The chain’s seal does not match: where its keyed events begin was changed, or the audit key is not the one it was written with.'
          : 'The chain carries no seal of the audit key: it was written without the key, or its seal was removed.',
      );
    }
    const checkpoint = head?.sealId ? await this.checkpoints.read(chain, head.sealId).catch(() => ({ altered: true as const })) : null;
    if (checkpoint && 'altered' in checkpoint) {
      return broken({ id: null, sequence: 0 }, 'The chain’s checkpoint outside the database cannot be read or was altered.');
    }
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
    // The checkpoint's place must be passed with the checkpoint's hash (at the anchor, or by the walk).
    const missesCheckpoint = () =>
      checkpoint !== null &&
      walk.sequence === checkpoint.sequence &&
      walk.hash !== checkpoint.hash &&
      checkpoint.sequence >= anchor.prunedSequence;
    if (missesCheckpoint()) return broken({ id: null, sequence: walk.sequence }, this.checkpointProblem(checkpoint!));
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
          if (missesCheckpoint()) return broken({ id: event.id, sequence: expected }, this.checkpointProblem(checkpoint!));
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
    if (checkpoint && walk.sequence < checkpoint.sequence) {
      return broken(
        { id: null, sequence: walk.sequence + 1 },
        `The newest events after place ${walk.sequence} are missing (deleted): the checkpoint of ${checkpoint.writtenAt} saw the chain up to place ${checkpoint.sequence}.`,
      );
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
    if (head?.sealId && walk.sequence > 0) await this.checkpoint(chain, head.sealId, walk.sequence, walk.hash);
    return { chain, ok: true, checkedEvents, brokenAtEventId: null, brokenAtSequence: null, problem: null, ...pruned, archiveEndsAtAnchor };
  }

  private sealHolds(head: AuditChainHead): boolean {
    if (head.keyedFromSequence === null || head.keyedFromHash === null || head.sealId === null) return false;
    const expected = chainSeal(
      { chain: head.chain, keyedFromSequence: head.keyedFromSequence, keyedFromHash: head.keyedFromHash, sealId: head.sealId },
      this.key,
    );
    return sameMac(head.seal, expected);
  }

  private checkpointProblem(checkpoint: Checkpoint): string {
    return `The event at place ${checkpoint.sequence} is not the one the checkpoint of ${checkpoint.writtenAt} saw there: the chain was rewritten from there on.`;
  }

  /** A checkpoint that could not be written leaves the chain as protected as before: logged, never a failure. */
  private async checkpoint(chain: string, sealId: string, sequence: number, hash: string): Promise<void> {
    await this.checkpoints
      .write({ chain, sealId, sequence, hash }, this.clock.now())
      .catch((error: unknown) => this.logger.warn({ err: error, chain, archiveDir: this.archiveDir }, 'audit checkpoint not written'));
  }

  /**
   * The scheduler's run: a checkpoint of every sealed chain's head as it stands, so that the newest
   * events are anchored outside the database within SCHEDULER_INTERVAL_SECONDS even when nobody verifies.
   */
  async checkpointAll(): Promise<void> {
    const heads = await this.db.manager.find(AuditChainHead, {
      select: { chain: true, sealId: true, sequence: true, hash: true, prunedSequence: true, prunedHash: true },
    });
    for (const head of heads) {
      if (!head.sealId || head.sequence === 0 || this.written.get(head.chain) === head.sequence) continue;
      // Moved on only over the event the last checkpoint saw: a chain cut back and written on
      // since keeps its old checkpoint, for verifyAuditChain to report.
      const current = await this.checkpoints.read(head.chain, head.sealId).catch(() => null);
      if (current && !('altered' in current) && !(await this.stillHolds(head, current))) {
        this.logger.error({ chain: head.chain, checkpoint: current.sequence }, 'audit chain no longer holds the event its checkpoint saw');
        continue;
      }
      await this.checkpoint(head.chain, head.sealId, head.sequence, head.hash);
      this.written.set(head.chain, head.sequence);
    }
  }

  /** Whether the chain still has, at the checkpoint's place, the hash the checkpoint saw (pruned places are the archive's to prove). */
  private async stillHolds(head: AuditChainHead, checkpoint: Checkpoint): Promise<boolean> {
    if (checkpoint.sequence > head.sequence) return false;
    if (checkpoint.sequence < head.prunedSequence) return true;
    if (checkpoint.sequence === head.prunedSequence) return head.prunedHash === checkpoint.hash;
    const event = await this.db.manager.findOneBy(AuditEvent, { chain: head.chain, sequence: checkpoint.sequence });
    return event?.hash === checkpoint.hash;
  }
}
