/**
 * The life of every payment order (a transfer, a bulk transfer): one set of states and one
 * table of the moves between them. Every change of status is made by `moveOrder`
 * (order-transition.ts) as a conditional UPDATE generated from this table, so no kind can
 * move an order the table does not allow.
 */
export enum OrderStatus {
  /** Waiting for another user with TRANSFER_APPROVAL (maker ≠ checker). */
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  /**
   * Stopped by a fraud-control rule (holdRule says which) where it would otherwise have been
   * scheduled: nothing moves and its limits stay reserved until a bank operator releases it (after
   * 本人確認 with the customer) or it is cancelled, by the operator or by its maker (予約取消).
   */
  HELD = 'HELD',
  /** Approved (or needing no approval) and waiting for its execution date (予約): it runs when that day comes. */
  SCHEDULED = 'SCHEDULED',
  /** The money moved (for a bulk transfer: every line, in one transaction). */
  EXECUTED = 'EXECUTED',
  /** Rejected by an approver; its reserved limits are released. */
  REJECTED = 'REJECTED',
  /** Could not run on its execution date (failureCode says why); nothing moved and its reserved limits are released. */
  FAILED = 'FAILED',
  /** Withdrawn (予約取消) by its maker or the contract's administrator before it ran; its reserved limits are released. */
  CANCELLED = 'CANCELLED',
}

/**
 * The allowed moves, after Vendure's refund state machine. An approval on the execution date
 * moves PENDING_APPROVAL → SCHEDULED → EXECUTED in one transaction (two moves, both here); a
 * release of a HELD order on or after its execution date likewise HELD → SCHEDULED → EXECUTED.
 */
export const ORDER_TRANSITIONS = {
  [OrderStatus.PENDING_APPROVAL]: [OrderStatus.SCHEDULED, OrderStatus.HELD, OrderStatus.REJECTED, OrderStatus.CANCELLED],
  [OrderStatus.HELD]: [OrderStatus.SCHEDULED, OrderStatus.CANCELLED],
  [OrderStatus.SCHEDULED]: [OrderStatus.EXECUTED, OrderStatus.FAILED, OrderStatus.CANCELLED],
  [OrderStatus.EXECUTED]: [],
  [OrderStatus.REJECTED]: [],
  [OrderStatus.FAILED]: [],
  [OrderStatus.CANCELLED]: [],
} as const satisfies Record<OrderStatus, readonly OrderStatus[]>;

/** The states an order may move to `to` from, read off the table. */
export function statusesLeadingTo(to: OrderStatus): OrderStatus[] {
  return (Object.keys(ORDER_TRANSITIONS) as OrderStatus[]).filter((from) =>
    (ORDER_TRANSITIONS[from] as readonly OrderStatus[]).includes(to),
  );
}
