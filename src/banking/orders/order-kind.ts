import type { EntityManager } from 'typeorm';
import type { AuditAction } from '../../audit/audit-action';
import type { Account } from '../accounts/account.entity';
import type { IdempotencyKey } from './idempotency-key.entity';
import type { PaymentOrder } from './payment-order.entity';

/** What the audit log records of each step of an order's life. */
export interface OrderAuditActions {
  created: AuditAction;
  approved: AuditAction;
  rejected: AuditAction;
  cancelled: AuditAction;
  executed: AuditAction;
  failed: AuditAction;
}

/**
 * One kind of payment order (a transfer, a bulk transfer; salary transfers next): what the shared
 * life of an order (orders/) needs to know of it. Adding a kind is one of these and its entity.
 */
export interface OrderKind<O extends PaymentOrder = PaymentOrder> {
  /** In messages: "transfer", "bulk transfer". */
  noun: string;
  entity: new () => O;
  /** The audit events' target type. */
  targetType: string;
  /** The argument that names an order of this kind (approveTransfer(transferId: …)). */
  idArgument: string;
  actions: OrderAuditActions;
  /** What it moves: the sum its daily limits reserve and its account is debited by. */
  amount(order: O): number;
  /** What every audit event of the order says of it. */
  summary(order: O): Record<string, unknown>;
  /**
   * Books an executed order on its account's statement (入出金明細), in the executing transaction:
   * the account has been debited by `amount(order)` and `account.balance` is the balance after it.
   */
  post(m: EntityManager, order: O, account: Account, now: Date): Promise<void>;
  /** How an idempotency key points at an order of this kind, and back (null: the key made another kind). */
  keyTarget(id: number): { transferId: number } | { bulkTransferId: number };
  madeByKey(key: IdempotencyKey): number | null;
}
