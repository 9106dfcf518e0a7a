import type { DocumentNode, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';

/** An operation as validation left it, with the variables sent for it. */
export interface ResolvedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | undefined;
}

/** An operation's answer before it is written: its HTTP head (shared by an array batch's operations) and its result. */
export interface OperationAnswer {
  head: { status?: number; headers: Map<string, string> };
  result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] };
}

/**
 * What the gateway does around every GraphQL operation, whichever engine runs it (direct.ts on
 * the hot path, Apollo for every other form of request): one definition, two adapters.
 */
export interface OperationHooks<Context> {
  /** After validation, before execution: refuses the operation by throwing a GraphQLError. */
  operationResolved(context: Context, operation: ResolvedOperation): void;
  /** Once the errors are formatted, before the answer is written. */
  answering(context: Context, answer: OperationAnswer): void;
}
