import { DomainError, ErrorCode, ExecutionDateRefusal } from '../../common/domain-error';
import type { OrderKind } from './order-kind';
import type { OrderStatus } from './order-status';

/** Says nothing of the balance itself: the maker may lack ACCOUNT_INQUIRY (DESIGN.md §6.6). */
export function insufficientFunds(): DomainError {
  return new DomainError(ErrorCode.INSUFFICIENT_FUNDS, 'The account balance is not enough for this transfer.');
}

/** Unknown, another contract's, or not among the caller's: one answer, so that nothing tells them apart. */
export function orderNotFound(kind: OrderKind, id: number, field: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `There is no ${kind.noun} ${id} among yours.`, { field });
}

/**
 * An approval after the kind's deadline (a salary transfer's submission deadline): refused, never
 * moved to a later day. `reason` says why, for a program (the date rules' codes).
 */
export function approvalTooLate(kind: OrderKind, id: number, deadline: Date): DomainError {
  return new DomainError(
    ErrorCode.INVALID_EXECUTION_DATE,
    `This ${kind.noun} had to be approved by ${deadline.toISOString()}; it can no longer run on its date. Reject or cancel it and make a new one.`,
    { field: kind.idArgument, reason: ExecutionDateRefusal.SUBMISSION_DEADLINE_PASSED, deadline: deadline.toISOString() },
  );
}

/** An order that has left the state a decision needs (approved, rejected, cancelled, run or failed). */
export function notPending(kind: OrderKind, id: number, wanted: string, status?: OrderStatus): DomainError {
  const now = status ? ` (it is ${status})` : '';
  return new DomainError(ErrorCode.BAD_USER_INPUT, `This ${kind.noun} is no longer ${wanted}${now}.`, { field: kind.idArgument });
}

/** 取引認証 at execution: the order as stored is not what was approved, so it does not run. */
export function bindingMismatch(kind: OrderKind, id: number): DomainError {
  return new DomainError(
    ErrorCode.APPROVAL_BINDING_MISMATCH,
    `This ${kind.noun} (${id}) is no longer what was approved (payee, amount, date, account or lines); it was not executed.`,
    { field: kind.idArgument },
  );
}
