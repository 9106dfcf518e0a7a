import crypto from 'node:crypto';
import type http from 'node:http';
import type { HttpRequestRecord } from '../graphql/context';

/**
 * The record rides on the request object itself, under a symbol nothing else knows. Not a
 * WeakMap: V8's young-generation collections keep a WeakMap's values alive (they are cleared in
 * full collections only), so each request's record and everything it names (the identity's
 * entities, the certificate) were promoted to the old generation: ~1 MB a scavenge under load,
 * longer scavenges and a full collection every few seconds (bench: whoami, --trace-gc).
 */
const RECORD = Symbol('cibg.requestRecord');
type RecordedRequest = http.IncomingMessage & { [RECORD]?: HttpRequestRecord };

/** The record of one HTTP request, shared by the access log, the GraphQL context and the metrics. */
export function requestRecordOf(req: http.IncomingMessage): HttpRequestRecord {
  const recorded = req as RecordedRequest;
  return (recorded[RECORD] ??= {
    id: crypto.randomUUID(),
    passwordChecks: 0,
    cost: 0,
    batch: false,
    operations: [],
    outcomes: [],
    caller: {},
  });
}
