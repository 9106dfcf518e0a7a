import crypto from 'node:crypto';
import type http from 'node:http';
import type { HttpRequestRecord } from '../graphql/context';

/** The record of one HTTP request, shared by the access log, the GraphQL context and the metrics. */
const records = new WeakMap<http.IncomingMessage, HttpRequestRecord>();

export function requestRecordOf(req: http.IncomingMessage): HttpRequestRecord {
  let record = records.get(req);
  if (!record) {
    record = { id: crypto.randomUUID(), passwordChecks: 0, batch: false, operations: [], outcomes: [], caller: {} };
    records.set(req, record);
  }
  return record;
}
