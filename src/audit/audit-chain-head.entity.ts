import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateTime } from '../db/columns';
import { GENESIS_HASH } from './audit-chain';

/**
 * The last link of each chain: every writer locks this row (or, on SQLite, holds the one write
 * lock) while it appends, so two events never take the same place, on any number of instances.
 * It also remembers the end of the chain, so deleting the newest events is caught too.
 */
@Entity('audit_chain_heads')
export class AuditChainHead {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  chain!: string;

  @Column({ type: 'int' })
  sequence!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  /**
   * The anchor left by retention (audit/audit-retention.service.ts): the place and hash of the last
   * event archived and deleted, so the first event still in the database links to it. 0 and the
   * genesis hash while nothing has been pruned.
   */
  @Column({ type: 'int', default: 0 })
  prunedSequence!: number;

  @Column({ type: 'varchar', length: 64, default: GENESIS_HASH })
  prunedHash!: string;

  /** The id of that last pruned event: every event of the chain's contract after it must be in the chain. */
  @Column({ type: 'int', nullable: true })
  prunedEventId!: number | null;

  /**
   * The keyed part of the chain (audit/audit-chain.ts): events from this place on are HMACed with
   * the audit key; the ones before keep the SHA-256 hashes they were written with, and
   * `keyedFromHash` is the hash the first keyed event follows. `seal` is the key's HMAC over these
   * and `sealId` (random, so that a checkpoint names this chain of this database), so moving the
   * boundary to pass keyed events off as unkeyed breaks the seal. Null until the chain is sealed.
   */
  @Column({ type: 'int', nullable: true })
  keyedFromSequence!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  keyedFromHash!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  sealId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  seal!: string | null;

  /** Until when one instance has the chain to archive and prune (null: nobody has it). */
  @Column(dateTime({ nullable: true }))
  pruneLeaseUntil!: Date | null;
}
