import type { EntityManager } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { orderBinding } from './approval-binding';
import type { OrderKind } from './order-kind';
import type { PaymentOrder } from './payment-order.entity';

/**
 * The binding of an order as stored now (取引認証, approval-binding.ts): its account paid from and
 * its kind's facts, on `executionDate` — the day an approval now would make it run on, or, at
 * execution, the day it runs.
 */
export async function bindingOf<O extends PaymentOrder>(
  m: EntityManager,
  kind: OrderKind<O>,
  order: O,
  executionDate: string = order.executionDate,
): Promise<string> {
  const account = await m.findOneByOrFail(Account, { id: order.accountId });
  const from = { branchCode: account.branchCode, accountType: account.accountType, accountNumber: account.accountNumber };
  return orderBinding(Object.assign(await kind.bound(m, order, from), { executionDate }));
}

/** Whether an approved order is still what was approved: true when it has no binding (approved before 取引認証, or needing no approval). */
export async function stillAsApproved<O extends PaymentOrder>(m: EntityManager, kind: OrderKind<O>, order: O): Promise<boolean> {
  return order.approvalBinding === null || (await bindingOf(m, kind, order)) === order.approvalBinding;
}
