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
 * A page of one kind's orders, newest first, by a SELECT written once per shape — which of the
 * optional conditions it has, eight at most — and prepared once: on a 100-row page TypeORM's
 * query building and hydration cost several times the query itself (bench: requests). The
 * conditions are those TypeORM was given (ordersVisibleTo, olderThan, status); values are always parameters.
 */
export class OrderPages<O extends PaymentOrder> {
  private readonly columns: EntityColumns<O>;
  private readonly reads = new Map<string, PreparedSelect<readonly [EntityColumns<O>]>>();

  constructor(
    private readonly db: Database,
    kind: OrderKind<O>,
  ) {
    this.columns = db.columns(kind.entity, 'o');
  }

  /** Up to `take` orders matching `conditions`, by id descending. */
  async read(conditions: PageConditions, take: number): Promise<O[]> {
    const given = OPTIONAL.filter(({ name }) => conditions[name] !== undefined);
    const shape = given.map(({ name }) => name).join(',');
    let read = this.reads.get(shape);
    if (!read) {
      const { columns } = this;
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
}
