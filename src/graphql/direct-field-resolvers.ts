import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { RequestContext } from './context';

type Param = NonNullable<ReturnType<typeof getMetadataStorage>['fieldResolvers'][number]['params']>[number];

/** The value a parameter takes from a resolution, for those taken as they are; undefined for any other kind. */
function argumentOf(param: Param): ((root: unknown, context: RequestContext, info: unknown) => unknown) | undefined {
  if (param.kind === 'context' && !param.propertyName) return (_root, context) => context;
  if (param.kind === 'info') return (_root, _context, info) => info;
  if (param.kind !== 'root' || param.propertyName) return undefined;
  let type: unknown;
  try {
    type = param.getType?.();
  } catch {
    return undefined;
  }
  // A typed @Root() makes type-graphql copy a plain parent into an instance of its class: left to type-graphql.
  return type === undefined || type === Object ? (root) => root : undefined;
}

/**
 * Field resolvers of resolver classes that take only their parent (`@Root()`, untyped), the
 * context and the resolve info, and have no middleware or roles, called on the request's resolver
 * instance directly instead of through type-graphql's handler: its middleware chain and parameter
 * sorting on every resolution were a tenth of a 100-row page's CPU (three relations a row,
 * bench:profile). Every other resolver (arguments to convert and validate, middleware) keeps
 * type-graphql's. Run before compileFieldAccess, which wraps what is here.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema, resolvers: readonly Function[]): GraphQLSchema {
  const storage = getMetadataStorage();
  const done = new Map<Function, Set<string>>();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external') continue;
    // Whose instance runs it: the class that declares it, or the one schema resolver that inherits it (as type-graphql maps them).
    const owners = resolvers.filter((r) => r === resolver.target || Object.prototype.isPrototypeOf.call(resolver.target, r));
    if (owners.length !== 1) continue;
    const [owner] = owners;
    const objectClass = resolver.getObjectType?.();
    if (!objectClass) continue;
    const named = done.get(objectClass) ?? new Set<string>();
    done.set(objectClass, named);
    if (named.has(resolver.methodName)) continue;
    named.add(resolver.methodName);
    if (resolver.middlewares?.length || resolver.roles?.length) continue;
    const typeName = storage.objectTypes.find((type) => type.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!field) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    const taken = params.map(argumentOf);
    if (taken.some((take) => take === undefined) || taken.length !== params.length) continue;
    const values = taken as Array<(root: unknown, context: RequestContext, info: unknown) => unknown>;
    const { methodName } = resolver;
    const resolve: GraphQLFieldResolver<unknown, RequestContext> = (root, _args, context, info) => {
      const instance = context.container.get(owner) as Record<string, (...args: unknown[]) => unknown>;
      return instance[methodName](...values.map((value) => value(root, context, info)));
    };
    field.resolve = resolve;
  }
  return schema;
}
