import { LessThan, MoreThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { GatewayConfig } from '../../config';
import { OrderStatus } from '../orders/order-status';
import type { OrderDestination, OrderKind } from '../orders/order-kind';
import type { PaymentOrder } from '../orders/payment-order.entity';
import { Payee } from '../payees/payee.entity';
import { Transfer } from '../transfers/transfer.entity';
import { HoldRule } from './hold-rule';
import { extend } from '../../common/extend';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/**
 * The rules that stop the voice-phishing script (振り込め詐欺: a caller talks the customer into
 * registering a new payee and paying it at once, or into many quick payments): judged when an order
 * is made, in its creating transaction, on what the database holds. The first rule that applies
 * is the order's hold rule; it is held where it would otherwise be scheduled.
 */
export class HoldRules {
  constructor(private readonly config: GatewayConfig['fraud']) {}

  async ruleFor<O extends PaymentOrder>(
    m: EntityManager,
    kind: OrderKind<O>,
    order: O,
    amount: number,
    now: Date,
  ): Promise<HoldRule | null> {
    const destination = kind.destination?.(order);
    if (!destination) return null;
    if (await this.isNewPayee(m, order.contractId, destination, amount, now)) return HoldRule.NEW_PAYEE;
    return this.velocity(m, kind, order, amount, now);
  }

  /**
   * New: never paid by an executed transfer of the contract before the hold window, or a
   * registered payee created inside it — "first used" is the first transfer that actually ran.
   */
  private async isNewPayee(m: EntityManager, contractId: number, to: OrderDestination, amount: number, now: Date): Promise<boolean> {
    const { newPayeeHoldHours, newPayeeHoldAmount } = this.config;
    if (newPayeeHoldHours === 0 || amount <= newPayeeHoldAmount) return false;
    const since = new Date(now.getTime() - newPayeeHoldHours * HOUR_MS);
    if (to.payeeId !== null) {
      const payee = await m.findOneBy(Payee, { id: to.payeeId });
      if (!payee || payee.createdAt > since) return true;
    }
    const paidBefore = await m.existsBy(Transfer, {
      contractId,
      destinationBankCode: to.bankCode,
      destinationBranchCode: to.branchCode,
      destinationAccountType: to.accountType,
      destinationAccountNumber: to.accountNumber,
      status: OrderStatus.EXECUTED,
      executedAt: LessThan(since),
    } as FindOptionsWhere<Transfer>);
    return !paidBefore;
  }

  /**
   * More orders, or more yen, made in the window than the user (or the whole contract) may make
   * without a hold, this one included: the orders beyond the line are held, whatever became of
   * the earlier ones (a script that makes and cancels is no less a script).
   */
  private async velocity<O extends PaymentOrder>(
    m: EntityManager,
    kind: OrderKind<O>,
    order: O,
    amount: number,
    now: Date,
  ): Promise<HoldRule | null> {
    const { velocityWindowMinutes, velocity } = this.config;
    if (velocityWindowMinutes === 0) return null;
    const since = new Date(now.getTime() - velocityWindowMinutes * MINUTE_MS);
    const scopes = [
      { rule: HoldRule.USER_VELOCITY, where: { makerUserId: order.makerUserId }, limits: velocity.user },
      { rule: HoldRule.CONTRACT_VELOCITY, where: { contractId: order.contractId }, limits: velocity.contract },
    ];
    for (const scope of scopes) {
      const made = await m
        .createQueryBuilder(kind.entity, 'o')
        .select('COUNT(*)', 'orders')
        .addSelect('COALESCE(SUM(o.amount), 0)', 'yen')
        .where(extend(scope.where, { createdAt: MoreThanOrEqual(since) }))
        .getRawOne<{ orders: string | number; yen: string | number }>();
      const orders = Number(made?.orders ?? 0) + 1;
      const yen = Number(made?.yen ?? 0) + amount;
      if (orders > scope.limits.maxOrders || yen > scope.limits.maxAmount) return scope.rule;
    }
    return null;
  }
}
