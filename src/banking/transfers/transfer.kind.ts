import { AuditAction } from '../../audit/audit-action';
import { debitLine } from '../accounts/statement-debit';
import { StatementLine } from '../accounts/statement-line.entity';
import { Permission } from '../../users/user.entity';
import { TRANSFER_LIMITS } from '../limits/limit.service';
import type { OrderKind } from '../orders/order-kind';
import { Transfer } from './transfer.entity';
import { extend } from '../../common/extend';

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
  approvalPermission: Permission.TRANSFER_APPROVAL,
  limits: TRANSFER_LIMITS,
  amount: (transfer) => transfer.amount,
  summary: (transfer) => ({ amount: transfer.amount }),
  async post(m, transfer, account, now) {
    const debit = { amount: transfer.amount, balanceAfter: account.balance, description: `振込 ${transfer.payeeName}` };
    await m.insert(StatementLine, extend(debitLine(account.id, now, debit), { transferId: transfer.id }));
  },
  async bound(_m, transfer, from) {
    const to = {
      bankCode: transfer.destinationBankCode,
      branchCode: transfer.destinationBranchCode,
      accountType: transfer.destinationAccountType,
      accountNumber: transfer.destinationAccountNumber,
      payeeName: transfer.payeeName,
    };
    return { kind: 'TRANSFER', id: transfer.id, from, to, amount: transfer.amount, executionDate: transfer.executionDate };
  },
  destination: (transfer) => ({
    bankCode: transfer.destinationBankCode,
    branchCode: transfer.destinationBranchCode,
    accountType: transfer.destinationAccountType,
    accountNumber: transfer.destinationAccountNumber,
    payeeId: transfer.payeeId,
  }),
  keyTarget: (id) => ({ transferId: id }),
  madeByKey: (key) => key.transferId,
};
