import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type ResolverData } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver';
import { checkAccess } from './access';
import type { RequestContext } from './context';

/** Resolvers served on the API listener (client certificate required). */
export const apiResolvers = [AuthResolver] as const;

let apiSchema: Promise<GraphQLSchema> | undefined;

/**
 * Built once per process. Resolver instances come from the request's container, so several
 * gateways (each with its own database) can share one schema in one process.
 */
export function buildApiSchema(): Promise<GraphQLSchema> {
  apiSchema ??= buildSchema({
    resolvers: [...apiResolvers],
    authChecker: checkAccess,
    validate: { forbidUnknownValues: false },
    container: ({ context }: ResolverData<RequestContext>) => ({
      get: (resolverClass: Function) => context.container.get(resolverClass),
    }),
  });
  return apiSchema;
}

/** The SDL committed as schema.graphql, sorted so that the file only changes with the schema. */
export function printSdl(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
