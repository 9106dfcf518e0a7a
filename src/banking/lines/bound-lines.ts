import type { EntityManager, FindOptionsWhere } from 'typeorm';
import type { BoundLine } from '../orders/approval-binding';
import type { LineStore, OrderLine } from './order-line.entity';

/** An order's lines as an approval is bound to them (取引認証), in line order, read from what is stored. */
export async function boundLines<L extends OrderLine>(m: EntityManager, store: LineStore<L>, orderId: number): Promise<BoundLine[]> {
  const lines = await m.find(store.entity, {
    select: { lineNumber: true, bankCode: true, branchCode: true, accountType: true, accountNumber: true, payeeName: true, amount: true },
    where: { [store.orderColumn]: orderId } as FindOptionsWhere<L>,
    order: { lineNumber: 'ASC' } as never,
  } as never);
  return lines.map(({ lineNumber, bankCode, branchCode, accountType, accountNumber, payeeName, amount }) => ({
    lineNumber,
    bankCode,
    branchCode,
    accountType,
    accountNumber,
    payeeName,
    amount,
  }));
}
