import { AuditAction } from '../../audit/audit-action';
import { debitLine } from '../accounts/statement-debit';
import { StatementLine } from '../accounts/statement-line.entity';
import { Permission } from '../../users/user.entity';
import { TRANSFER_LIMITS } from '../limits/limit.service';
import type { OrderKind } from '../orders/order-kind';
import { BulkTransfer, BulkTransferLine } from './bulk-transfer.entity';
import { boundLines } from '../lines/bound-lines';
import { insertInChunks } from '../lines/insert-in-chunks';
import type { LineStore } from '../lines/order-line.entity';
import { extend } from '../../common/extend';

/** Where a bulk transfer's lines are kept. */
export const BULK_TRANSFER_LINES: LineStore<BulkTransferLine> = { entity: BulkTransferLine, orderColumn: 'bulkTransferId' };

/**
 * A bulk transfer (総合振込) as a kind of payment order: its total moves as one, and every line
 * gets its own statement line, written in multi-row INSERTs, each with the balance after it.
 */
export const BULK_TRANSFER: OrderKind<BulkTransfer> = {
  noun: 'bulk transfer',
  entity: BulkTransfer,
  targetType: 'BulkTransfer',
  idArgument: 'bulkTransferId',
  actions: {
    created: AuditAction.BULK_TRANSFER_CREATED,
    approved: AuditAction.BULK_TRANSFER_APPROVED,
    rejected: AuditAction.BULK_TRANSFER_REJECTED,
    cancelled: AuditAction.BULK_TRANSFER_CANCELLED,
    executed: AuditAction.BULK_TRANSFER_EXECUTED,
    failed: AuditAction.BULK_TRANSFER_FAILED,
  },
  approvalPermission: Permission.TRANSFER_APPROVAL,
  limits: TRANSFER_LIMITS,
  amount: (bulk) => bulk.totalAmount,
  summary: (bulk) => ({ lineCount: bulk.lineCount, totalAmount: bulk.totalAmount }),
  async post(m, bulk, account, now) {
    const lines = await m.find(BulkTransferLine, {
      select: { lineNumber: true, amount: true, payeeName: true },
      where: { bulkTransferId: bulk.id },
      order: { lineNumber: 'ASC' },
    });
    // The balance after each line, in order, down to the balance the debit left.
    let balanceAfter = account.balance + bulk.totalAmount;
    const statementLines = lines.map((line) => {
      balanceAfter -= line.amount;
      const debit = { amount: line.amount, balanceAfter, description: `総合振込 ${line.payeeName}` };
      return extend(debitLine(account.id, now, debit), { transferId: null, bulkTransferId: bulk.id });
    });
    await insertInChunks(m, StatementLine, statementLines as StatementLine[]);
  },
  async bound(m, bulk, from) {
    const lines = await boundLines(m, BULK_TRANSFER_LINES, bulk.id);
    return { kind: 'BULK_TRANSFER', id: bulk.id, from, lines, executionDate: bulk.executionDate };
  },
  keyTarget: (id) => ({ bulkTransferId: id }),
  madeByKey: (key) => key.bulkTransferId,
};
