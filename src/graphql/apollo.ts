import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { Services } from '../services';
import type { RequestContext, ResolverContainer } from './context';
import { createErrorFormatter } from './errors';
import { httpAnswerPlugin } from './http-status';
import { observabilityPlugin } from './observability-plugin';
import { queryLimitPlugin, queryLimitRules } from './query-limits';
import { allResolvers, buildApiSchema, buildEnrollSchema } from './schema';

/** The two GraphQL servers, one per listener, with the same error mapping, limits and plugins. */
export async function startApolloServers(config: GatewayConfig, logger: Logger) {
  const options = {
    formatError: createErrorFormatter(logger, !config.production),
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    validationRules: queryLimitRules(config.graphql, logger),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      queryLimitPlugin({ production: config.production, maxCost: config.graphql.maxCost }),
      httpAnswerPlugin(),
      observabilityPlugin(),
    ],
    // The gateway owns shutdown (main.ts): Apollo's own handler would stop GraphQL under requests in flight.
    stopOnTerminationSignals: false,
    // No client of ours sends automatic persisted queries (the web app, GraphiQL and the examples
    // send the query text): refused alike on both listeners, before any hash is looked at.
    persistedQueries: false as const,
  };
  // Partners may send array batches on the API listener; the API app caps their size.
  // Introspection: GraphiQL needs it; in production the plugin shows it to administrators and operators only.
  const api = new ApolloServer<RequestContext>({
    ...options,
    schema: await buildApiSchema(),
    introspection: true,
    allowBatchedHttpRequests: true,
  });
  // Nobody on the enrollment listener needs the schema in production.
  const enroll = new ApolloServer<RequestContext>({
    ...options,
    schema: await buildEnrollSchema(),
    introspection: !config.production,
  });
  await Promise.all([api.start(), enroll.start()]);
  return { api, enroll };
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
