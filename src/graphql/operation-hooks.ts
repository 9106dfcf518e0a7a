import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Kind } from 'graphql';
import type { RequestContext } from './context';
import type { OperationAnswer, OperationHooks, ResolvedOperation } from './operation.types';
import { answerOverHttp } from './http-status';
import { operationAdmission } from './query-limits';

/**
 * The access log and the metrics learn what a GraphQL request did: the root fields it asked for
 * (names from the schema, never the client's own operation name) — also when a limit refuses the
 * operation — and the code of every error answered.
 */
function recordRootFields(context: RequestContext, { operation }: ResolvedOperation): void {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind === Kind.FIELD) context.httpRequest.operations.push(selection.name.value);
  }
}

function recordOutcomes(context: RequestContext, { result }: OperationAnswer): void {
  for (const error of result.errors ?? []) context.httpRequest.outcomes.push(String(error.extensions?.code ?? 'INTERNAL'));
}

/** The gateway's hooks: the record for the access log, the query limits (query-limits.ts) and the HTTP answer (http-status.ts). */
export function gatewayOperationHooks(options: { production: boolean; maxCost: number }): OperationHooks<RequestContext> {
  const admit = operationAdmission(options);
  return {
    operationResolved(context, operation) {
      recordRootFields(context, operation);
      admit(context, operation);
    },
    answering(context, answer) {
      answerOverHttp(context, answer);
      recordOutcomes(context, answer);
    },
  };
}

/** The same hooks as one Apollo plugin (one listener for every request: it keeps nothing between hooks). */
export function apolloPluginOf(hooks: OperationHooks<RequestContext>): ApolloServerPlugin<RequestContext> {
  const listener: GraphQLRequestListener<RequestContext> = {
    async didResolveOperation({ contextValue, schema, document, operation, request }) {
      if (!operation) return; // Apollo refuses a document without one after this hook
      hooks.operationResolved(contextValue, { schema, document, operation, variables: request.variables });
    },
    async willSendResponse({ contextValue, response }) {
      if (response.body.kind !== 'single') return;
      hooks.answering(contextValue, { head: response.http, result: response.body.singleResult });
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
