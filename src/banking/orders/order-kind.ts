import type { EntityManager } from 'typeorm';
import type { AuditAction } from '../../audit/audit-action';
import type { Permission } from '../../users/user.entity';
import type { OrderLimits } from '../limits/limit.service';
import type { Account } from '../accounts/account.entity';
import type { BoundAccount, BoundOrder } from './approval-binding';
import type { IdempotencyKey } from './idempotency-key.entity';
import type { PaymentOrder } from './payment-order.entity';

/** The column of an idempotency key that names the order it made. */
export type KeyTarget = { transferId: number } | { bulkTransferId: number } | { salaryTransferId: number };

/** Where a held kind pays: one destination account, and the registered payee it came from, if any. */
export interface OrderDestination {
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  payeeId: number | null;
}

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
 * One kind of payment order (a transfer, a bulk transfer, a salary transfer): what the shared
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
  /** Who approves an order of this kind, and sees every one of the contract's (a maker without it sees their own). */
  approvalPermission: Permission;
  /** The daily limits (利用限度額) an order of this kind reserves on its execution date. */
  limits: OrderLimits;
  /**
   * The last moment an approval may come, if the kind has one (a salary transfer: its submission
   * deadline). Without one, an approval after the execution date's cut-off moves the order to the
   * next day it can run on.
   */
  approveBy?(order: O): Date;
  /** What it moves: the sum its daily limits reserve and its account is debited by. */
  amount(order: O): number;
  /** What every audit event of the order says of it. */
  summary(order: O): Record<string, unknown>;
  /**
   * Books an executed order on its account's statement (入出金明細), in the executing transaction:
   * the account has been debited by `amount(order)` and `account.balance` is the balance after it.
   */
  post(m: EntityManager, order: O, account: Account, now: Date): Promise<void>;
  /** 取引認証: the facts of the order an approval is bound to, read from what is stored (approval-binding.ts). */
  bound(m: EntityManager, order: O, from: BoundAccount): Promise<BoundOrder>;
  /**
   * Where an order of one destination pays (a transfer), for the hold rules (holds/hold-rules.ts);
   * a kind without it (bulk, salary: many lines, their own approvals) is never held.
   */
  destination?(order: O): OrderDestination;
  /** How an idempotency key points at an order of this kind, and back (null: the key made another kind). */
  keyTarget(id: number): KeyTarget;
  madeByKey(key: IdempotencyKey): number | null;
}
