import { In, type EntityManager, type FindOperator, type FindOptionsWhere } from 'typeorm';
import { callerContractId, callerUser } from '../../auth/caller';
import { absentIfNull } from '../../common/arguments';
import { olderThan, pageOf } from '../../common/pagination';
import type { RequestContext } from '../../graphql/context';
import { Role } from '../../users/user.entity';
import { orderNotFound } from './order-errors';
import type { OrderPages } from './order-pages';
import type { OrderKind } from './order-kind';
import type { OrderStatus } from './order-status';
import type { PaymentOrder } from './payment-order.entity';
import { extend } from '../../common/extend';

/** Which orders of a contract a caller reaches: `makerUserId` narrows them to the caller's own. */
export interface OrderScope {
  contractId: number;
  makerUserId?: number;
  /** A partner's: the accounts the customer's consent names. */
  accountId?: FindOperator<number>;
}

/**
 * Which orders of a kind a caller may see: their contract's; a maker without the kind's approval
 * permission (TRANSFER_APPROVAL, SALARY_APPROVAL) only their own. One rule for the lists, the reads
 * by id, the decisions and the exports.
 */
export function ordersVisibleTo(ctx: RequestContext, kind: OrderKind): OrderScope {
  const user = callerUser(ctx);
  const contractId = callerContractId(ctx);
  // A partner sees the orders its person made, on the accounts the consent names: never others', whatever the person may see.
  if (ctx.partner) return { contractId, makerUserId: user.id, accountId: In(ctx.partner.accountIds) };
  return user.permissions.includes(kind.approvalPermission) ? { contractId } : { contractId, makerUserId: user.id };
}

/** Which orders a caller may cancel: the contract's administrator any of the contract's; anyone else what they see (and then only their own). */
export function ordersCancellableBy(ctx: RequestContext, kind: OrderKind): OrderScope {
  return callerUser(ctx).role === Role.ADMIN ? { contractId: callerContractId(ctx) } : ordersVisibleTo(ctx, kind);
}

/**
 * Find or throw (Vendure's getEntityOrThrow): the order `id` of this kind within `scope`, or
 * NOT_FOUND naming `field` — the same answer for an unknown id, another contract's and one the
 * caller may not see, for every kind.
 */
export async function findOrder<O extends PaymentOrder>(
  manager: EntityManager,
  kind: OrderKind<O>,
  scope: OrderScope,
  id: number,
  field: string = kind.idArgument,
): Promise<O> {
  const order = await manager.findOneBy(kind.entity, extend(scope, { id }) as FindOptionsWhere<O>);
  if (!order) throw orderNotFound(kind, id, field);
  return order;
}

export interface OrderListArgs {
  first: number;
  before?: number | null;
  status?: OrderStatus | null;
}

/** A page of the orders of a kind the caller may see, newest first; `properties` as for OrderPages.read. */
export async function listOrders<O extends PaymentOrder>(
  manager: EntityManager,
  pages: OrderPages<O>,
  kind: OrderKind<O>,
  ctx: RequestContext,
  given: OrderListArgs,
  properties: ReadonlySet<string> | null = null,
): Promise<{ items: O[]; nextCursor: number | null }> {
  const args = absentIfNull(given);
  const scope = ordersVisibleTo(ctx, kind);
  const take = args.first + 1;
  if (scope.accountId === undefined) {
    const { contractId, makerUserId } = scope;
    return pageOf(await pages.read({ contractId, makerUserId, before: args.before, status: args.status }, take, properties), args.first);
  }
  // A partner's scope names its consent's accounts, a list of any length: no one prepared shape, so TypeORM builds it.
  const status = args.status === undefined ? {} : { status: args.status };
  const where = { ...scope, ...olderThan(args), ...status } as FindOptionsWhere<O>;
  const rows = await manager.find(kind.entity, { where, order: { id: 'DESC' } as never, take });
  return pageOf(rows, args.first);
}
