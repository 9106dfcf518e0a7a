import { LessThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { AuditAction } from '../../audit/audit-action';
import { systemActor } from '../../audit/audit-actor';
import { AuditOutcome } from '../../audit/audit-event.entity';
import type { AuditActor, AuditService } from '../../audit/audit.service';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { Contract, ContractStatus } from '../../contract/contract.entity';
import { moveCounters } from '../../db/counters';
import type { Database } from '../../db/database';
import { Account } from '../accounts/account.entity';
import { businessDate } from '../calendar/business-day';
import type { LimitService } from '../limits/limit.service';
import { stillAsApproved } from './order-binding';
import { bindingMismatch, insufficientFunds, notPending } from './order-errors';
import type { OrderKind } from './order-kind';
import { OrderStatus } from './order-status';
import { moveOrder } from './order-transition';
import type { PaymentOrder } from './payment-order.entity';
import { extend } from '../../common/extend';

/** What the scheduled run did with one due order. */
export type RunOutcome = 'executed' | 'failed' | 'taken';

/**
 * Execution, for every kind of order: claimed first (SCHEDULED → EXECUTED by the conditional
 * UPDATE of the transition table, so that two instances never both run it: the other's claim
 * changes no row — on MySQL it waits for this transaction and then finds the order executed),
 * then the account debited, also conditionally (never below zero), the kind's statement lines
 * written and the execution audited, all in one transaction. Short of funds on its execution date,
 * the scheduled run records the order FAILED and gives its reserved limits back.
 */
export class OrderExecution {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly limits: LimitService,
  ) {}

  /**
   * Runs a SCHEDULED order now, in the caller's transaction (a creation or an approval on its
   * execution date): short of funds, INSUFFICIENT_FUNDS, and the caller's transaction rolls back.
   */
  async executeNow<O extends PaymentOrder>(m: EntityManager, kind: OrderKind<O>, actor: AuditActor, order: O): Promise<O> {
    if (!(await stillAsApproved(m, kind, order))) throw bindingMismatch(kind, order.id);
    const ran = await this.execute(m, kind, actor, order);
    if (!ran) throw notPending(kind, order.id, 'scheduled to run');
    return ran;
  }

  /** Claim, debit, statement, audit; null when the order is no longer SCHEDULED (run or cancelled meanwhile). */
  private async execute<O extends PaymentOrder>(m: EntityManager, kind: OrderKind<O>, actor: AuditActor, order: O): Promise<O | null> {
    const now = this.clock.now();
    const claimed = await moveOrder(m, kind, order.id, OrderStatus.EXECUTED, { executedAt: now, decidedAt: order.decidedAt ?? now });
    if (!claimed) return null;
    const amount = kind.amount(order);
    const debited = await moveCounters(m, Account, { match: { id: order.accountId } }, [{ column: 'balance', by: -amount, min: 0 }]);
    if (!debited) throw insufficientFunds();
    const account = await m.findOneByOrFail(Account, { id: order.accountId });
    await kind.post(m, order, account, now);
    await this.audit.record(m, actor, {
      action: kind.actions.executed,
      contractId: order.contractId,
      target: { type: kind.targetType, id: order.id },
      detail: extend(kind.summary(order), { balanceAfter: account.balance, executionDate: order.executionDate }),
    });
    return m.findOneByOrFail(kind.entity, { id: order.id } as FindOptionsWhere<O>);
  }

  /** SCHEDULED orders of a kind whose execution date has come, oldest first, at most `limit` of them. */
  async due(kind: OrderKind, limit: number): Promise<number[]> {
    const rows = await this.db.manager.find(kind.entity, {
      select: { id: true },
      where: { status: OrderStatus.SCHEDULED, executionDate: LessThanOrEqual(businessDate(this.clock.now())) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /**
   * The scheduled run of one due order, in its own transaction: executed, FAILED (no funds, or the
   * contract under emergency stop: nothing leaves its accounts), or `taken` when another instance
   * ran it or it was cancelled first. A run short of funds rolls back whole, claim included, and
   * the order then fails in a transaction of its own — unless something else took it meanwhile.
   */
  async runScheduled<O extends PaymentOrder>(kind: OrderKind<O>, id: number): Promise<RunOutcome> {
    try {
      return await this.db.transaction(async (m) => {
        const order = await this.scheduled(m, kind, id);
        if (!order) return 'taken';
        const contract = await m.findOneByOrFail(Contract, { id: order.contractId });
        if (contract.status !== ContractStatus.ACTIVE) return this.fail(m, kind, order, ErrorCode.CONTRACT_STOPPED);
        // 取引認証, computed again at execution: an order changed since its approval does not run.
        if (!(await stillAsApproved(m, kind, order))) return this.fail(m, kind, order, ErrorCode.APPROVAL_BINDING_MISMATCH);
        return (await this.execute(m, kind, systemActor(order.contractId), order)) ? 'executed' : 'taken';
      });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.INSUFFICIENT_FUNDS)) throw error;
      return this.db.transaction(async (m) => {
        const order = await this.scheduled(m, kind, id);
        return order ? this.fail(m, kind, order, ErrorCode.INSUFFICIENT_FUNDS) : 'taken';
      });
    }
  }

  private async scheduled<O extends PaymentOrder>(m: EntityManager, kind: OrderKind<O>, id: number): Promise<O | null> {
    const order = await m.findOneBy(kind.entity, { id } as FindOptionsWhere<O>);
    return order?.status === OrderStatus.SCHEDULED ? order : null;
  }

  /** SCHEDULED → FAILED with the reason, its limits given back, nothing moved (an order no longer as approved: audited as such too). */
  private async fail<O extends PaymentOrder>(m: EntityManager, kind: OrderKind<O>, order: O, failureCode: ErrorCode): Promise<RunOutcome> {
    if (!(await moveOrder(m, kind, order.id, OrderStatus.FAILED, { executedAt: null, failureCode }))) return 'taken';
    await this.limits.release(m, kind.limits.of(order), order.executionDate, kind.amount(order));
    await this.audit.record(m, systemActor(order.contractId), {
      action: kind.actions.failed,
      outcome: AuditOutcome.FAILURE,
      contractId: order.contractId,
      target: { type: kind.targetType, id: order.id },
      detail: extend(kind.summary(order), { executionDate: order.executionDate, failureCode }),
    });
    if (failureCode === ErrorCode.APPROVAL_BINDING_MISMATCH) {
      await this.audit.record(m, systemActor(order.contractId), {
        action: AuditAction.APPROVAL_BINDING_MISMATCH,
        outcome: AuditOutcome.FAILURE,
        contractId: order.contractId,
        target: { type: kind.targetType, id: order.id },
        detail: extend(kind.summary(order), { approvalBinding: order.approvalBinding }),
      });
    }
    return 'failed';
  }
}
