import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { User } from '../users/user.entity';
import { Account } from '../banking/accounts/account.entity';
import { BULK_TRANSFER_LINES } from '../banking/bulk-transfers/bulk-transfer.kind';
import { loadLinePages, pageKey, type LinePage, type LinePageKey } from '../banking/lines/line-pages';
import type { LineStore, OrderLine } from '../banking/lines/order-line.entity';
import { SALARY_TRANSFER_LINES } from '../banking/salary-transfers/salary-transfer.kind';
import type { Database } from '../db/database';

/**
 * Per-request DataLoaders: every relation a list can show is fetched in one query per request,
 * however many rows the list has (no N+1). Created with the request context, never shared.
 */
export interface Loaders {
  userById: DataLoader<number, User | null>;
  accountById: DataLoader<number, Account | null>;
  /** A page of a bulk transfer's lines: one query per distinct page, for any number of bulk transfers. */
  bulkTransferLines: DataLoader<LinePageKey, LinePage, string>;
  /** The same for salary transfers. */
  salaryTransferLines: DataLoader<LinePageKey, LinePage, string>;
}

function byId<T extends { id: number }>(load: (ids: number[]) => Promise<T[]>): DataLoader<number, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await load([...ids]);
    const map = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Each loader is made when a resolver first asks for it: most requests (whoami, me, login) use none. */
export function createLoaders(db: Database): Loaders {
  let userById: Loaders['userById'] | undefined;
  let accountById: Loaders['accountById'] | undefined;
  let bulkTransferLines: Loaders['bulkTransferLines'] | undefined;
  let salaryTransferLines: Loaders['salaryTransferLines'] | undefined;
  const pages = <L extends OrderLine>(store: LineStore<L>): DataLoader<LinePageKey, LinePage, string> =>
    new DataLoader((keys: readonly LinePageKey[]) => loadLinePages(db.manager, store, keys), { cacheKeyFn: pageKey });
  return {
    get userById() {
      return (userById ??= byId((ids) => db.manager.findBy(User, { id: In(ids) })));
    },
    get accountById() {
      return (accountById ??= byId((ids) => db.manager.findBy(Account, { id: In(ids) })));
    },
    get bulkTransferLines() {
      return (bulkTransferLines ??= pages(BULK_TRANSFER_LINES));
    },
    get salaryTransferLines() {
      return (salaryTransferLines ??= pages(SALARY_TRANSFER_LINES));
    },
  };
}
