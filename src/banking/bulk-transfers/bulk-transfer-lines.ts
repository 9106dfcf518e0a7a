import { Between, In, type EntityManager } from 'typeorm';
import { BulkTransferLine } from './bulk-transfer.entity';

/** Which page of which bulk transfer's lines: `first` lines after line number `after` (0: from the start). */
export interface LinePageKey {
  bulkTransferId: number;
  first: number;
  after: number;
}

export interface LinePage {
  items: BulkTransferLine[];
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: number | null;
}

/**
 * Pages of lines for many bulk transfers in one query per distinct page (first, after): line
 * numbers are 1..lineCount without gaps, so a page is a range of line numbers, and the range
 * one line longer tells whether another page follows. The DataLoader of a request batches
 * through this (no query per bulk transfer in a list).
 */
export async function loadLinePages(manager: EntityManager, keys: readonly LinePageKey[]): Promise<LinePage[]> {
  const groups = new Map<string, LinePageKey[]>();
  for (const key of keys) {
    const group = `${key.first}:${key.after}`;
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const pages = new Map<string, LinePage>();
  for (const group of groups.values()) {
    const { first, after } = group[0];
    const rows = await manager.find(BulkTransferLine, {
      where: { bulkTransferId: In(group.map((key) => key.bulkTransferId)), lineNumber: Between(after + 1, after + first + 1) },
      order: { bulkTransferId: 'ASC', lineNumber: 'ASC' },
    });
    for (const key of group) {
      const mine = rows.filter((row) => row.bulkTransferId === key.bulkTransferId);
      const items = mine.slice(0, first);
      pages.set(pageKey(key), { items, nextCursor: mine.length > first ? items[items.length - 1].lineNumber : null });
    }
  }
  return keys.map((key) => pages.get(pageKey(key))!);
}

export function pageKey(key: LinePageKey): string {
  return `${key.bulkTransferId}:${key.first}:${key.after}`;
}
