import { businessDate } from '../calendar/business-day';
import { StatementDirection, type StatementLine } from './statement-line.entity';

/**
 * A debit booked on an account's statement (入出金明細) at `now` by an executed order, with the
 * balance after it; the kind adds which order it was (transferId, bulkTransferId) if the line names one.
 */
export function debitLine(
  accountId: number,
  now: Date,
  movement: { amount: number; balanceAfter: number; description: string },
): Omit<StatementLine, 'id' | 'transferId' | 'bulkTransferId'> {
  return {
    accountId,
    occurredAt: now,
    businessDate: businessDate(now),
    direction: StatementDirection.DEBIT,
    amount: movement.amount,
    balanceAfter: movement.balanceAfter,
    description: movement.description.slice(0, 100),
  };
}
