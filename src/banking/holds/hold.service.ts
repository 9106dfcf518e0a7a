import { In, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import type { AuditService } from '../../audit/audit.service';
import type { ConfirmationService } from '../../auth/confirmation.service';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { Contract, ContractStatus } from '../../contract/contract.entity';
import type { Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import { User } from '../../users/user.entity';
import type { BankDays } from '../calendar/bank-days';
import type { LimitService } from '../limits/limit.service';
import type { ExecutionDates } from '../orders/execution-date';
import { notPending } from '../orders/order-errors';
import type { OrderExecution } from '../orders/order-execution';
import type { OrderKind } from '../orders/order-kind';
import { findOrder } from '../orders/order-lookup';
import { OrderStatus } from '../orders/order-status';
import { moveOrder } from '../orders/order-transition';
import type { OrderService } from '../orders/order.service';
import type { PaymentOrder } from '../orders/payment-order.entity';
import { Transfer } from '../transfers/transfer.entity';
import type { HeldTransferView } from './hold.types';
import { extend } from '../../common/extend';

const HELD = 'held';

/**
 * The bank operator's side of a hold (保留中の取引): the queue of held transfers of every
 * contract, and the two ways out of it. A release (after 本人確認: the operator calls the customer
 * back on the number the bank holds, and records who confirmed what) moves HELD → SCHEDULED and,
 * when its day has come, runs it in the same transaction; a cancellation moves HELD → CANCELLED
 * and gives its reserved limits back. Each is one conditional UPDATE from the transition table, so
 * a release racing a cancellation (the operator's or the customer's 予約取消), on any number of
 * instances, is decided exactly once, and the money moves at most once.
 */
export class HoldService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly limits: LimitService,
    private readonly bankDays: BankDays,
    private readonly execution: OrderExecution,
    private readonly executionDates: ExecutionDates,
    private readonly orders: OrderService,
  ) {}

  /** Held transfers of every contract, oldest first (the longest waiting first), one page. */
  async heldTransfers(args: { first: number; after?: number | null }): Promise<{ items: HeldTransferView[]; nextCursor: number | null }> {
    const m = this.db.manager;
    const after = args.after ?? 0;
    const rows = await m
      .createQueryBuilder(Transfer, 't')
      .where('t.status = :status AND t.id > :after', { status: OrderStatus.HELD, after })
      .orderBy('t.id', 'ASC')
      .take(args.first + 1)
      .getMany();
    const page = rows.slice(0, args.first);
    // One query each for the page's contracts and makers, never one per row.
    const contracts = await m.findBy(Contract, { id: In(unique(page.map((t) => t.contractId))) });
    const makers = await m.find(User, { select: { id: true, loginId: true }, where: { id: In(unique(page.map((t) => t.makerUserId))) } });
    const contractOf = new Map(contracts.map((c) => [c.id, c]));
    const loginIdOf = new Map(makers.map((u) => [u.id, u.loginId]));
    return {
      items: page.map((t) =>
        extend(t, {
          holdRule: t.holdRule!,
          heldAt: t.heldAt!,
          contractCode: contractOf.get(t.contractId)!.code,
          contractName: contractOf.get(t.contractId)!.name,
          makerLoginId: loginIdOf.get(t.makerUserId)!,
        }),
      ),
      nextCursor: rows.length > args.first ? page[page.length - 1].id : null,
    };
  }

  /**
   * Releases a held order after 本人確認 (`verification`: who was called back, how, what they
   * confirmed). It then runs as if just approved: at once when its day has come, else on its day.
   * Held past the cut-off of its execution date, an order for the first day possible runs on the
   * next day it can (its limits moved there); one for a day the customer asked for is refused
   * (INVALID_EXECUTION_DATE) and stays held, for the operator or the customer to cancel.
   */
  async release<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    id: number,
    verification: string,
    confirmationPassword: string,
  ): Promise<O> {
    const held = await this.heldOrder(kind, id);
    const contract = await this.db.manager.findOneByOrFail(Contract, { id: held.contractId });
    if (contract.status !== ContractStatus.ACTIVE) {
      throw new DomainError(
        ErrorCode.CONTRACT_STOPPED,
        `The contract of this ${kind.noun} is ${contract.status}; nothing leaves its accounts.`,
      );
    }
    const late = this.executionDates.lateApproval(held, this.clock.now(), kind.idArgument);
    if (late) throw late;
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const released = await this.decide(m, kind, id, OrderStatus.SCHEDULED);
      const executionDate = await this.orders.reachableExecutionDate(m, kind, released, now);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.ORDER_RELEASED,
        contractId: released.contractId,
        target: { type: kind.targetType, id },
        detail: extend(kind.summary(released), { holdRule: released.holdRule, verification, executionDate }),
      });
      const scheduled = await m.findOneByOrFail(kind.entity, { id } as FindOptionsWhere<O>);
      if (!this.bankDays.isDue(executionDate, now)) return scheduled;
      return this.execution.executeNow(m, kind, auditActor(ctx), scheduled);
    });
  }

  /** The operator cancels a held order (the customer did not confirm it, or could not be reached): its limits are released. */
  async cancel<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    id: number,
    note: string,
    confirmationPassword: string,
  ): Promise<O> {
    await this.heldOrder(kind, id);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const cancelled = await this.decide(m, kind, id, OrderStatus.CANCELLED, { decidedAt: this.clock.now() });
      await this.limits.release(m, kind.limits.of(cancelled), cancelled.executionDate, kind.amount(cancelled));
      await this.audit.record(m, auditActor(ctx), {
        action: kind.actions.cancelled,
        contractId: cancelled.contractId,
        target: { type: kind.targetType, id },
        detail: extend(kind.summary(cancelled), { holdRule: cancelled.holdRule, note, executionDate: cancelled.executionDate }),
      });
      return cancelled;
    });
  }

  /** A held order of any contract (the bank's operator reaches them all); any other id is NOT_FOUND, one no longer held BAD_USER_INPUT. */
  private async heldOrder<O extends PaymentOrder>(kind: OrderKind<O>, id: number): Promise<O> {
    const order = await findOrder(this.db.manager, kind, {} as never, id);
    if (order.status !== OrderStatus.HELD) throw notPending(kind, id, HELD, order.status);
    return order;
  }

  private async decide<O extends PaymentOrder>(
    m: EntityManager,
    kind: OrderKind<O>,
    id: number,
    to: OrderStatus,
    set: Parameters<typeof moveOrder>[4] = {},
  ): Promise<O> {
    if (!(await moveOrder(m, kind, id, to, set, [OrderStatus.HELD]))) throw notPending(kind, id, HELD);
    return m.findOneByOrFail(kind.entity, { id } as FindOptionsWhere<O>);
  }
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}
