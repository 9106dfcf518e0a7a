// Lists: a page of 10, 100 and 150 transfers with each one's maker, approver and account, as the
// approver user02 sees them — SQL statements per request (the DataLoaders keep them constant in
// the rows) and throughput, against a gateway whose loaders fetch each row's relation on its own.
import type { BenchRun } from '../harness/bench-run';
import { load, login, pool, post, type ClientTls, type Result } from '../harness/load';
import type { BenchCase } from '../harness/report';
import { ServerProcess } from '../harness/servers';
import { transferBody } from './login-transfer';

/** 150 rows with their relations is near the largest page the query cost limit (5,000) allows. */
export const LIST_PAGE_SIZES = [10, 100, 150];
export const LARGEST_PAGE = LIST_PAGE_SIZES.at(-1)!;

export const listQuery = (rows: number): string =>
  JSON.stringify({
    query: `{ transfers(first: ${rows}) { items { id maker { loginId } approver { loginId } account { accountNumber } } } }`,
  });

type ListResult = Result & { rows: number; statements: number };

/** At least LARGEST_PAGE transfers made by user01 (a short run of the transfer case may have made fewer). */
export const ensureTransfers = (bench: BenchRun): Promise<void> =>
  bench.once('transfers', async () => {
    const gateway = await bench.gateway();
    await gateway.call('unlimitTransfers');
    const creds = bench.credentials('user01');
    const token = await login(gateway.origin, bench.tls, creds.loginPassword);
    const maker = pool(gateway.origin, bench.tls);
    const seen = async () =>
      (await post(maker, { query: '{ transfers(first: 200) { items { id } } }' }, token)).data.transfers.items.length;
    for (let have = await seen(); have < LARGEST_PAGE; have++) {
      const made = await post(maker, JSON.parse(transferBody(creds.confirmationPassword)), token);
      if (made.errors) throw new Error(`lists bench: a transfer was refused: ${JSON.stringify(made.errors)}`);
    }
    await maker.close();
  });

/** Each page size on `server`: its SQL statements (counted by the server) and its throughput. */
async function measureLists(server: ServerProcess, variant: string, tls: ClientTls, pin: string): Promise<ListResult[]> {
  const token = await login(server.origin, tls, pin);
  const lists: ListResult[] = [];
  for (const rows of LIST_PAGE_SIZES) {
    const body = listQuery(rows);
    const clients = pool(server.origin, tls);
    // One request first: a session's lastSeenAt is written at most every 10 s, not by the counted one.
    await post(clients, JSON.parse(body), token);
    const before = await server.call<number>('statements');
    const answer = await post(clients, JSON.parse(body), token);
    const statements = (await server.call<number>('statements')) - before;
    await clients.close();
    if (answer.data?.transfers.items.length !== rows)
      throw new Error(`lists bench: expected ${rows} transfers, got ${JSON.stringify(answer).slice(0, 300)}`);
    const result = await load(`transfers, ${rows} rows, ${variant}`, server.origin, tls, body, { authorization: `Bearer ${token}` });
    lists.push({ ...result, rows, statements });
  }
  return lists;
}

export const listsCase: BenchCase = {
  name: 'lists',
  about: 'pages of 10/100/150 transfers with three relations each: SQL statements and req/s, against a no-DataLoader variant',
  table: true,
  async run(bench) {
    await ensureTransfers(bench);
    const approver = bench.identity('user02');
    const pin = bench.credentials('user02').loginPassword;
    const lists = await measureLists(await bench.gateway(), 'DataLoaders', approver, pin);
    // The variant takes CPU 0 alone; the gateway starts again for the next case that needs it.
    await bench.stopGateway();
    const unbatched = await ServerProcess.start('gateway-unbatched', bench.dir);
    const listsUnbatched = await measureLists(unbatched, 'one query per relation', approver, pin).finally(() => unbatched.stop());
    return {
      rows: lists,
      sections: { lists, listsUnbatched },
      text:
        'lists (a page of transfers with maker, approver, account), SQL statements per request and × one query per relation:' +
        lists
          .map(
            (l, i) =>
              `\n  ${String(l.rows).padStart(3)} rows: ${l.statements} statements (unbatched ${listsUnbatched[i].statements}), ${l.perSecond.toFixed(0)} req/s = ${(l.perSecond / listsUnbatched[i].perSecond).toFixed(2)}× unbatched (${listsUnbatched[i].perSecond.toFixed(0)} req/s), p99 ${l.p99.toFixed(1)} vs ${listsUnbatched[i].p99.toFixed(1)} ms`,
          )
          .join(''),
    };
  },
};

/**
 * In the no-DataLoader variant's process: every load() runs its own query at once, uncached, as
 * resolvers that each read their relation would. Fails loudly if DataLoader's internals change,
 * rather than measure the batched loaders under the wrong name.
 */
export function loadOneByOne(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DataLoader = require('dataloader');
  const probe = new DataLoader(async (keys: unknown[]) => keys);
  if (typeof probe._batchLoadFn !== 'function') throw new Error('dataloader internals changed: no _batchLoadFn');
  DataLoader.prototype.load = function (this: { _batchLoadFn: (keys: unknown[]) => Promise<unknown[]> }, key: unknown) {
    return this._batchLoadFn([key]).then((values) => values[0]);
  };
}
