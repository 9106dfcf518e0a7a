import { AuditAction } from '../../audit/audit-action';
import type { AuditRecord } from '../../audit/audit.service';
import type { OrderKind } from '../orders/order-kind';
import type { PaymentOrder } from '../orders/payment-order.entity';
import { extend } from '../../common/extend';

/** ORDER_HELD: the event of an order stopped by a rule, the same wherever it was held (made, or approved). */
export function heldEvent<O extends PaymentOrder>(kind: OrderKind<O>, order: O): AuditRecord {
  return {
    action: AuditAction.ORDER_HELD,
    contractId: order.contractId,
    target: { type: kind.targetType, id: order.id },
    detail: extend(kind.summary(order), { holdRule: order.holdRule, executionDate: order.executionDate }),
  };
}
