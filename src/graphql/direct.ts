import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';
import type { OperationAnswer, OperationHooks } from './operation.types';
import { extend } from '../common/extend';

/** The media types a single result can be answered in, in Apollo Server's order of preference. */
const MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];
const JSON_TYPE = MEDIA_TYPES[0];

/**
 * What a parsed document holds on the heap, estimated: measured 2.6 KiB for `{ whoami { loginId } }`,
 * 8.5 KiB for a 129-character list query, 47 KiB for GraphiQL's 1,927-character introspection
 * query. The cache keeps at most DOCUMENT_CACHE_BYTES of them, however many distinct texts arrive.
 */
const DOCUMENT_BYTES = 2048;
const DOCUMENT_BYTES_PER_CHARACTER = 64;
const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;

/** An answer to write: status, headers (lower-case names) and the JSON text. */
export interface GraphqlAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

type Head = OperationAnswer['head'];
type FormattedResult = OperationAnswer['result'] & { extensions?: Record<string, unknown> };

export interface DirectGraphqlOptions<Context> {
  schema: GraphQLSchema;
  /** Apollo's formatError signature: the enriched error first, the thrown one second. */
  formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  maxTokens?: number;
  validationRules?: readonly ValidationRule[];
  allowBatches?: boolean;
  hooks?: OperationHooks<Context>;
}

/** A request refused as sent, with Apollo Server's code, message and status for it. */
function badRequest(message: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status } } });
}

/** A GraphQLError carrying `code` and an HTTP status, keeping what graphql-js said (its locations, its original error). */
function withCode(error: GraphQLError, code: string, status?: number, original = error.originalError ?? error): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.nodes ? undefined : error.source,
    positions: error.nodes ? undefined : error.positions,
    originalError: original,
    extensions: Object.assign(status ? { http: { status } } : {}, error.extensions, { code }),
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Buffer.isBuffer(value) && !Array.isArray(value);

/** graphql-js's messages for variables that do not fit their definitions: a client's fault (Apollo Server: BAD_USER_INPUT). */
function isVariableCoercionError(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== 'VariableDefinition') return false;
  const prefix = `Variable "$${node.variable.name.value}" `;
  return ['has invalid value', 'got invalid value ', 'of required type ', 'of non-null type '].some((rest) =>
    error.message.startsWith(prefix + rest),
  );
}

/**
 * POST /graphql with a JSON body, run by graphql-js directly: what Apollo Server does for such a
 * request — the same checks of the body, the same codes, messages and statuses, the same hooks
 * (operation-hooks.ts), array batches on one shared HTTP head — without the machinery the gateway
 * does not use (plugin lifecycles, a SHA-256 of every query, incremental delivery, landing pages).
 * Apollo still serves every other form of request (GET, other content types: CSRF prevention
 * and body parsing are its own and express's); a spec holds the two to the same answers.
 *
 * Documents are parsed and validated once per query text and kept while they are used (an LRU
 * bounded by their estimated heap size, as Apollo's document store is bounded); invalid ones are never kept.
 */
export class DirectGraphql<Context extends object> {
  private readonly documents = new LRUCache<string, DocumentNode>({
    maxSize: DOCUMENT_CACHE_BYTES,
    sizeCalculation: (_document, query) => DOCUMENT_BYTES + DOCUMENT_BYTES_PER_CHARACTER * query.length,
  });
  private readonly rules: readonly ValidationRule[];

  constructor(private readonly options: DirectGraphqlOptions<Context>) {
    this.rules = [...specifiedRules, ...(options.validationRules ?? [])];
  }

  /**
   * The answer to a parsed JSON body, with the context `makeContext` builds (a failure to build it
   * is answered as Apollo answers it); `accept` is the request's Accept header. Never throws.
   */
  async answer(body: unknown, makeContext: () => Promise<Context>, accept: string | undefined): Promise<GraphqlAnswer> {
    const head: Head = { headers: new Map() };
    const contentType = this.contentTypeFor(accept);
    let context: Context | null = null;
    try {
      const ready = await makeContext().catch((error: unknown) => {
        throw error instanceof GraphQLError
          ? error
          : new GraphQLError(`Context creation failed: ${errorMessage(error)}`, { originalError: asError(error) });
      });
      context = ready;
      // Refused before anything runs (Apollo runs the operation first, then refuses to answer it).
      if (contentType === null) {
        throw badRequest(
          `An 'accept' header was provided for this request which does not accept ${MEDIA_TYPES[0]} or ${MEDIA_TYPES[1]}`,
          406,
        );
      }
      let text: string;
      if (Array.isArray(body)) {
        if (!this.options.allowBatches) throw badRequest('Operation batching disabled.');
        if (body.length === 0) throw badRequest('No operations found in request.');
        const results = await Promise.all(body.map((piece) => this.operation(piece, ready, head)));
        text = `[${results.map(stringify).join(',')}]`;
      } else {
        text = stringify(await this.operation(body, ready, head));
      }
      head.headers.set('content-type', contentType);
      return { status: head.status ?? 200, headers: head.headers, body: text };
    } catch (error) {
      // Refused before any operation ran (as Apollo's errorResponse): the body as a whole, or one piece of a batch.
      const refusal: Head = { headers: new Map() };
      const errors = this.formatErrors([error], refusal);
      if (context) this.options.hooks?.answering(context, { head: refusal, result: { errors } });
      refusal.headers.set('content-type', contentType ?? JSON_TYPE);
      return { status: refusal.status ?? 500, headers: refusal.headers, body: stringify({ errors }) };
    }
  }

  /**
   * One operation, as Apollo's request pipeline runs it. Refusals of the body's shape are thrown
   * (they refuse the whole request); everything after is answered in the result, with hooks.
   */
  private async operation(piece: unknown, context: Context, head: Head): Promise<FormattedResult> {
    const { query, variables, operationName, extensions } = this.requestOf(piece);
    const refuse = (errors: readonly unknown[]): FormattedResult => {
      const result = { errors: this.formatErrors(errors, head) };
      head.status ??= 500;
      this.options.hooks?.answering(context, { head, result });
      return result;
    };
    if (extensions?.persistedQuery) {
      // Persisted queries are off (apollo.ts): the error formatter turns this into the refusal clients read.
      return refuse([
        new GraphQLError('PersistedQueryNotSupported', {
          extensions: {
            code: 'PERSISTED_QUERY_NOT_SUPPORTED',
            http: { status: 200, headers: new Map([['cache-control', 'private, no-cache, must-revalidate']]) },
          },
        }),
      ]);
    }
    if (!query) return refuse([badRequest('GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.')]);

    let document = this.documents.get(query);
    if (!document) {
      try {
        document = parse(query, { maxTokens: this.options.maxTokens });
      } catch (error) {
        if (!(error instanceof GraphQLError)) return refuse([error]);
        return refuse([withCode(error, 'GRAPHQL_PARSE_FAILED', 400, error)]);
      }
      const invalid = validate(this.options.schema, document, this.rules);
      if (invalid.length) return refuse(invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED', 400)));
      this.documents.set(query, document);
    }

    const operation = getOperationAST(document, operationName);
    try {
      if (operation) this.options.hooks?.operationResolved(context, { schema: this.options.schema, document, operation, variables });
    } catch (error) {
      return refuse([error]);
    }

    let result: ExecutionResult;
    try {
      result = await execute({ schema: this.options.schema, document, contextValue: context, variableValues: variables, operationName });
    } catch (error) {
      return refuse([error]);
    }
    if (!operation) {
      // graphql-js names what is wrong (no operation, several without a name, an unknown name).
      const [first] = result.errors ?? [new GraphQLError('Unexpected error: no operation was resolved and execution reported none')];
      return refuse([withCode(first, 'OPERATION_RESOLUTION_FAILURE', 400)]);
    }
    const errors = result.errors?.map((error) =>
      isVariableCoercionError(error) && error.extensions.code == null ? withCode(error, 'BAD_USER_INPUT') : error,
    );
    const formatted: FormattedResult = extend(result, { errors: errors && this.formatErrors(errors, head) });
    // Variables that do not fit: nothing ran, the request was wrong as sent.
    if (errors?.length && result.data === undefined && !head.status) head.status = 400;
    this.options.hooks?.answering(context, { head, result: formatted });
    return formatted;
  }

  /** The body's fields, checked as Apollo checks a POST body (its messages). */
  private requestOf(body: unknown) {
    if (!isRecord(body) || Object.keys(body).length === 0) {
      throw badRequest('POST body missing, invalid Content-Type, or JSON object has no keys.');
    }
    const { query, variables, extensions, operationName } = body;
    if (query && typeof query !== 'string') {
      throw badRequest(
        isRecord(query) && query.kind === 'Document'
          ? "GraphQL queries must be strings. It looks like you're sending the internal graphql-js representation of a parsed query in your request instead of a request in the GraphQL query language. You can convert an AST to a string using the `print` function from `graphql`, or use a client like `apollo-client` which converts the internal representation to a string for you."
          : 'GraphQL queries must be strings.',
      );
    }
    if (typeof variables === 'string') {
      throw badRequest('`variables` in a POST body should be provided as an object, not a recursively JSON-encoded string.');
    }
    if (typeof extensions === 'string') {
      throw badRequest('`extensions` in a POST body should be provided as an object, not a recursively JSON-encoded string.');
    }
    if ('extensions' in body && extensions !== null && !isRecord(extensions)) {
      throw badRequest('`extensions` in a POST body must be an object if provided.');
    }
    if ('variables' in body && variables !== null && !isRecord(variables)) {
      throw badRequest('`variables` in a POST body must be an object if provided.');
    }
    if ('operationName' in body && operationName !== null && typeof operationName !== 'string') {
      throw badRequest('`operationName` in a POST body must be a string if provided.');
    }
    return {
      query: typeof query === 'string' ? query : undefined,
      variables: isRecord(variables) ? variables : undefined,
      operationName: typeof operationName === 'string' ? operationName : undefined,
      extensions: isRecord(extensions) ? extensions : undefined,
    };
  }

  /**
   * Each error as Apollo enriches it before formatError (a code, INTERNAL_SERVER_ERROR by
   * default; its `http` extension taken into the answer's head, not shown), then formatted.
   */
  private formatErrors(errors: readonly unknown[], head: Head): GraphQLFormattedError[] {
    return errors.map((thrown) => {
      try {
        const error = thrown instanceof GraphQLError ? thrown : new GraphQLError(errorMessage(thrown), { originalError: asError(thrown) });
        const { http, ...extensions }: Record<string, unknown> = extend(error.extensions, {
          code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR',
        });
        if (http && typeof http === 'object') {
          const { status, headers } = http as { status?: unknown; headers?: unknown };
          if (typeof status === 'number') head.status = status;
          if (headers instanceof Map) for (const [name, value] of headers) head.headers.set(name, value);
        }
        const formatted: GraphQLFormattedError = extend(error.toJSON(), { extensions });
        return this.options.formatError ? this.options.formatError(formatted, error) : formatted;
      } catch {
        return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
    });
  }

  private contentTypeFor(accept: string | undefined): string | null {
    if (!accept || accept === 'application/json' || accept === '*/*') return JSON_TYPE;
    return new Negotiator({ headers: { accept } }).mediaType(MEDIA_TYPES) ?? null;
  }
}

/** Anything thrown as an Error (Apollo's ensureError). */
function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new GraphQLError(`Unexpected error value: ${String(thrown)}`);
}

const errorMessage = (thrown: unknown): string => asError(thrown).message;

/** As Apollo Server writes a result: errors, data, extensions, in that order, and a newline. */
function stringify(result: FormattedResult): string {
  return JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions }) + '\n';
}
