import type { RequestContext } from './context';
import { retryLaterRefusalOf } from './errors';
import type { OperationHooks } from './operation.types';

/**
 * How a GraphQL answer goes out over HTTP, decided once per answer:
 *
 * - Every answer is private to its user and its moment: `Cache-Control: no-store`. (Apollo's
 *   cache-control plugin is off, apollo.ts: it would wrap every field's resolver to collect cache
 *   hints the gateway never gives — a few per cent of a list's CPU.)
 * - An operation refused as a whole with "not now" — RATE_LIMITED or SERVICE_UNAVAILABLE — answers
 *   HTTP 429 or 503 with `Retry-After`, so that any HTTP client (and a partner's retry middleware,
 *   or a balancer) backs off without reading the body. Every other error of an executed operation
 *   comes with 200 (GraphQL over HTTP: data may be partial). Not for array batches, whose one HTTP
 *   status is shared by operations that may have succeeded.
 */
export const answerOverHttp: OperationHooks<RequestContext>['answering'] = (contextValue, { head, result }) => {
  head.headers.set('cache-control', 'no-store');
  if (contextValue.httpRequest.batch) return;
  const { data, errors } = result;
  if (!errors?.length) return;
  const nothingAnswered = !data || Object.values(data).every((value) => value === null);
  const refusal = nothingAnswered ? retryLaterRefusalOf(errors) : null;
  if (!refusal) return;
  head.status = refusal.status;
  head.headers.set('retry-after', String(refusal.retryAfterSeconds));
};
