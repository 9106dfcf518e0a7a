import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Arguments that say how many items a list field returns. */
const LIST_SIZE_ARGUMENTS = ['first', 'last', 'limit'];

/** Reading the schema itself: bounded by the schema's size, and shown only to whom may see it (query-limits.ts). */
const INTROSPECTION = new Set(['__schema', '__type']);

/**
 * What an operation may cost: about how many values its answer can hold. Every field counts 1,
 * times the list sizes above it; a field taking `first`, `last` or `limit` multiplies itself and
 * what it selects by that number — given literally, through a variable, or by the argument's
 * default — so `lines(first: $n)` costs what `$n` asks for. Fragments count where they are spread
 * (each fragment is costed once, so nested spreads cannot make the count itself expensive).
 * Returns null when the variables do not fit the operation: execution refuses it then, before
 * anything runs.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableInputs: Record<string, unknown> | undefined,
): number | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableInputs ?? {});
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const fragmentCosts = new Map<string, number>();

  const listSize = (field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1]): number => {
    if (!field.args.some((arg) => LIST_SIZE_ARGUMENTS.includes(arg.name))) return 1;
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(field, node, variables);
    } catch {
      return 1; // an invalid argument: the field is refused when it would run
    }
    const sizes = LIST_SIZE_ARGUMENTS.map((name) => values[name]).filter((v): v is number => typeof v === 'number');
    return Math.max(1, ...sizes);
  };

  const costOf = (type: GraphQLNamedType | null | undefined, selectionSet: SelectionSetNode): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (INTROSPECTION.has(selection.name.value)) continue;
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[selection.name.value] : undefined;
        if (!field) {
          cost += 1; // __typename
          continue;
        }
        const below = selection.selectionSet ? costOf(getNamedType(field.type), selection.selectionSet) : 0;
        cost += (1 + below) * listSize(field, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += costOf(selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type, selection.selectionSet);
      } else {
        const name = selection.name.value;
        let fragmentCost = fragmentCosts.get(name);
        if (fragmentCost === undefined) {
          const fragment = fragments.get(name);
          // Validation has refused unknown fragments and cycles; 0 marks this one while it is costed.
          fragmentCosts.set(name, 0);
          fragmentCost = fragment ? costOf(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet) : 0;
          fragmentCosts.set(name, fragmentCost);
        }
        cost += fragmentCost;
      }
    }
    return cost;
  };
  return costOf(schema.getRootType(operation.operation), operation.selectionSet);
}
