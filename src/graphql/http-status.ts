import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './context';
import { retryAfterSecondsOf } from './errors';

/**
 * An operation refused as a whole for RATE_LIMITED answers HTTP 429 with `Retry-After`, so that
 * any HTTP client (and a partner's retry middleware) backs off without reading the body. Not for
 * array batches, whose one HTTP status is shared by operations that may have succeeded.
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
          const retryAfter = nothingAnswered ? retryAfterSecondsOf(errors ?? []) : null;
          if (retryAfter === null) return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(retryAfter));
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
