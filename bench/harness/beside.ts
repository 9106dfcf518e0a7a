// A heavy request repeated on one connection while another user's whoami runs on ten: what the
// worst-requests, statement-download and bulk-transfer cases measure (that user's p99).
import { load, pool, WHOAMI, type ClientTls, type Result } from './load';

export type HeavyRequest = { name: string; tls: ClientTls; authorization: string } & ({ body: string } | { download: string });

export interface WorstRequestResult {
  name: string;
  /** The heavy request alone, on one connection: mean and worst of ten (or as many as asked). */
  aloneMs: { mean: number; max: number };
  /** user01's whoami on 10 connections while one more connection repeats the heavy request. */
  whoamiDuring: Result;
}

/** `request` alone `aloneTimes` times, then repeated on one connection while user01's whoami runs on ten. */
export async function worstRequest(
  origin: string,
  whoamiTls: ClientTls,
  request: HeavyRequest,
  aloneTimes = 10,
): Promise<WorstRequestResult> {
  const clients = pool(origin, request.tls);
  const once = async () => {
    const response = await clients.request(
      'download' in request
        ? { path: request.download, method: 'GET', headers: { authorization: request.authorization } }
        : {
            path: '/graphql',
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: request.authorization },
            body: request.body,
          },
    );
    const text = await response.body.text();
    const refused = 'download' in request ? false : text.includes('"errors"');
    if (response.statusCode !== 200 || refused) throw new Error(`${request.name}: ${text.slice(0, 300)}`);
  };
  const times: number[] = [];
  for (let i = 0; i < aloneTimes; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  let over = false;
  const repeating = (async () => {
    while (!over) await once();
  })();
  const whoamiDuring = await load(`whoami during ${request.name}`, origin, whoamiTls, WHOAMI);
  over = true;
  await repeating;
  await clients.close();
  return { name: request.name, aloneMs: { mean: times.reduce((a, b) => a + b) / times.length, max: Math.max(...times) }, whoamiDuring };
}
