import { gql } from '../../graphql/client';
import {
  ApproveBulkTransferDocument,
  ApproveTransferDocument,
  BulkTransferDocument,
  BulkTransfersDocument,
  CancelBulkTransferDocument,
  CancelTransferDocument,
  RejectBulkTransferDocument,
  RejectTransferDocument,
  TransferDocument,
  TransfersDocument,
  type BulkTransferFieldsFragment,
  type TransferFieldsFragment,
  type TransferStatus,
} from '../../graphql/api.generated';

/**
 * A payment order as the pages show it: a transfer (振込) or a bulk transfer (総合振込). Both kinds
 * share one lifecycle and one set of statuses (docs/payment-orders.md), so lists mix them.
 */
export type Order = ({ kind: 'single' } & TransferFieldsFragment) | ({ kind: 'bulk' } & BulkTransferFieldsFragment);
export type OrderKind = Order['kind'];

export const ORDER_KIND: Record<OrderKind, string> = { single: '振込', bulk: '総合振込' };

export const orderKey = (order: Pick<Order, 'kind' | 'id'>): string => `${order.kind}-${order.id}`;
export const orderPath = (order: Pick<Order, 'kind' | 'id'>): string => `/transfers/${order.kind}/${order.id}`;
export const orderAmount = (order: Order): number => (order.kind === 'single' ? order.amount : order.totalAmount);

const single = (t: TransferFieldsFragment): Order => ({ kind: 'single', ...t });
const bulk = (b: BulkTransferFieldsFragment): Order => ({ kind: 'bulk', ...b });

const newestFirst = (a: Order, b: Order) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id;

export async function fetchOrder(kind: OrderKind, id: number): Promise<Order> {
  if (kind === 'single') return single((await gql(TransferDocument, { id })).transfer);
  return bulk((await gql(BulkTransferDocument, { id, first: 1 })).bulkTransfer);
}

export interface Search {
  kinds: OrderKind[];
  status: TransferStatus | null;
  /** 受付日 (YYYY-MM-DD, Asia/Tokyo), inclusive; null: no bound. */
  from: string | null;
  to: string | null;
}

const PAGE = 50;
/** Pages read per kind for one search: the lists are newest first and have no date filter. */
const MAX_PAGES = 10;

/**
 * Orders of the period, newest first. The API lists each kind newest first, filtered by status;
 * the period is applied here, reading pages until they are older than its start (at most
 * MAX_PAGES a kind — `capped` then says that older ones of the period may be missing).
 */
export async function searchOrders(search: Search): Promise<{ orders: Order[]; capped: boolean }> {
  const inPeriod = (o: Order) => (!search.from || o.businessDate >= search.from) && (!search.to || o.businessDate <= search.to);
  let capped = false;
  const read = async (page: (before: number | null) => Promise<{ items: Order[]; nextCursor: number | null }>) => {
    const found: Order[] = [];
    let before: number | null = null;
    for (let n = 0; n < MAX_PAGES; n++) {
      const { items, nextCursor } = await page(before);
      found.push(...items.filter(inPeriod));
      const oldest = items.at(-1);
      if (nextCursor === null || (search.from && oldest && oldest.businessDate < search.from)) return found;
      before = nextCursor;
    }
    capped = true;
    return found;
  };
  const lists = await Promise.all([
    search.kinds.includes('single')
      ? read(async (before) => {
          const { transfers } = await gql(TransfersDocument, { status: search.status, before, first: PAGE });
          return { items: transfers.items.map(single), nextCursor: transfers.nextCursor ?? null };
        })
      : [],
    search.kinds.includes('bulk')
      ? read(async (before) => {
          const { bulkTransfers } = await gql(BulkTransfersDocument, { status: search.status, before, first: PAGE });
          return { items: bulkTransfers.items.map(bulk), nextCursor: bulkTransfers.nextCursor ?? null };
        })
      : [],
  ]);
  return { orders: lists.flat().sort(newestFirst), capped };
}

/** Orders waiting for an approval this user may give: others' (maker ≠ checker). */
export async function ordersToApprove(loginId: string): Promise<{ orders: Order[]; capped: boolean }> {
  const { orders, capped } = await searchOrders({ kinds: ['single', 'bulk'], status: 'PENDING_APPROVAL', from: null, to: null });
  return { orders: orders.filter((o) => o.maker.loginId !== loginId), capped };
}

/** One decision, one request: the server checks one password per request (query limits). */
export async function approveOrder(order: Pick<Order, 'kind' | 'id'>, confirmationPassword: string): Promise<Order> {
  if (order.kind === 'single')
    return single((await gql(ApproveTransferDocument, { transferId: order.id, confirmationPassword })).approveTransfer);
  return bulk((await gql(ApproveBulkTransferDocument, { bulkTransferId: order.id, confirmationPassword })).approveBulkTransfer);
}

export async function rejectOrder(order: Pick<Order, 'kind' | 'id'>, reason: string, confirmationPassword: string): Promise<Order> {
  if (order.kind === 'single')
    return single((await gql(RejectTransferDocument, { transferId: order.id, reason, confirmationPassword })).rejectTransfer);
  return bulk((await gql(RejectBulkTransferDocument, { bulkTransferId: order.id, reason, confirmationPassword })).rejectBulkTransfer);
}

/** 予約取消: the answer carries the id and the new status only (an administrator may cancel what they cannot read). */
export async function cancelOrder(
  order: Pick<Order, 'kind' | 'id'>,
  confirmationPassword: string,
): Promise<{ id: number; status: TransferStatus; decidedAt: string | null }> {
  if (order.kind === 'single') return (await gql(CancelTransferDocument, { transferId: order.id, confirmationPassword })).cancelTransfer;
  return (await gql(CancelBulkTransferDocument, { bulkTransferId: order.id, confirmationPassword })).cancelBulkTransfer;
}

/** Whether an order can still be withdrawn (予約取消): before it ran or was decided otherwise. */
export const cancellable = (order: Order): boolean =>
  order.status === 'PENDING_APPROVAL' || order.status === 'HELD' || order.status === 'SCHEDULED';
