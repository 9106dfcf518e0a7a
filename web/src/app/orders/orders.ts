import { gql } from '../../graphql/client';
import {
  ApproveBulkTransferDocument,
  ApproveSalaryTransferDocument,
  ApproveTransferDocument,
  BulkTransferDocument,
  BulkTransfersDocument,
  CancelBulkTransferDocument,
  CancelSalaryTransferDocument,
  CancelTransferDocument,
  RejectBulkTransferDocument,
  RejectSalaryTransferDocument,
  RejectTransferDocument,
  SalaryTransferDocument,
  SalaryTransfersDocument,
  TransferDocument,
  TransfersDocument,
  type BulkTransferFieldsFragment,
  type SalaryTransferFieldsFragment,
  type TransferFieldsFragment,
  type TransferStatus,
} from '../../graphql/api.generated';
import { ACCESS, type Caller } from '../menu';

/**
 * A payment order as the pages show it: a transfer (振込), a bulk transfer (総合振込) or a salary or
 * bonus transfer (給与・賞与振込). All kinds share one lifecycle and one set of statuses
 * (docs/payment-orders.md), so lists mix them.
 */
export type Order =
  | ({ kind: 'single' } & TransferFieldsFragment)
  | ({ kind: 'bulk' } & BulkTransferFieldsFragment)
  | ({ kind: 'salary' } & SalaryTransferFieldsFragment);
export type OrderKind = Order['kind'];
/** The kinds paid to many payees at once, with lines. */
export type LinesOrder = Extract<Order, { kind: 'bulk' | 'salary' }>;

export const ORDER_KIND: Record<OrderKind, string> = { single: '振込', bulk: '総合振込', salary: '給与・賞与振込' };

type Decided = { id: number; status: TransferStatus; decidedAt: string | null };
type Page = { items: Order[]; nextCursor: number | null };

/** What each kind needs: its API operations and who may read, decide and withdraw it (access-map.json's names). */
interface KindApi {
  access: { read: string; decide: string; cancel: string };
  read(id: number): Promise<Order>;
  list(status: TransferStatus | null, before: number | null, first: number): Promise<Page>;
  approve(id: number, confirmationPassword: string, passkeyAssertion: string | null): Promise<Order>;
  reject(id: number, reason: string, confirmationPassword: string): Promise<Order>;
  cancel(id: number, confirmationPassword: string): Promise<Decided>;
}

const single = (t: TransferFieldsFragment): Order => ({ kind: 'single', ...t });
const bulk = (b: BulkTransferFieldsFragment): Order => ({ kind: 'bulk', ...b });
const salary = (s: SalaryTransferFieldsFragment): Order => ({ kind: 'salary', ...s });

const KINDS: Record<OrderKind, KindApi> = {
  single: {
    access: { read: 'TRANSFER_OR_APPROVAL', decide: 'TRANSFER_APPROVAL', cancel: 'TRANSFER_OR_ADMIN' },
    read: async (id) => single((await gql(TransferDocument, { id })).transfer),
    list: async (status, before, first) => {
      const { transfers } = await gql(TransfersDocument, { status, before, first });
      return { items: transfers.items.map(single), nextCursor: transfers.nextCursor ?? null };
    },
    approve: async (transferId, confirmationPassword, passkeyAssertion) =>
      single((await gql(ApproveTransferDocument, { transferId, confirmationPassword, passkeyAssertion })).approveTransfer),
    reject: async (transferId, reason, confirmationPassword) =>
      single((await gql(RejectTransferDocument, { transferId, reason, confirmationPassword })).rejectTransfer),
    cancel: async (transferId, confirmationPassword) =>
      (await gql(CancelTransferDocument, { transferId, confirmationPassword })).cancelTransfer,
  },
  bulk: {
    access: { read: 'TRANSFER_OR_APPROVAL', decide: 'TRANSFER_APPROVAL', cancel: 'TRANSFER_OR_ADMIN' },
    read: async (id) => bulk((await gql(BulkTransferDocument, { id, first: 1 })).bulkTransfer),
    list: async (status, before, first) => {
      const { bulkTransfers } = await gql(BulkTransfersDocument, { status, before, first });
      return { items: bulkTransfers.items.map(bulk), nextCursor: bulkTransfers.nextCursor ?? null };
    },
    approve: async (bulkTransferId, confirmationPassword, passkeyAssertion) =>
      bulk((await gql(ApproveBulkTransferDocument, { bulkTransferId, confirmationPassword, passkeyAssertion })).approveBulkTransfer),
    reject: async (bulkTransferId, reason, confirmationPassword) =>
      bulk((await gql(RejectBulkTransferDocument, { bulkTransferId, reason, confirmationPassword })).rejectBulkTransfer),
    cancel: async (bulkTransferId, confirmationPassword) =>
      (await gql(CancelBulkTransferDocument, { bulkTransferId, confirmationPassword })).cancelBulkTransfer,
  },
  salary: {
    access: { read: 'SALARY_TRANSFER_OR_APPROVAL', decide: 'SALARY_APPROVAL', cancel: 'SALARY_TRANSFER_OR_ADMIN' },
    read: async (id) => salary((await gql(SalaryTransferDocument, { id, first: 1 })).salaryTransfer),
    list: async (status, before, first) => {
      const { salaryTransfers } = await gql(SalaryTransfersDocument, { status, before, first });
      return { items: salaryTransfers.items.map(salary), nextCursor: salaryTransfers.nextCursor ?? null };
    },
    approve: async (salaryTransferId, confirmationPassword, passkeyAssertion) =>
      salary(
        (await gql(ApproveSalaryTransferDocument, { salaryTransferId, confirmationPassword, passkeyAssertion })).approveSalaryTransfer,
      ),
    reject: async (salaryTransferId, reason, confirmationPassword) =>
      salary((await gql(RejectSalaryTransferDocument, { salaryTransferId, reason, confirmationPassword })).rejectSalaryTransfer),
    cancel: async (salaryTransferId, confirmationPassword) =>
      (await gql(CancelSalaryTransferDocument, { salaryTransferId, confirmationPassword })).cancelSalaryTransfer,
  },
};

/** A page of a bulk or salary transfer's lines, with the directory's bank and branch names. */
export async function fetchLines(kind: LinesOrder['kind'], id: number, after: number | null, first: number) {
  if (kind === 'bulk') return (await gql(BulkTransferDocument, { id, after, first })).bulkTransfer.lines;
  return (await gql(SalaryTransferDocument, { id, after, first })).salaryTransfer.lines;
}

const KIND_LIST = Object.keys(KINDS) as OrderKind[];

/** The kinds this caller may read (振込結果照会), decide (承認) or withdraw (予約取消), in the menu's order. */
export const kindsFor = (caller: Caller, what: keyof KindApi['access']): OrderKind[] =>
  KIND_LIST.filter((kind) => ACCESS[KINDS[kind].access[what]](caller));

export const orderKey = (order: Pick<Order, 'kind' | 'id'>): string => `${order.kind}-${order.id}`;
export const orderPath = (order: Pick<Order, 'kind' | 'id'>): string => `/transfers/${order.kind}/${order.id}`;
export const orderAmount = (order: Order): number => (order.kind === 'single' ? order.amount : order.totalAmount);

const newestFirst = (a: Order, b: Order) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id;

export const fetchOrder = (kind: OrderKind, id: number): Promise<Order> => KINDS[kind].read(id);

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
  const read = async (kind: OrderKind) => {
    const found: Order[] = [];
    let before: number | null = null;
    for (let n = 0; n < MAX_PAGES; n++) {
      const { items, nextCursor } = await KINDS[kind].list(search.status, before, PAGE);
      found.push(...items.filter(inPeriod));
      const oldest = items.at(-1);
      if (nextCursor === null || (search.from && oldest && oldest.businessDate < search.from)) return found;
      before = nextCursor;
    }
    capped = true;
    return found;
  };
  const lists = await Promise.all(search.kinds.map(read));
  return { orders: lists.flat().sort(newestFirst), capped };
}

/** Orders waiting for an approval this user may give: others' (maker ≠ checker), of the kinds they approve. */
export async function ordersToApprove(caller: Caller & { loginId: string }): Promise<{ orders: Order[]; capped: boolean }> {
  const { orders, capped } = await searchOrders({ kinds: kindsFor(caller, 'decide'), status: 'PENDING_APPROVAL', from: null, to: null });
  return { orders: orders.filter((o) => o.maker.loginId !== caller.loginId), capped };
}

/**
 * One decision, one request: the server checks one password per request (query limits). With
 * 取引認証, `passkeyAssertion` is the passkey's answer to a challenge bound to this very order.
 */
export const approveOrder = (
  order: Pick<Order, 'kind' | 'id'>,
  confirmationPassword: string,
  passkeyAssertion: string | null = null,
): Promise<Order> => KINDS[order.kind].approve(order.id, confirmationPassword, passkeyAssertion);

export const rejectOrder = (order: Pick<Order, 'kind' | 'id'>, reason: string, confirmationPassword: string): Promise<Order> =>
  KINDS[order.kind].reject(order.id, reason, confirmationPassword);

/** 予約取消: the answer carries the id and the new status only (an administrator may cancel what they cannot read). */
export const cancelOrder = (order: Pick<Order, 'kind' | 'id'>, confirmationPassword: string): Promise<Decided> =>
  KINDS[order.kind].cancel(order.id, confirmationPassword);

/** Whether an order can still be withdrawn (予約取消): before it ran or was decided otherwise. */
export const cancellable = (order: Order): boolean =>
  order.status === 'PENDING_APPROVAL' || order.status === 'HELD' || order.status === 'SCHEDULED';

/** A page that is not in the menu: one order's details (受付票), shown to whoever may read that kind. */
export function orderRoute(route: string, caller: Caller): { kind: OrderKind; id: number } | null {
  const match = /^\/transfers\/(single|bulk|salary)\/(\d+)$/.exec(route);
  const kind = match?.[1] as OrderKind | undefined;
  return match && kind && kindsFor(caller, 'read').includes(kind) ? { kind, id: Number(match[2]) } : null;
}
