import { getNamedType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage, type ResolverData } from 'type-graphql';
import { Permission, Role } from '../users/user.entity';
import type { User } from '../users/user.entity';
import { DomainError } from '../common/domain-error';
import { PARTNER_OPERATIONS } from '../partners/partner-scopes';
import { Access, allowedOn, checkAccess, ROOT_TYPES, visibilityOf } from './access';
import type { RequestContext } from './context';

/**
 * DESIGN.md §6.6: every path through the graph is an access path. The access map lists, per
 * listener, every root operation and every field of every object type with who may read it:
 * a root's `@Allow`, an object type's `@VisibleTo`, plus a field's own `@Allow` when it carries
 * more (a balance needs ACCOUNT_INQUIRY wherever it appears). Committed as access-map.json; a
 * test compares, so a new field or operation is reviewed as a permission change, and
 * `accessViolations` proves that no root hands out a type its callers may not see.
 */
export type Listener = 'api' | 'enroll';
export type Schemas = Record<Listener, GraphQLSchema>;

/** A route outside GraphQL (a download) with who may call it: listed as `api GET /path` beside the operations. */
export interface HttpRoute {
  listener: Listener;
  method: 'GET';
  path: string;
  access: Access;
}

export const UNDECLARED = 'UNDECLARED';

function classOf(typeName: string): Function | undefined {
  return getMetadataStorage().objectTypes.find((t) => t.name === typeName)?.target;
}

/**
 * A field's own `@Allow`: on the object type's property, or on the `@FieldResolver` (or root)
 * method that serves it. A root without one is UNDECLARED (the map shows it, a test fails).
 */
export function declaredOnField(typeName: string, fieldName: string): Access[] {
  const storage = getMetadataStorage();
  // Up the class chain: a field may be declared on a parent type, a root or field resolver on a parent resolver (resolvers-inheritance).
  const declaredOn = (type: Function | undefined, name: string) => {
    for (let target = type; target && target !== Object && target !== Function.prototype; target = Object.getPrototypeOf(target)) {
      const declared = allowedOn(target, name);
      if (declared) return [declared];
    }
    return undefined;
  };
  if (ROOT_TYPES.has(typeName)) {
    const root = [...storage.queries, ...storage.mutations].find(
      (q) => q.schemaName === fieldName && (typeName === 'Query') === storage.queries.includes(q),
    );
    return (root && declaredOn(root.target, root.methodName)) ?? [UNDECLARED as Access];
  }
  const type = classOf(typeName);
  const declared = declaredOn(type, fieldName);
  if (declared) return declared;
  const resolver = storage.fieldResolvers.find((r) => r.schemaName === fieldName && r.getObjectType?.() === type);
  return (resolver && declaredOn(resolver.target, resolver.methodName)) ?? [];
}

function visibleTo(typeName: string): Access[] {
  const type = classOf(typeName);
  return [(type && visibilityOf(type)) ?? (UNDECLARED as Access)];
}

const sorted = (requirements: Iterable<string>) => [...new Set(requirements)].sort();

function objectTypesOf(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));
}

export function accessMap(schemas: Schemas, routes: readonly HttpRoute[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const route of routes) map[`${route.listener} ${route.method} ${route.path}`] = [route.access];
  // What a partner's token reaches, beside each operation's own rule (a partner needs both).
  for (const [operation, scope] of Object.entries(PARTNER_OPERATIONS)) map[`api partner ${operation}`] = [scope];
  for (const [listener, schema] of Object.entries(schemas)) {
    for (const type of objectTypesOf(schema)) {
      const root = ROOT_TYPES.has(type.name);
      for (const field of Object.keys(type.getFields())) {
        map[`${listener} ${type.name}.${field}`] = sorted(
          root ? declaredOnField(type.name, field) : [...visibleTo(type.name), ...declaredOnField(type.name, field)],
        );
      }
    }
  }
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Every kind of caller the checks can tell apart: no certificate (enrollment), or a user of each
 * role with each set of business permissions, without a session, with one that must first change
 * its password, and with a normal one; and a partner with each set of permissions a consent gives.
 */
function callerProfiles(): RequestContext[] {
  const all = Object.values(Permission);
  // Every subset of the permissions (2^n of them).
  const permissionSets = Array.from({ length: 1 << all.length }, (_, bits) => all.filter((_, i) => bits & (1 << i)));
  const profiles: RequestContext[] = [
    { identity: null, session: null, sessionProblem: null, partner: null, passwordChangeRequired: false } as RequestContext,
  ];
  for (const role of Object.values(Role)) {
    for (const permissions of permissionSets) {
      for (const state of ['none', 'change', 'ok'] as const) {
        const user = {
          role,
          permissions,
          loginPasswordTemporary: state === 'change',
          confirmationPasswordTemporary: false,
        } as unknown as User;
        profiles.push({
          identity: { user, certificate: {}, contract: null },
          session: state === 'none' ? null : {},
          sessionProblem: null,
          partner: null,
          passwordChangeRequired: state === 'change',
        } as unknown as RequestContext);
      }
    }
  }
  // Partners on a person's behalf, with each set of the permissions a consent can give.
  const consentable = [Permission.ACCOUNT_INQUIRY, Permission.TRANSFER];
  for (const bits of [0, 1, 2, 3]) {
    const permissions = consentable.filter((_, i) => bits & (1 << i));
    const user = { role: Role.USER, permissions: Object.values(Permission) } as unknown as User;
    profiles.push({
      identity: { user, certificate: {}, contract: null },
      session: null,
      sessionProblem: null,
      partner: { permissions, scopes: [], accountIds: [] },
      passwordChangeRequired: false,
    } as unknown as RequestContext);
  }
  return profiles;
}

function passes(context: RequestContext, requirements: Access[]): boolean {
  try {
    return checkAccess({ context } as ResolverData<RequestContext>, requirements);
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

interface PathStep {
  listener: Listener;
  /** e.g. "Mutation.createTransfer.account" */
  path: string;
  type: GraphQLObjectType;
  /** What the path has checked so far: the root's requirements plus those of fields on the way. */
  grant: Access[];
}

/** Every (root operation, path, object type) the graph offers, each type once per distinct grant. */
function walkGraph(schemas: Schemas, visit: (step: PathStep) => void, onUndeclaredRoot: (listener: Listener, root: string) => void): void {
  for (const [listener, schema] of Object.entries(schemas) as Array<[Listener, GraphQLSchema]>) {
    for (const rootName of ROOT_TYPES) {
      const root = rootName === 'Query' ? schema.getQueryType() : schema.getMutationType();
      for (const field of Object.values(root?.getFields() ?? {})) {
        const granted = declaredOnField(rootName, field.name);
        if (granted.includes(UNDECLARED as Access)) {
          onUndeclaredRoot(listener, `${rootName}.${field.name}`);
          continue;
        }
        const seen = new Set<string>();
        const walk = (type: GraphQLObjectType, grant: Access[], path: string) => {
          const key = `${type.name}:${sorted(grant).join(',')}`;
          if (seen.has(key)) return;
          seen.add(key);
          visit({ listener, path, type, grant });
          for (const child of Object.values(type.getFields())) {
            const named = getNamedType(child.type);
            if (isObjectType(named)) walk(named, [...grant, ...declaredOnField(type.name, child.name)], `${path}.${child.name}`);
          }
        };
        const returned = getNamedType(field.type);
        if (isObjectType(returned)) walk(returned, granted, `${rootName}.${field.name}`);
      }
    }
  }
}

/** PARTNER_OPERATIONS entries the API schema has no root operation for (a rename would otherwise close it silently). */
export function unknownPartnerOperations(api: GraphQLSchema): string[] {
  return Object.keys(PARTNER_OPERATIONS).filter((operation) => {
    const [rootName, field] = operation.split('.');
    const root = rootName === 'Query' ? api.getQueryType() : api.getMutationType();
    return !root?.getFields()[field];
  });
}

/**
 * Paths through the graph that would show a type to a caller its declaration refuses: from each
 * root operation, every object type reached (through fields that may add their own checks) must be
 * visible to every caller the path lets through. Empty when the declarations are consistent.
 */
export function accessViolations(schemas: Schemas): string[] {
  const profiles = callerProfiles();
  const implies = (granted: Access[], required: Access[]) => profiles.every((p) => !passes(p, granted) || passes(p, required));
  const violations: string[] = [];
  walkGraph(
    schemas,
    ({ listener, path, type, grant }) => {
      const required = visibleTo(type.name);
      if (required.includes(UNDECLARED as Access)) violations.push(`${listener} ${path}: type ${type.name} declares no @VisibleTo`);
      else if (!implies(grant, required))
        violations.push(`${listener} ${path}: ${type.name} is visible to ${required.join('+')} only, the path grants ${grant.join('+')}`);
    },
    (listener, root) => violations.push(`${listener} ${root}: no @Allow`),
  );
  return violations;
}

/**
 * Every path from a root operation to a field that declares its own access, with the access-map
 * key of that field: { "api Query.accounts.balance": "api AccountView.balance", … }.
 */
export function pathsToDeclaredFields(schemas: Schemas): Record<string, string> {
  const paths: Record<string, string> = {};
  walkGraph(
    schemas,
    ({ listener, path, type }) => {
      for (const field of Object.keys(type.getFields())) {
        if (declaredOnField(type.name, field).length) paths[`${listener} ${path}.${field}`] = `${listener} ${type.name}.${field}`;
      }
    },
    () => undefined,
  );
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
}
