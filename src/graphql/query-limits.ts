import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { Logger } from 'pino';
import { Role } from '../users/user.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import type { RequestContext } from './context';
import type { OperationHooks } from './operation.types';
import { operationCost } from './query-cost';
import { extend } from '../common/extend';

/** Which limit refused a document: clients and the log see it as `extensions.limit` (values: for the web app's labels). */
export const QUERY_LIMITS = ['DEPTH', 'ALIASES', 'DIRECTIVES', 'COST', 'TOKENS', 'PASSWORD_CHECKS', 'BATCH'] as const;
export type QueryLimit = (typeof QUERY_LIMITS)[number];

/**
 * Arguments that carry a password: a field taking one runs an argon2id check and counts toward
 * the 6-strike lock. Derived from the schema, so a new mutation taking a confirmation password is
 * limited without anyone remembering to mark it.
 */
export const PASSWORD_ARGUMENTS = new Set(['pin', 'password', 'current', 'confirmationPassword']);

/** A refusal made before execution, carried through graphql-js and Apollo to the error formatter. */
function refusedBeforeExecution(error: DomainError, status: number): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { http: { status } } });
}

export function queryLimitError(limit: QueryLimit, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return refusedBeforeExecution(new DomainError(ErrorCode.BAD_USER_INPUT, message, { limit, ...details }), 400);
}

/**
 * DESIGN.md §6.8: depth, aliases and directives are checked by graphql-armor's validation rules
 * before anything runs (the cost needs the variables: operationAdmission). Their rejections are
 * reported as validation errors (400, BAD_USER_INPUT with `limit`) — graphql-armor's default is to
 * throw, which Apollo answers as a 500 — and logged as a warning: they are the client's fault.
 */
export function queryLimitRules(limits: GatewayConfig['graphql'], logger: Logger): ValidationRule[] {
  const rejectAs =
    (limit: QueryLimit): GraphQLArmorRejectCallback =>
    (context, error) => {
      const message = error.message.replace(/^Syntax Error: /, '');
      logger.warn({ limit, reason: message }, 'query refused by a limit');
      context?.reportError(queryLimitError(limit, message));
    };
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxDepthRule(extend(common, { n: limits.maxQueryDepth, onReject: [rejectAs('DEPTH')] })),
    maxAliasesRule(extend(common, { n: limits.maxAliases, onReject: [rejectAs('ALIASES')] })),
    maxDirectivesRule(extend(common, { n: limits.maxDirectives, onReject: [rejectAs('DIRECTIVES')] })),
  ];
}

type Fragments = Map<string, FragmentDefinitionNode>;

function fragmentsOf(document: DocumentNode): Fragments {
  return new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

/** Fields of the operation (through fragments) that take a password argument. Validation has refused fragment cycles. */
export function passwordChecksIn(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = fragmentsOf(document);
  const walk = (type: GraphQLNamedType | undefined | null, selectionSet: SelectionSetNode): number => {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        if (field.args.some((arg) => PASSWORD_ARGUMENTS.has(arg.name))) count++;
        if (selection.selectionSet) count += walk(getNamedType(field.type), selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        count += walk(selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type, selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) count += walk(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet);
      }
    }
    return count;
  };
  return walk(schema.getRootType(operation.operation), operation.selectionSet);
}

/** Whether the operation asks for the schema itself (`__schema`, `__type`; `__typename` is not introspection). */
export function isIntrospection(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = fragmentsOf(document);
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        return (
          selection.name.value === '__schema' ||
          selection.name.value === '__type' ||
          (!!selection.selectionSet && walk(selection.selectionSet))
        );
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return walk(selection.selectionSet);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      return !!fragment && walk(fragment.selectionSet);
    });
  return walk(operation.selectionSet);
}

/** Production: the schema is shown to logged-in administrators and operators (GraphiQL) only. */
function mayIntrospect(ctx: RequestContext): boolean {
  const role = ctx.identity?.user.role;
  return !!ctx.session && !ctx.passwordChangeRequired && (role === Role.ADMIN || role === Role.OPERATOR);
}

/**
 * The cost limit, per operation and per HTTP request (an array batch shares one budget): the
 * operations that would take the request past it are refused, so a batch runs at most one
 * operation's worth. graphql-armor's cost rule cannot do this: a validation rule sees neither the
 * variables (`first: $n` counted as 1) nor the other operations of a batch.
 */
function checkCost(ctx: RequestContext, cost: number | null, maxCost: number): void {
  if (cost === null) return; // variables that do not fit: execution refuses the operation
  if (cost > maxCost) {
    throw queryLimitError(
      'COST',
      `The operation may cost ${cost}, more than the limit of ${maxCost}: ask for smaller pages or fewer fields.`,
      { cost, maxCost },
    );
  }
  const batchCost = ctx.httpRequest.cost + cost;
  if (batchCost > maxCost) {
    throw queryLimitError(
      'COST',
      `The operations of this batch may cost ${batchCost} together, more than the limit of ${maxCost}: send them in several requests.`,
      { cost: batchCost, maxCost },
    );
  }
  ctx.httpRequest.cost = batchCost;
}

/**
 * Limits that need the resolved operation, its variables and the caller, applied after validation
 * and before execution: the cost (with the variables' values, over a whole batch), at most one
 * password-checking field per operation and per HTTP request (an array batch shares one context),
 * and introspection in production only for administrators and operators. Refuses by throwing.
 */
export function operationAdmission(options: { production: boolean; maxCost: number }): OperationHooks<RequestContext>['operationResolved'] {
  // What depends on the operation's text alone, worked out once per operation: both ways of
  // running an operation keep parsed documents and hand the same objects back for the same text.
  const known = new WeakMap<
    OperationDefinitionNode,
    { schema: GraphQLSchema; introspection: boolean; passwordChecks: number; cost: number | null }
  >();
  return (contextValue, { document, operation, variables, schema }) => {
    let facts = known.get(operation);
    if (facts?.schema !== schema) {
      facts = {
        schema,
        introspection: isIntrospection(document, operation),
        passwordChecks: passwordChecksIn(schema, document, operation),
        // Without variables the cost is the text's; with them it is counted for each request's values.
        cost: operation.variableDefinitions?.length ? null : operationCost(schema, document, operation, {}),
      };
      known.set(operation, facts);
    }
    if (options.production && facts.introspection && !mayIntrospect(contextValue)) {
      throw refusedBeforeExecution(
        new DomainError(ErrorCode.FORBIDDEN, 'The schema is shown only to logged-in administrators and operators.'),
        403,
      );
    }
    const cost = operation.variableDefinitions?.length ? operationCost(schema, document, operation, variables) : facts.cost;
    checkCost(contextValue, cost, options.maxCost);
    const checks = facts.passwordChecks;
    if (checks === 0) return;
    if (checks > 1) {
      throw queryLimitError(
        'PASSWORD_CHECKS',
        'An operation may check at most one password (login, changePassword, or one confirmation password).',
      );
    }
    if (contextValue.httpRequest.passwordChecks++ > 0)
      throw queryLimitError('PASSWORD_CHECKS', 'A batch may contain at most one operation that checks a password.');
  };
}
