import DataLoader from 'dataloader';
import { User } from '../users/user.entity';
import { Account } from '../banking/accounts/account.entity';
import { BULK_TRANSFER_LINES } from '../banking/bulk-transfers/bulk-transfer.kind';
import { loadLinePages, pageKey, type LinePage, type LinePageKey } from '../banking/lines/line-pages';
import type { LineStore, OrderLine } from '../banking/lines/order-line.entity';
import { SALARY_TRANSFER_LINES } from '../banking/salary-transfers/salary-transfer.kind';
import { ByIdsRead } from '../db/by-ids-read';
import type { Database } from '../db/database';

/**
 * Per-request DataLoaders: every relation a list can show is fetched in one query per request,
 * however many rows the list has (no N+1). Created with the request context, never shared.
 */
export interface Loaders {
  userById: ByIdLoader<User>;
  accountById: ByIdLoader<Account>;
  /** A page of a bulk transfer's lines: one query per distinct page, for any number of bulk transfers. */
  bulkTransferLines: DataLoader<LinePageKey, LinePage, string>;
  /** The same for salary transfers. */
  salaryTransferLines: DataLoader<LinePageKey, LinePage, string>;
}

/**
 * Entities by id for one request, batched by a DataLoader; once loaded, also at hand at once
 * (`answer`). A list loads its rows' relations for the whole page before the rows are resolved,
 * so that each row's relation fields answer without a promise each: on a 100-row page the
 * promises per row and per object were a tenth of its CPU or more (bench:profile).
 */
export class ByIdLoader<T extends { id: number }> {
  private readonly known = new Map<number, T | null>();
  private readonly loader: DataLoader<number, T | null>;

  constructor(read: (ids: number[]) => Promise<T[]>) {
    this.loader = new DataLoader(async (ids) => {
      const rows = await read([...ids]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => {
        const row = byId.get(id) ?? null;
        this.known.set(id, row);
        return row;
      });
    });
  }

  /** The entity, null if there is none: batched with the other loads of the same turn. */
  load(id: number): Promise<T | null> {
    return this.loader.load(id);
  }

  /** Loads those of `ids` not loaded yet, in one batch; a failed read is left for `load` to report. */
  async loadAll(ids: Iterable<number>): Promise<void> {
    await this.loader.loadMany([...new Set(ids)]);
  }

  /** What `map` makes of the entity: at once if this request has loaded it, else once it is loaded. */
  answer<R>(id: number, map: (entity: T | null) => R): R | Promise<R> {
    return this.known.has(id) ? map(this.known.get(id)!) : this.load(id).then(map);
  }
}

/** The loaders' reads of one database, prepared once for every request's loaders. */
const byIdReads = new WeakMap<Database, { users: ByIdsRead<User>; accounts: ByIdsRead<Account> }>();

function readsOf(db: Database): { users: ByIdsRead<User>; accounts: ByIdsRead<Account> } {
  let reads = byIdReads.get(db);
  if (!reads) {
    reads = { users: new ByIdsRead(db, User, 'user'), accounts: new ByIdsRead(db, Account, 'account') };
    byIdReads.set(db, reads);
  }
  return reads;
}

/**
 * Each loader is made when a resolver first asks for it: most requests (whoami, me, login) use
 * none. A class, so that the getters live on its prototype: an object literal with four getters
 * and their closures, made for every request, showed in whoami's profile.
 */
class RequestLoaders implements Loaders {
  private users?: Loaders['userById'];
  private accounts?: Loaders['accountById'];
  private bulkLines?: Loaders['bulkTransferLines'];
  private salaryLines?: Loaders['salaryTransferLines'];

  constructor(private readonly db: Database) {}

  get userById(): Loaders['userById'] {
    return (this.users ??= new ByIdLoader((ids) => readsOf(this.db).users.read(ids)));
  }

  get accountById(): Loaders['accountById'] {
    return (this.accounts ??= new ByIdLoader((ids) => readsOf(this.db).accounts.read(ids)));
  }

  get bulkTransferLines(): Loaders['bulkTransferLines'] {
    return (this.bulkLines ??= this.pages(BULK_TRANSFER_LINES));
  }

  get salaryTransferLines(): Loaders['salaryTransferLines'] {
    return (this.salaryLines ??= this.pages(SALARY_TRANSFER_LINES));
  }

  private pages<L extends OrderLine>(store: LineStore<L>): DataLoader<LinePageKey, LinePage, string> {
    return new DataLoader((keys: readonly LinePageKey[]) => loadLinePages(this.db.manager, store, keys), { cacheKeyFn: pageKey });
  }
}

export function createLoaders(db: Database): Loaders {
  return new RequestLoaders(db);
}
