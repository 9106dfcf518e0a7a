import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { Services } from '../services';
import type { RequestContext, ResolverContainer } from './context';
import { createErrorFormatter } from './errors';
import { DirectGraphql } from './direct';
import { apolloPluginOf, gatewayOperationHooks } from './operation-hooks';
import { queryLimitRules } from './query-limits';
import { allResolvers, buildApiSchema, buildEnrollSchema } from './schema';
import { extend } from '../common/extend';

/**
 * The GraphQL servers: Apollo on each listener, and on the API listener the direct engine for POST
 * /graphql with a JSON body (direct.ts), all with the same error mapping, limits and hooks.
 */
export async function startGraphqlServers(config: GatewayConfig, logger: Logger) {
  const hooks = gatewayOperationHooks({ production: config.production, maxCost: config.graphql.maxCost });
  const formatError = createErrorFormatter(logger, !config.production);
  const validationRules = queryLimitRules(config.graphql, logger);
  const options = {
    formatError,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    validationRules,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), apolloPluginOf(hooks)],
    // The gateway owns shutdown (main.ts): Apollo's own handler would stop GraphQL under requests in flight.
    stopOnTerminationSignals: false,
    // No client of ours sends automatic persisted queries (the web app, GraphiQL and the examples
    // send the query text): refused alike on both listeners, before any hash is looked at.
    persistedQueries: false as const,
  };
  // Partners may send array batches on the API listener; the API app caps their size.
  // Introspection: GraphiQL needs it; in production the query limits show it to administrators and operators only.
  const apiSchema = await buildApiSchema();
  const api = new ApolloServer<RequestContext>(extend(options, { schema: apiSchema, introspection: true, allowBatchedHttpRequests: true }));
  // Nobody on the enrollment listener needs the schema in production.
  const enroll = new ApolloServer<RequestContext>(
    extend(options, { schema: await buildEnrollSchema(), introspection: !config.production }),
  );
  await Promise.all([api.start(), enroll.start()]);
  // Persisted queries are refused and introspection allowed here as on `api`.
  const apiDirect = new DirectGraphql<RequestContext>({
    schema: apiSchema,
    formatError,
    maxTokens: config.graphql.maxTokens,
    validationRules,
    allowBatches: true,
    hooks,
  });
  return { api, enroll, apiDirect };
}

/** Resolves resolver classes to this gateway's instances (type-graphql's container). */
export function createContainer(services: Services): ResolverContainer {
  const instances = new Map<Function, unknown>(
    allResolvers.map((resolverClass) => [resolverClass, new (resolverClass as new (s: Services) => unknown)(services)]),
  );
  return {
    get(resolverClass) {
      const instance = instances.get(resolverClass);
      if (!instance) throw new Error(`No instance for resolver ${resolverClass.name}`);
      return instance;
    },
  };
}
