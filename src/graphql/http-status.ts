import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { RequestContext } from './context';
import { retryLaterRefusalOf } from './errors';

/**
 * How a GraphQL answer goes out over HTTP, in one hook per response (it was two plugins, each
 * with hooks of its own on every request, one of which did nothing unless there were errors):
 *
 * - Every answer is private to its user and its moment: `Cache-Control: no-store`, set here
 *   because Apollo's cache-control plugin is off (apollo.ts). That plugin would wrap every field's
 *   resolver to collect cache hints the gateway never gives — a few per cent of a list's CPU.
 * - An operation refused as a whole with "not now" — RATE_LIMITED or SERVICE_UNAVAILABLE — answers
 *   HTTP 429 or 503 with `Retry-After`, so that any HTTP client (and a partner's retry middleware,
 *   or a balancer) backs off without reading the body. Every other error of an executed operation
 *   comes with 200 (GraphQL over HTTP: data may be partial). Not for array batches, whose one HTTP
 *   status is shared by operations that may have succeeded.
 */
export function httpAnswerPlugin(): ApolloServerPlugin<RequestContext> {
  const listener: GraphQLRequestListener<RequestContext> = {
    async willSendResponse({ contextValue, response }) {
      response.http.headers.set('cache-control', 'no-store');
      if (response.body.kind !== 'single' || contextValue.httpRequest.batch) return;
      const { data, errors } = response.body.singleResult;
      if (!errors?.length) return;
      const nothingAnswered = !data || Object.values(data).every((value) => value === null);
      const refusal = nothingAnswered ? retryLaterRefusalOf(errors) : null;
      if (!refusal) return;
      response.http.status = refusal.status;
      response.http.headers.set('retry-after', String(refusal.retryAfterSeconds));
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
