import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './context';
import { retryLaterRefusalOf } from './errors';

/**
 * An operation refused as a whole with "not now" — RATE_LIMITED or SERVICE_UNAVAILABLE — answers
 * HTTP 429 or 503 with `Retry-After`, so that any HTTP client (and a partner's retry middleware, or
 * a balancer) backs off without reading the body. Every other error of an executed operation
 * comes with 200 (GraphQL over HTTP: data may be partial). Not for array batches, whose one HTTP
 * status is shared by operations that may have succeeded.
 */
export function retryAfterPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.httpRequest.batch) return;
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const nothingAnswered = !data || Object.values(data).every((value) => value === null);
          const refusal = nothingAnswered ? retryLaterRefusalOf(errors ?? []) : null;
          if (!refusal) return;
          response.http.status = refusal.status;
          response.http.headers.set('retry-after', String(refusal.retryAfterSeconds));
        },
      };
    },
  };
}

/**
 * Every GraphQL answer is private to its user and its moment: `Cache-Control: no-store`, set here
 * because Apollo's cache-control plugin is off (gateway.ts). That plugin would wrap every field's
 * resolver to collect cache hints the gateway never gives — a few per cent of a list's CPU.
 */
export function noStorePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
