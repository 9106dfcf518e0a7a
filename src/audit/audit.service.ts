import type { EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import type { AuditAction } from './audit-action';
import { chainOf, eventHash, GENESIS_HASH } from './audit-chain';
import { AuditChainHead } from './audit-chain-head.entity';
import { AuditEvent, AuditOutcome } from './audit-event.entity';

/** Who did it, from which certificate and address: taken from the request context. */
export interface AuditActor {
  userId: number | null;
  loginId: string | null;
  contractId: number | null;
  certificateFingerprint: string | null;
  sourceAddress: string | null;
}

export interface AuditRecord {
  action: AuditAction;
  outcome?: AuditOutcome;
  /** The contract the event belongs to, when it is not the actor's own (operators). */
  contractId?: number | null;
  target?: { type: string; id: string | number };
  /** Non-secret facts only: never a password, PIN, enrollment code or key. */
  detail?: Record<string, unknown>;
}

export class AuditService {
  constructor(private readonly clock: Clock) {}

  /**
   * Written with the caller's transaction manager, so the record commits or rolls back with the
   * change, as the next link of its chain (DESIGN.md §7: a tamper-evident audit).
   */
  async record(manager: EntityManager, actor: AuditActor, record: AuditRecord): Promise<void> {
    const contractId = record.contractId !== undefined ? record.contractId : actor.contractId;
    const fields = {
      occurredAt: this.clock.now(),
      action: record.action,
      outcome: record.outcome ?? AuditOutcome.SUCCESS,
      contractId,
      actorUserId: actor.userId,
      actorLoginId: actor.loginId,
      certificateFingerprint: actor.certificateFingerprint,
      targetType: record.target?.type ?? null,
      targetId: record.target ? String(record.target.id) : null,
      sourceAddress: actor.sourceAddress,
      detail: record.detail ? JSON.stringify(record.detail).slice(0, 1000) : null,
    };
    const chain = chainOf(contractId);
    const head = await this.lockedHead(manager, chain);
    const link = { ...fields, chain, sequence: head.sequence + 1, previousHash: head.hash };
    const hash = eventHash(link);
    await manager.insert(AuditEvent, { ...link, hash });
    // Compare-and-set: with the row locked this always holds; if it ever did not, the transaction
    // fails rather than fork the chain.
    const advanced = await manager.update(AuditChainHead, { chain, sequence: head.sequence }, { sequence: link.sequence, hash });
    if (!advanced.affected) throw new Error(`The audit chain ${chain} moved under a locked head`);
  }

  /** The chain's head, locked until the caller's transaction ends; created at the genesis on first use. */
  private async lockedHead(manager: EntityManager, chain: string): Promise<AuditChainHead> {
    // SQLite has one writer at a time (and our transaction queue); MySQL locks the row.
    const lock = manager.connection.options.type === 'better-sqlite3' ? {} : { lock: { mode: 'pessimistic_write' as const } };
    const read = () => manager.findOne(AuditChainHead, { where: { chain }, ...lock });
    const head = await read();
    if (head) return head;
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditChainHead)
      .values({ chain, sequence: 0, hash: GENESIS_HASH })
      .orIgnore()
      .execute();
    return (await read())!;
  }
}
