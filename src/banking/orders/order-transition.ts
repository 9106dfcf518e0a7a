import { In, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { OrderKind } from './order-kind';
import { statusesLeadingTo, type OrderStatus } from './order-status';
import type { PaymentOrder } from './payment-order.entity';
import { extend } from '../../common/extend';

/**
 * Moves an order to `to`, with `set` beside it, by one conditional UPDATE generated from the
 * transition table: `UPDATE … SET status = :to, … WHERE id = :id AND status IN (:allowedFrom)`.
 * The database decides between concurrent moves (an approval, a cancellation, the scheduled run,
 * on any number of instances): exactly one changes the row, the others change none and get false.
 */
export async function moveOrder<O extends PaymentOrder>(
  m: EntityManager,
  kind: OrderKind<O>,
  id: number,
  to: OrderStatus,
  set: Partial<Omit<PaymentOrder, 'id' | 'status'>> = {},
  from?: readonly OrderStatus[],
): Promise<boolean> {
  // `from` narrows the table's moves to those a decision is about (a release is only from HELD).
  const allowedFrom = statusesLeadingTo(to).filter((status) => !from || from.includes(status));
  const where = { id, status: In(allowedFrom) } as FindOptionsWhere<O>;
  const moved = await m.update(kind.entity, where, extend(set, { status: to }) as QueryDeepPartialEntity<O>);
  return (moved.affected ?? 0) > 0;
}
