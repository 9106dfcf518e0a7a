import type { Database } from '../../db/database';
import type { EntityColumns, PreparedSelect } from '../../db/prepared-read';
import type { OrderKind } from './order-kind';
import type { OrderStatus } from './order-status';
import type { PaymentOrder } from './payment-order.entity';

/** What narrows a page: the scope's contract and maker (ordersVisibleTo), the cursor and the status filter. */
export interface PageConditions {
  contractId: number;
  makerUserId?: number;
  before?: number;
  status?: OrderStatus;
}

/** Each optional condition, in the order it appears in the WHERE: its presence picks the statement. */
const OPTIONAL = [
  { name: 'makerUserId', column: 'makerUserId', operator: '=' },
  { name: 'before', column: 'id', operator: '<' },
  { name: 'status', column: 'status', operator: '=' },
] as const;

/**
 * How many column sets short of the whole order a kind's pages are read with, at most: each is a
 * statement per shape of conditions, prepared on every pooled connection, so the sets a client's
 * queries can make stay few (a server's max_prepared_stmt_count). Queries asking for further sets
 * have their pages read whole, as before there were any.
 */
const MAX_NARROWED = 8;

/**
 * A page of one kind's orders, newest first, by a SELECT written once per shape — which of the
 * optional conditions it has, eight at most — and prepared once: on a 100-row page TypeORM's
 * query building and hydration cost several times the query itself (bench: requests). The
 * conditions are those TypeORM was given (ordersVisibleTo, olderThan, status); values are always parameters.
 *
 * A page can be read with only the columns its query shows (`properties`): creating and hydrating
 * the 32 values of each of a hundred rows was about a third of a 100-row page's CPU, for a query
 * that shows four of them (bench:profile).
 */
export class OrderPages<O extends PaymentOrder> {
  private readonly columns: EntityColumns<O>;
  private readonly narrowed = new Map<string, EntityColumns<O>>();
  private readonly reads = new Map<string, PreparedSelect<readonly [EntityColumns<O>]>>();

  constructor(
    private readonly db: Database,
    kind: OrderKind<O>,
  ) {
    this.columns = db.columns(kind.entity, 'o');
  }

  /**
   * Up to `take` orders matching `conditions`, by id descending. With `properties`, each order may
   * have only those (and its id) read, the rest left undefined: for a caller that uses no others.
   */
  async read(conditions: PageConditions, take: number, properties: ReadonlySet<string> | null = null): Promise<O[]> {
    const given = OPTIONAL.filter(({ name }) => conditions[name] !== undefined);
    const [columnSet, columns] = this.columnsFor(properties);
    const shape = `${given.map(({ name }) => name).join(',')}|${columnSet}`;
    let read = this.reads.get(shape);
    if (!read) {
      const where = [
        `${columns.column('contractId')} = ?`,
        ...given.map(({ column, operator }) => `${columns.column(column)} ${operator} ?`),
      ];
      read = this.db.prepareSelect(
        [columns] as const,
        `FROM ${columns.from} WHERE ${where.join(' AND ')} ORDER BY ${columns.column('id')} DESC LIMIT ?`,
      );
      this.reads.set(shape, read);
    }
    const rows = await read.rows([conditions.contractId, ...given.map(({ name }) => conditions[name]), take]);
    return rows.map(([order]) => order!);
  }

  /** The columns to read for `properties`, and their set's name: every column when that is all there is to it. */
  private columnsFor(properties: ReadonlySet<string> | null): [string, EntityColumns<O>] {
    if (properties === null || ![...properties].every((p) => this.columns.hasColumn(p))) return ['*', this.columns];
    const name = [...properties].sort().join(',');
    let columns = this.narrowed.get(name);
    if (!columns) {
      if (this.narrowed.size >= MAX_NARROWED) return ['*', this.columns];
      columns = this.columns.narrowedTo(properties);
      this.narrowed.set(name, columns);
    }
    return [name, columns];
  }
}
