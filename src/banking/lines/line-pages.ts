import { Between, In, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { LineStore, OrderLine } from './order-line.entity';

/** Which page of which order's lines: `first` lines after line number `after` (0: from the start). */
export interface LinePageKey {
  orderId: number;
  first: number;
  after: number;
}

export interface LinePage<L extends OrderLine = OrderLine> {
  items: L[];
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: number | null;
}

/**
 * Pages of lines for many orders of one kind in one query per distinct page (first, after): line
 * numbers are 1..lineCount without gaps, so a page is a range of line numbers, and the range one
 * line longer tells whether another page follows. The DataLoader of a request batches through
 * this (no query per order in a list).
 */
export async function loadLinePages<L extends OrderLine>(
  manager: EntityManager,
  store: LineStore<L>,
  keys: readonly LinePageKey[],
): Promise<Array<LinePage<L>>> {
  const groups = new Map<string, LinePageKey[]>();
  for (const key of keys) {
    const group = `${key.first}:${key.after}`;
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const orderOf = (line: L) => line[store.orderColumn] as unknown as number;
  const pages = new Map<string, LinePage<L>>();
  for (const group of groups.values()) {
    const { first, after } = group[0];
    const rows = await manager.find(store.entity, {
      where: {
        [store.orderColumn]: In(group.map((key) => key.orderId)),
        lineNumber: Between(after + 1, after + first + 1),
      } as FindOptionsWhere<L>,
      order: { [store.orderColumn]: 'ASC', lineNumber: 'ASC' } as never,
    });
    for (const key of group) {
      const mine = rows.filter((row) => orderOf(row) === key.orderId);
      const items = mine.slice(0, first);
      pages.set(pageKey(key), { items, nextCursor: mine.length > first ? items[items.length - 1].lineNumber : null });
    }
  }
  return keys.map((key) => pages.get(pageKey(key))!);
}

export function pageKey(key: LinePageKey): string {
  return `${key.orderId}:${key.first}:${key.after}`;
}
