import crypto from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import type { Database } from '../db/database';
import type { NoticeOutbox } from '../notices/notice-outbox';
import type { AuditAction } from './audit-action';
import { chainOf, chainSeal, eventHash, GENESIS_HASH } from './audit-chain';
import { AuditChainHead } from './audit-chain-head.entity';
import { AuditEvent, AuditOutcome } from './audit-event.entity';
import { extend } from '../common/extend';

/** Who did it, from which certificate and address: taken from the request context. */
export interface AuditActor {
  userId: number | null;
  loginId: string | null;
  contractId: number | null;
  certificateFingerprint: string | null;
  sourceAddress: string | null;
  /** A partner (連携先) acting on the user's behalf: recorded in the event's detail as `partner`. */
  partner?: { id: number; clientId: string; name: string; grantId: number };
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
  constructor(
    private readonly clock: Clock,
    /** The audit key (audit/audit-chain-key.ts). */
    private readonly key: Buffer,
    /** E-mail notices of the notifiable actions (notices/notices.ts), written in the event's transaction. */
    private readonly notices: NoticeOutbox | null = null,
  ) {}

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
      detail: detailOf(record.detail, actor),
    };
    const chain = chainOf(contractId);
    const head = await this.lockedHead(manager, chain);
    // Every event is keyed: a chain not sealed yet (it was last written before the key) is sealed first.
    if (!head.seal && !(await this.seal(manager, head))) throw new Error(`The audit chain ${chain} moved under a locked head`);
    const link = extend(fields, { chain, sequence: head.sequence + 1, previousHash: head.hash });
    const hash = eventHash(link, this.key);
    await manager.insert(AuditEvent, extend(link, { hash }));
    // Compare-and-set: with the row locked this always holds; if it ever did not, the transaction
    // fails rather than fork the chain.
    const advanced = await manager.update(AuditChainHead, { chain, sequence: head.sequence }, { sequence: link.sequence, hash });
    if (!advanced.affected) throw new Error(`The audit chain ${chain} moved under a locked head`);
    await this.notices?.enqueue(manager, extend(fields, { detail: record.detail }));
  }

  /**
   * Seals a chain with the key from its next event on (the events so far keep their unkeyed
   * hashes): only with the seal in place are its events keyed, so that nobody can move the
   * boundary without the key. Conditional on the head as read: a head that moved is left to the
   * writer that moved it.
   */
  private async seal(manager: EntityManager, head: AuditChainHead): Promise<boolean> {
    const fields = {
      chain: head.chain,
      keyedFromSequence: head.sequence + 1,
      keyedFromHash: head.hash,
      sealId: crypto.randomBytes(16).toString('hex'),
    };
    const sealed = await manager.update(
      AuditChainHead,
      { chain: head.chain, sequence: head.sequence, hash: head.hash, seal: IsNull() },
      extend(fields, { seal: chainSeal(fields, this.key) }),
    );
    return Boolean(sealed.affected);
  }

  /**
   * Seals every chain not sealed yet, at the gateway's start: a chain written before the audit key
   * existed (or that nobody has written to since) is protected from then on, its unkeyed events
   * included, as the first keyed event and the seal both hold the last unkeyed hash.
   */
  async sealUnsealedChains(db: Database): Promise<number> {
    let sealed = 0;
    for (const head of await db.manager.findBy(AuditChainHead, { seal: IsNull() })) {
      if (await db.transaction((m) => this.seal(m, head))) sealed++;
    }
    return sealed;
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

/** The event's detail as stored (at most 1,000 characters), naming the partner first when one acted. */
function detailOf(detail: Record<string, unknown> | undefined, actor: AuditActor): string | null {
  const withPartner = actor.partner ? { partner: actor.partner, ...detail } : detail;
  return withPartner ? JSON.stringify(withPartner).slice(0, 1000) : null;
}
