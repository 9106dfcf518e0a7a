import { AuditAction } from '../../audit/audit-action';
import { Permission } from '../../users/user.entity';
import { debitLine } from '../accounts/statement-debit';
import { StatementLine } from '../accounts/statement-line.entity';
import { boundLines } from '../lines/bound-lines';
import type { LineStore } from '../lines/order-line.entity';
import { SALARY_LIMITS } from '../limits/limit.service';
import type { OrderKind } from '../orders/order-kind';
import { SalaryCategory, SalaryTransfer, SalaryTransferLine } from './salary-transfer.entity';
import { extend } from '../../common/extend';

/** Where a salary transfer's lines are kept. */
export const SALARY_TRANSFER_LINES: LineStore<SalaryTransferLine> = { entity: SalaryTransferLine, orderColumn: 'salaryTransferId' };

const STATEMENT_LABEL: Record<SalaryCategory, string> = { [SalaryCategory.SALARY]: '給与振込', [SalaryCategory.BONUS]: '賞与振込' };

/**
 * A salary or bonus transfer (給与・賞与振込) as a kind of payment order: approved by
 * SALARY_APPROVAL holders by its submission deadline (never moved to a later day), counted against
 * the contract's salary limit on its debit date, and booked on the company's statement as one
 * line for the total — what each employee is paid is not for everyone who may read the statement.
 */
export const SALARY_TRANSFER: OrderKind<SalaryTransfer> = {
  noun: 'salary transfer',
  entity: SalaryTransfer,
  targetType: 'SalaryTransfer',
  idArgument: 'salaryTransferId',
  actions: {
    created: AuditAction.SALARY_TRANSFER_CREATED,
    approved: AuditAction.SALARY_TRANSFER_APPROVED,
    rejected: AuditAction.SALARY_TRANSFER_REJECTED,
    cancelled: AuditAction.SALARY_TRANSFER_CANCELLED,
    executed: AuditAction.SALARY_TRANSFER_EXECUTED,
    failed: AuditAction.SALARY_TRANSFER_FAILED,
  },
  approvalPermission: Permission.SALARY_APPROVAL,
  limits: SALARY_LIMITS,
  approveBy: (salary) => salary.submissionDeadline,
  amount: (salary) => salary.totalAmount,
  summary: (salary) => ({ category: salary.category, payday: salary.payday, lineCount: salary.lineCount, totalAmount: salary.totalAmount }),
  async post(m, salary, account, now) {
    const debit = {
      amount: salary.totalAmount,
      balanceAfter: account.balance,
      description: `${STATEMENT_LABEL[salary.category]} ${salary.lineCount}件 ${salary.payday}`,
    };
    await m.insert(StatementLine, extend(debitLine(account.id, now, debit), { transferId: null, bulkTransferId: null }));
  },
  async bound(m, salary, from) {
    const lines = await boundLines(m, SALARY_TRANSFER_LINES, salary.id);
    const { payday, category, executionDate } = salary;
    return { kind: 'SALARY_TRANSFER', id: salary.id, from, lines, executionDate, payday, category };
  },
  keyTarget: (id) => ({ salaryTransferId: id }),
  madeByKey: (key) => key.salaryTransferId,
};
