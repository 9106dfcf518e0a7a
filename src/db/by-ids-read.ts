import { In, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { Database } from './database';
import type { EntityColumns, PreparedSelect } from './prepared-read';

/**
 * `id IN (…)` lists are prepared in these lengths, the ids of a batch repeated up to the next one,
 * so that a handful of statements serve every batch size a page can make (a 200-row page with a
 * maker and an approver each: at most 400 ids).
 */
const LENGTHS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * Entities by id for the per-request DataLoaders, by a SELECT prepared once per list length:
 * the loaders run on every list page, where TypeORM's query building and hydration cost more
 * than the indexed read itself (bench: requests). Hydrated by TypeORM's own column rules, so the
 * entities are the ones `findBy` gave.
 */
export class ByIdsRead<T extends { id: number }> {
  private readonly columns: EntityColumns<T>;
  private readonly reads = new Map<number, PreparedSelect<readonly [EntityColumns<T>]>>();

  constructor(
    private readonly db: Database,
    private readonly target: EntityTarget<T>,
    alias: string,
  ) {
    this.columns = db.columns(target, alias);
  }

  /** The entities among `ids` that exist, in no particular order; one statement. */
  async read(ids: readonly number[]): Promise<T[]> {
    const length = LENGTHS.find((n) => n >= ids.length);
    // Larger than any page makes: one statement all the same, built by TypeORM.
    if (length === undefined) return this.db.manager.findBy(this.target, { id: In([...ids]) } as FindOptionsWhere<T>);
    let read = this.reads.get(length);
    if (!read) {
      const list = Array.from({ length }, () => '?').join(', ');
      read = this.db.prepareSelect([this.columns] as const, `FROM ${this.columns.from} WHERE ${this.columns.column('id')} IN (${list})`);
      this.reads.set(length, read);
    }
    // A repeated id matches its row once.
    const params = Array.from({ length }, (_, i) => ids[Math.min(i, ids.length - 1)]);
    return (await read.rows(params)).map(([entity]) => entity!);
  }
}
