import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Kind } from 'graphql';
import type { RequestContext } from './context';

/**
 * Tells the access log and the metrics what a GraphQL request did: the root fields it asked for
 * (names from the schema, never the client's own operation name) and the code of every error.
 */
export function observabilityPlugin(): ApolloServerPlugin<RequestContext> {
  // One listener for every request: it keeps nothing of its own between hooks.
  const listener: GraphQLRequestListener<RequestContext> = {
    async didResolveOperation({ contextValue, operation }) {
      for (const selection of operation?.selectionSet.selections ?? []) {
        if (selection.kind === Kind.FIELD) contextValue.httpRequest.operations.push(selection.name.value);
      }
    },
    async willSendResponse({ contextValue, response }) {
      if (response.body.kind !== 'single') return;
      for (const error of response.body.singleResult.errors ?? []) {
        contextValue.httpRequest.outcomes.push(String(error.extensions?.code ?? 'INTERNAL'));
      }
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
