import { AuditAction } from '../../audit/audit-action';
import { StatementDirection, StatementLine } from '../accounts/statement-line.entity';
import { businessDate } from '../calendar/business-day';
import type { OrderKind } from '../orders/order-kind';
import { Transfer } from './transfer.entity';

/** A single transfer (振込) as a kind of payment order: one amount, one statement line. */
export const TRANSFER: OrderKind<Transfer> = {
  noun: 'transfer',
  entity: Transfer,
  targetType: 'Transfer',
  idArgument: 'transferId',
  actions: {
    created: AuditAction.TRANSFER_CREATED,
    approved: AuditAction.TRANSFER_APPROVED,
    rejected: AuditAction.TRANSFER_REJECTED,
    cancelled: AuditAction.TRANSFER_CANCELLED,
    executed: AuditAction.TRANSFER_EXECUTED,
    failed: AuditAction.TRANSFER_FAILED,
  },
  amount: (transfer) => transfer.amount,
  summary: (transfer) => ({ amount: transfer.amount }),
  async post(m, transfer, account, now) {
    await m.insert(StatementLine, {
      accountId: account.id,
      occurredAt: now,
      businessDate: businessDate(now),
      direction: StatementDirection.DEBIT,
      amount: transfer.amount,
      balanceAfter: account.balance,
      description: `振込 ${transfer.payeeName}`.slice(0, 100),
      transferId: transfer.id,
    });
  },
  keyTarget: (id) => ({ transferId: id }),
  madeByKey: (key) => key.transferId,
};
