import type { EntityManager } from 'typeorm';
import { auditActor } from '../../audit/audit-actor';
import type { AuditService } from '../../audit/audit.service';
import { callerContractId, callerIdentity } from '../../auth/caller';
import type { ConfirmationService } from '../../auth/confirmation.service';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { Contract } from '../../contract/contract.entity';
import { isUniqueViolationOf, type Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import { User } from '../../users/user.entity';
import type { Account } from '../accounts/account.entity';
import type { AccountService } from '../accounts/account.service';
import type { BankDate } from '../calendar/bank-calendar';
import type { BankDays } from '../calendar/bank-days';
import { businessDate } from '../calendar/business-day';
import { heldEvent } from '../holds/held-event';
import type { HoldRules } from '../holds/hold-rules';
import type { LimitService } from '../limits/limit.service';
import { assertWithinPerTransferLimit, type TransferAmount } from '../limits/per-transfer-limit';
import type { DateSource, ExecutionDates } from './execution-date';
import { IDEMPOTENCY_KEY_INDEX, requestHash, type IdempotencyKeys, type KeyedRequest } from './idempotency';
import type { IdempotencyKey } from './idempotency-key.entity';
import { insufficientFunds } from './order-errors';
import type { OrderExecution } from './order-execution';
import type { OrderKind } from './order-kind';
import { OrderStatus } from './order-status';
import type { PaymentOrder } from './payment-order.entity';

/** What a kind hands over to create an order once its own input is checked. */
export interface OrderRequest<O extends PaymentOrder> {
  /** The operation and the fields (after normalisation, the caller excepted) that make "the same request" for an idempotency key. */
  operation: string;
  sameRequestFields: readonly unknown[];
  fromAccountId: number;
  /** Every transfer the order makes, each under the maker's per-transfer limit. */
  transfers: readonly TransferAmount[];
  /** The day asked for (振込指定日, YYYY-MM-DD), run on as asked or refused (INVALID_EXECUTION_DATE); null: the first day possible. */
  requestedDate: BankDate | null;
  /** Where the requested date came from, for a refusal; `transferDate` unless said. */
  requestedDateSource?: DateSource;
  /**
   * The kind's own rule for the day it runs, when that is not the requested date itself (a salary
   * run is debited the business day before its payday, and only by its submission deadline):
   * checked before the password and again after it, refusing as the shared rule does.
   */
  executionDate?(now: Date): BankDate;
  /** The kind's own check of the account paid from (a Zengin header must name it), before the password: nothing is done on a refusal. */
  checkPayingAccount?(account: Account): void;
  /** The kind's own columns. */
  columns: Partial<O>;
  /** More for the creation's audit event. */
  detail?: Record<string, unknown>;
  /** The kind's own rows, written in the creating transaction after the limits are reserved (a bulk transfer's lines). */
  afterInsert?(m: EntityManager, order: O): Promise<void>;
}

/**
 * Creates an order of any kind. With an idempotency key, a retry of the same request (same caller
 * and input, within 24 hours) answers the order the first one made, as it stands now, and changes
 * nothing; the same key with another request is IDEMPOTENCY_KEY_REUSED. The confirmation password
 * is checked on every request, a retry's too: a session alone never confirms a payment. The order
 * reserves its amount against the maker's and the contract's daily limits of its execution date
 * (all or nothing), waits for approval when the contract requires it, is HELD when a fraud-control
 * rule says so (holds/), and otherwise runs at once when its day has come.
 */
export class OrderCreation {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly limits: LimitService,
    private readonly idempotency: IdempotencyKeys,
    private readonly bankDays: BankDays,
    private readonly accounts: AccountService,
    private readonly execution: OrderExecution,
    private readonly executionDates: ExecutionDates,
    private readonly holds: HoldRules,
  ) {}

  async create<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    request: OrderRequest<O>,
    confirmationPassword: string,
    key: string | undefined,
  ): Promise<O> {
    const { user, certificate } = callerIdentity(ctx);
    const keyed: KeyedRequest | undefined =
      key === undefined
        ? undefined
        : { contractId: callerContractId(ctx), key, hash: requestHash(request.operation, [user.id, ...request.sameRequestFields]) };
    // Before the password: a reused key costs no attempt toward the lock.
    const lookup = keyed && (await this.idempotency.lookUp(keyed));
    if (lookup?.kind === 'repeat') {
      // The key may be the person's own, used in the web app on an account the partner's consent
      // does not name: the partner gets no such order back (the account is part of the key's request).
      if (ctx.partner) await this.accounts.usableAccount(ctx, request.fromAccountId);
      await this.confirmation.confirm(ctx, confirmationPassword);
      return this.madeBy(kind, lookup.row);
    }
    const account = await this.accounts.usableAccount(ctx, request.fromAccountId);
    request.checkPayingAccount?.(account);
    const dateSource = request.requestedDateSource ?? { field: 'transferDate' };
    const runsOn = (now: Date): BankDate =>
      request.executionDate?.(now) ?? this.executionDates.executionDate(request.requestedDate, now, dateSource);
    runsOn(this.clock.now());
    // The user's limits are read fresh: an administrator may have just changed them. Checked
    // before the password, so an order that cannot go costs no attempt toward the lock.
    const maker = await this.db.manager.findOneByOrFail(User, { id: user.id });
    assertWithinPerTransferLimit(maker, request.transfers);
    await this.confirmation.confirm(ctx, confirmationPassword);

    // Again after the password check, which takes a while: a cut-off may have passed meanwhile.
    const now = this.clock.now();
    const executionDate = runsOn(now);
    const amount = request.transfers.reduce((sum, transfer) => sum + transfer.amount, 0);
    try {
      return await this.db.transaction(async (m) => {
        const contract = await m.findOneByOrFail(Contract, { id: account.contractId });
        // A partner's order always waits for a person's approval in the web app, whatever the contract's rule.
        const requiresApproval = contract.requiresApproval || ctx.partner !== null;
        const draft = m.create(kind.entity, {
          contractId: contract.id,
          accountId: account.id,
          makerUserId: user.id,
          makerCertificateFingerprint: certificate.fingerprint,
          approverUserId: null,
          approverCertificateFingerprint: null,
          businessDate: businessDate(now),
          requestedDate: request.requestedDate,
          executionDate,
          status: requiresApproval ? OrderStatus.PENDING_APPROVAL : OrderStatus.SCHEDULED,
          createdAt: now,
          decidedAt: null,
          rejectionReason: null,
          executedAt: null,
          failureCode: null,
          holdRule: null,
          heldAt: null,
          partnerGrantId: ctx.partner?.grant.id ?? null,
          partnerName: ctx.partner?.partner.name ?? null,
          ...request.columns,
        } as O);
        // Held where it would otherwise be scheduled: at once without approval, else when approved (order.service.ts).
        draft.holdRule = await this.holds.ruleFor(m, kind, draft, amount, now);
        if (draft.holdRule && !requiresApproval) Object.assign(draft, { status: OrderStatus.HELD, heldAt: now });
        const order = await m.save(draft);
        // The key first: a concurrent request with the same key stops here, before it reserves anything.
        if (keyed && lookup) await this.idempotency.claim(m, keyed, lookup, kind.keyTarget(order.id));
        await this.limits.reserveFor(m, kind.limits, { maker, contract }, executionDate, amount);
        await request.afterInsert?.(m, order);
        await this.audit.record(m, auditActor(ctx), {
          action: kind.actions.created,
          target: { type: kind.targetType, id: order.id },
          detail: Object.assign(
            {},
            kind.summary(order),
            request.detail,
            { accountId: account.id, executionDate, requiresApproval },
            key ? { idempotencyKey: key } : {},
          ),
        });
        if (order.status === OrderStatus.HELD) {
          await this.audit.record(m, auditActor(ctx), heldEvent(kind, order));
          return order;
        }
        if (!this.bankDays.isDue(executionDate, now)) return order;
        if (requiresApproval) {
          // Funds are checked now as a courtesy and again, atomically, when it executes.
          if (account.balance < amount) throw insufficientFunds();
          return order;
        }
        return this.execution.executeNow(m, kind, auditActor(ctx), order);
      });
    } catch (error) {
      // Lost a race to a concurrent request with the same key, which has committed: answer what it made.
      if (keyed && isUniqueViolationOf(error, IDEMPOTENCY_KEY_INDEX)) {
        const winner = await this.idempotency.lookUp(keyed);
        if (winner.kind === 'repeat') return this.madeBy(kind, winner.row);
      }
      throw error;
    }
  }

  /** The order an earlier request with the same key made, as it stands now. */
  private madeBy<O extends PaymentOrder>(kind: OrderKind<O>, key: IdempotencyKey): Promise<O> {
    const id = kind.madeByKey(key);
    if (id === null) {
      // The key made an order of another kind: another operation, so another request.
      throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for a different request.', {
        field: 'idempotencyKey',
      });
    }
    return this.db.manager.findOneByOrFail(kind.entity, { id } as never);
  }
}
