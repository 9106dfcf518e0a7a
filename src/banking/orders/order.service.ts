import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { auditActor } from '../../audit/audit-actor';
import type { AuditService } from '../../audit/audit.service';
import { callerIdentity, callerUser } from '../../auth/caller';
import type { ConfirmationService } from '../../auth/confirmation.service';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode, PasskeyRefusal } from '../../common/domain-error';
import { Contract } from '../../contract/contract.entity';
import type { Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import { Role, User } from '../../users/user.entity';
import type { BankDays } from '../calendar/bank-days';
import { heldEvent } from '../holds/held-event';
import type { LimitService } from '../limits/limit.service';
import type { ApprovalPasskeys } from './approval-passkeys';
import { bindingOf } from './order-binding';
import { approvalTooLate, notPending } from './order-errors';
import type { ExecutionDates } from './execution-date';
import type { OrderExecution } from './order-execution';
import type { OrderKind } from './order-kind';
import { findOrder, listOrders, ordersCancellableBy, ordersVisibleTo, type OrderListArgs } from './order-lookup';
import { OrderPages } from './order-pages';
import { OrderStatus } from './order-status';
import { moveOrder } from './order-transition';
import type { PaymentOrder } from './payment-order.entity';

const WAITING_FOR_APPROVAL = 'waiting for approval';
const CANCELLABLE = 'cancellable (only an order waiting for approval, held or waiting for its execution date is)';

/**
 * Payment orders of any kind as their users see them: read one or a page (under one visibility
 * rule), and decide them — approve, reject, cancel — each checked the
 * same way for every kind (NOT_FOUND, not pending, maker ≠ checker), confirmed with the
 * caller's confirmation password, made by one conditional UPDATE from the transition table
 * (exactly one decision wins, on however many instances) and audited in the same transaction.
 */
export class OrderService {
  private readonly pages = new Map<OrderKind, OrderPages<PaymentOrder>>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly limits: LimitService,
    private readonly bankDays: BankDays,
    private readonly execution: OrderExecution,
    private readonly executionDates: ExecutionDates,
    private readonly passkeys: ApprovalPasskeys,
  ) {}

  /** One order of a kind the caller may see; any other id is NOT_FOUND alike. */
  order<O extends PaymentOrder>(kind: OrderKind<O>, ctx: RequestContext, id: number): Promise<O> {
    return findOrder(this.db.manager, kind, ordersVisibleTo(ctx, kind), id, 'id');
  }

  /**
   * The orders of a kind the caller may see, newest first: makers their own, approvers all of the
   * contract's. With `properties`, the orders may have only those read (OrderPages.read).
   */
  orders<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    args: OrderListArgs,
    properties: ReadonlySet<string> | null = null,
  ): Promise<{ items: O[]; nextCursor: number | null }> {
    return listOrders(this.db.manager, this.pagesOf(kind), kind, ctx, args, properties);
  }

  /** Each kind's page statements, prepared on its first list. */
  private pagesOf<O extends PaymentOrder>(kind: OrderKind<O>): OrderPages<O> {
    let pages = this.pages.get(kind) as OrderPages<O> | undefined;
    if (!pages) {
      pages = new OrderPages(this.db, kind);
      this.pages.set(kind, pages as unknown as OrderPages<PaymentOrder>);
    }
    return pages;
  }

  /**
   * Approves and, when its day has come, executes. An approval after the cut-off of the order's
   * execution date (or on a later day) moves an order made for the first day possible to the next
   * day it can run on, and its reserved limits with it: it counts against the day it actually runs
   * (LIMIT_EXCEEDED, and nothing changes, when that day has no room left). An order for a day the
   * customer asked for is never moved (DESIGN.md §6.9): too late for that day, the approval is
   * INVALID_EXECUTION_DATE and the order stays waiting, for its maker to cancel.
   */
  async approve<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    id: number,
    confirmationPassword: string,
    passkeyAssertion: string | null = null,
  ): Promise<O> {
    const pending = await this.approvable(kind, ctx, id);
    // Before the password too: an approval refused for want of a passkey costs no attempt toward the lock.
    await this.passkeys.requireIfDue(kind, ctx, pending, passkeyAssertion);
    await this.confirmation.confirm(ctx, confirmationPassword);
    const proved = passkeyAssertion === null ? null : await this.passkeys.verify(kind, ctx, pending, this.clock.now(), passkeyAssertion);
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      // An order a hold rule judged against when it was made is held now, approved but not scheduled (holds/).
      const held = pending.holdRule !== null;
      const approved = await this.decide(m, kind, id, held ? OrderStatus.HELD : OrderStatus.SCHEDULED, WAITING_FOR_APPROVAL, {
        decidedAt: now,
        ...checkerColumns(ctx),
        ...(held ? { heldAt: now } : {}),
      });
      const executionDate = await this.reachableExecutionDate(m, kind, approved, now);
      // 取引認証: what is approved is the order as this transaction holds it, on the day it runs — and, with a
      // passkey, exactly what was signed; execution computes it again and refuses any difference.
      const binding = await bindingOf(m, kind, approved, executionDate);
      if (proved && proved.binding !== binding) throw passkeyOrderChanged(kind, id);
      const bound = { approvalBinding: binding, approvalPasskeyId: proved?.passkeyId ?? null };
      await m.update(kind.entity, { id } as FindOptionsWhere<O>, bound as never);
      await this.record(m, kind, ctx, approved, 'approved', { executionDate, binding, passkeyId: bound.approvalPasskeyId });
      const scheduled = await m.findOneByOrFail(kind.entity, { id } as FindOptionsWhere<O>);
      if (held) await this.audit.record(m, auditActor(ctx), heldEvent(kind, scheduled));
      if (held || !this.bankDays.isDue(executionDate, now)) return scheduled;
      return this.execution.executeNow(m, kind, auditActor(ctx), scheduled);
    });
  }

  /**
   * 取引認証, step one: a passkey challenge bound to this pending order as it stands — payee, amount,
   * account, and the day an approval now makes it run on — for approve…(passkeyAssertion:).
   */
  async beginApproval<O extends PaymentOrder>(kind: OrderKind<O>, ctx: RequestContext, id: number) {
    const pending = await this.approvable(kind, ctx, id);
    return this.passkeys.begin(kind, ctx, pending, this.clock.now());
  }

  /** A pending order the caller may approve now: the checker's, and neither past its deadline nor too late for its day. */
  private async approvable<O extends PaymentOrder>(kind: OrderKind<O>, ctx: RequestContext, id: number): Promise<O> {
    const pending = await this.pendingForChecker(kind, ctx, id);
    // Before the password: an approval that cannot be made costs no attempt toward the lock.
    const deadline = kind.approveBy?.(pending);
    if (deadline && this.clock.now() >= deadline) throw approvalTooLate(kind, id, deadline);
    const late = this.executionDates.lateApproval(pending, this.clock.now(), kind.idArgument);
    if (late) throw late;
    return pending;
  }

  async reject<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    id: number,
    reason: string,
    confirmationPassword: string,
  ): Promise<O> {
    await this.pendingForChecker(kind, ctx, id);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const decided = { decidedAt: this.clock.now(), rejectionReason: reason, ...checkerColumns(ctx) };
      const rejected = await this.decide(m, kind, id, OrderStatus.REJECTED, WAITING_FOR_APPROVAL, decided);
      await this.limits.release(m, kind.limits.of(rejected), rejected.executionDate, kind.amount(rejected));
      await this.record(m, kind, ctx, rejected, 'rejected', { reason });
      return rejected;
    });
  }

  /**
   * 予約取消: the maker, or the contract's administrator, withdraws an order that waits for
   * approval or for its execution date, or is held (holds/), before it runs; its reserved limits are released. Racing
   * an approval that executes it or the scheduled run, exactly one of them wins.
   */
  async cancel<O extends PaymentOrder>(kind: OrderKind<O>, ctx: RequestContext, id: number, confirmationPassword: string): Promise<O> {
    const order = await findOrder(this.db.manager, kind, ordersCancellableBy(ctx, kind), id);
    const user = callerUser(ctx);
    if (order.makerUserId !== user.id && user.role !== Role.ADMIN) {
      throw new DomainError(ErrorCode.FORBIDDEN, `Only the maker of this ${kind.noun} or the contract’s administrator can cancel it.`);
    }
    if (![OrderStatus.PENDING_APPROVAL, OrderStatus.HELD, OrderStatus.SCHEDULED].includes(order.status)) {
      throw notPending(kind, id, CANCELLABLE, order.status);
    }
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const cancelled = await this.decide(m, kind, id, OrderStatus.CANCELLED, CANCELLABLE, { decidedAt: this.clock.now() });
      // Read after the move: an approval just before may have moved the execution date, and the reservation with it.
      await this.limits.release(m, kind.limits.of(cancelled), cancelled.executionDate, kind.amount(cancelled));
      await this.record(m, kind, ctx, cancelled, 'cancelled', { executionDate: cancelled.executionDate });
      return cancelled;
    });
  }

  /** A pending order of the checker's contract, checked for maker ≠ checker on user and certificate. */
  private async pendingForChecker<O extends PaymentOrder>(kind: OrderKind<O>, ctx: RequestContext, id: number): Promise<O> {
    const order = await findOrder(this.db.manager, kind, ordersVisibleTo(ctx, kind), id);
    if (order.status !== OrderStatus.PENDING_APPROVAL) throw notPending(kind, id, WAITING_FOR_APPROVAL, order.status);
    assertNotTheMaker(ctx, order, kind.noun);
    return order;
  }

  /** The decision itself, from the transition table; the order as it stands after it (locked by this transaction). */
  private async decide<O extends PaymentOrder>(
    m: EntityManager,
    kind: OrderKind<O>,
    id: number,
    to: OrderStatus,
    wanted: string,
    set: Parameters<typeof moveOrder>[4],
  ): Promise<O> {
    if (!(await moveOrder(m, kind, id, to, set))) throw notPending(kind, id, wanted);
    return m.findOneByOrFail(kind.entity, { id } as FindOptionsWhere<O>);
  }

  private record<O extends PaymentOrder>(
    m: EntityManager,
    kind: OrderKind<O>,
    ctx: RequestContext,
    order: O,
    step: 'approved' | 'rejected' | 'cancelled',
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(m, auditActor(ctx), {
      action: kind.actions[step],
      contractId: order.contractId,
      target: { type: kind.targetType, id: order.id },
      detail: { ...kind.summary(order), ...detail },
    });
  }

  /**
   * The execution date of an order just approved, or — approved after that day's cut-off — the
   * first day it can still run on, with its reserved limits moved there (under the limits as they
   * are now), so that it counts against the day it actually runs. A held order released late
   * (holds/hold.service.ts) is moved the same way.
   */
  async reachableExecutionDate<O extends PaymentOrder>(m: EntityManager, kind: OrderKind<O>, order: O, now: Date): Promise<string> {
    const earliest = this.bankDays.executionDate(now).executionDate;
    if (order.executionDate >= earliest) return order.executionDate;
    // Checked again in the deciding transaction (the password check took a while): rolls the approval back.
    const late = this.executionDates.lateApproval(order, now, kind.idArgument);
    if (late) throw late;
    const maker = await m.findOneByOrFail(User, { id: order.makerUserId });
    const contract = await m.findOneByOrFail(Contract, { id: order.contractId });
    await this.limits.release(m, kind.limits.of(order), order.executionDate, kind.amount(order));
    await this.limits.reserveFor(m, kind.limits, { maker, contract }, earliest, kind.amount(order));
    await m.update(kind.entity, { id: order.id } as FindOptionsWhere<O>, { executionDate: earliest } as never);
    return earliest;
  }
}

/** Maker ≠ checker, on the user and on the certificate: nobody approves or rejects their own work, from any session (but see partners'). */
function assertNotTheMaker(ctx: RequestContext, order: PaymentOrder, noun: string): void {
  const { user, certificate, contract } = callerIdentity(ctx);
  // A partner's order waits for approval even where the contract asks for none (order-creation.ts):
  // there the person it was made for confirms it themselves; a contract with approval keeps maker ≠ checker.
  if (order.partnerGrantId !== null && contract?.requiresApproval === false && order.makerUserId === user.id) return;
  if (order.makerUserId === user.id || order.makerCertificateFingerprint === certificate.fingerprint) {
    throw new DomainError(ErrorCode.FORBIDDEN, `The maker of a ${noun} cannot approve or reject it; another user must (maker ≠ checker).`);
  }
}

/** The order changed between the passkey's verification and the decision: the approval rolls back. */
function passkeyOrderChanged(kind: OrderKind, id: number): DomainError {
  return new DomainError(
    ErrorCode.PASSKEY_VERIFICATION_FAILED,
    `The ${kind.noun} ${id} changed while it was being approved; nothing changed.`,
    {
      reason: PasskeyRefusal.ORDER_CHANGED,
      field: kind.idArgument,
    },
  );
}

/** Who decided (approved or rejected), by user and by certificate, as the decision records it. */
function checkerColumns(ctx: RequestContext): { approverUserId: number; approverCertificateFingerprint: string } {
  const { user, certificate } = callerIdentity(ctx);
  return { approverUserId: user.id, approverCertificateFingerprint: certificate.fingerprint };
}
