import crypto from 'node:crypto';
import type http from 'node:http';
import type { HttpRequestRecord } from '../graphql/context';

/**
 * The record rides on the request object itself, under a symbol nothing else knows. Not in a
 * WeakMap keyed by the request: there, under load, the records (and all they name: the
 * identity's entities, the certificate) outlived V8's young-generation collections, which left
 * the WeakMap's entries to the full ones, and were promoted: ~1 MB a scavenge, 3.5 ms scavenges,
 * a full collection every few seconds (bench:profile, --trace-gc; docs/performance.md).
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
