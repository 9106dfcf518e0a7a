import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { Logger } from 'pino';
import { DomainError, ERROR_CATALOGUE, ErrorCode } from '../common/domain-error';
import { asServiceUnavailable } from '../db/database';
import { extend } from '../common/extend';

type ErrorLike = { code?: unknown; details?: Record<string, unknown>; extensions?: Record<string, unknown> };

/**
 * The HTTP status (and `Retry-After`) of a request all of whose errors say "not now"
 * (RATE_LIMITED, SERVICE_UNAVAILABLE: `retryLater` in the catalogue): 503 if any is
 * SERVICE_UNAVAILABLE, else 429, with the longest wait any of them asks for. Null when
 * something else is wrong too (then waiting would not help) — such errors come with 200.
 */
export function retryLaterRefusalOf(errors: ReadonlyArray<ErrorLike>): { status: number; retryAfterSeconds: number } | null {
  if (!errors.length) return null;
  let longest = 0;
  let status = 0;
  for (const error of errors) {
    const fields: Record<string, unknown> = error.extensions ?? extend(error.details ?? {}, { code: error.code });
    const entry: { httpStatus: number; retryLater?: true } | undefined = ERROR_CATALOGUE[fields.code as ErrorCode];
    if (!entry?.retryLater) return null;
    status = Math.max(status, entry.httpStatus);
    longest = Math.max(longest, Number(fields.retryAfterSeconds ?? 1));
  }
  return { status, retryAfterSeconds: Math.max(1, Math.ceil(longest)) };
}

/** HTTP status for a request refused as a whole (certificate refused, bad body, query limits). */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].httpStatus;
}

/**
 * A refusal of the whole request raised while Apollo builds the request context (the session is
 * read then): Apollo answers it with the status and headers carried here, not its default 500.
 */
export function wholeRequestRefusal(error: DomainError): GraphQLError {
  const retryLater = retryLaterRefusalOf([error]);
  const headers = new HeaderMap(retryLater ? [['retry-after', String(retryLater.retryAfterSeconds)]] : []);
  return new GraphQLError(error.message, { originalError: error, extensions: { http: { status: httpStatusOf(error.code), headers } } });
}

/** Apollo's and graphql-js's own codes for a request that is wrong as sent. */
const CLIENT_FAULTS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Apollo's refusals of automatic persisted queries (off in gateway.ts), kept as the `reason` an APQ client looks for. */
const PERSISTED_QUERY_REFUSALS = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);
const PERSISTED_QUERY_MESSAGE =
  'Persisted queries are not supported: send the operation text in `query`, without a persistedQuery extension.';

export function domainErrorBody(error: DomainError): GraphQLFormattedError {
  return { message: error.message, extensions: extend(error.details, { code: error.code }) };
}

/** A DomainError thrown by a resolver, or carried by a refusal made before execution (query limits). */
function domainErrorOf(error: unknown): DomainError | null {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) return original;
  if (original instanceof GraphQLError && original.originalError instanceof DomainError) return original.originalError;
  return null;
}

/** graphql-js suggests names ("Did you mean …?"), which would let anyone map the schema field by field. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}

// graphql-js 16 spells it "more that".
const TOO_MANY_TOKENS = /Document contains more tha[nt] \d+ tokens/;

/**
 * The one mapping from anything thrown to what a client sees: a stable `extensions.code` from
 * DESIGN.md §5 and a readable message. A database that does not answer (or is full, or gone) is
 * SERVICE_UNAVAILABLE. Anything unexpected becomes INTERNAL; its detail goes to the log only (in
 * development the message is kept to help debugging, never the stack).
 */
export function createErrorFormatter(logger: Logger, development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const location = { locations: formatted.locations, path: formatted.path };
    const domain = domainErrorOf(error);
    if (domain) return { ...domainErrorBody(domain), ...location };
    const unavailable = asServiceUnavailable(original);
    if (unavailable) {
      const e = original as { code?: string; driverError?: { code?: string } };
      logger.warn({ code: e?.driverError?.code ?? e?.code, path: formatted.path }, 'database unavailable');
      return { ...domainErrorBody(unavailable), ...location };
    }
    if (original instanceof ArgumentValidationError) {
      const problems = original.extensions.validationErrors.map((v) => ({
        field: v.property,
        problems: Object.values(v.constraints ?? {}),
      }));
      return {
        // class-validator's messages (and ours) already name their field.
        message: `Invalid input: ${problems.flatMap((p) => p.problems).join('; ')}`,
        extensions: { code: ErrorCode.BAD_USER_INPUT, validation: problems },
        ...location,
      };
    }
    const apolloCode = formatted.extensions?.code;
    if (typeof apolloCode === 'string' && PERSISTED_QUERY_REFUSALS.has(apolloCode)) {
      return { message: PERSISTED_QUERY_MESSAGE, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: apolloCode }, ...location };
    }
    if (typeof apolloCode === 'string' && CLIENT_FAULTS.has(apolloCode)) {
      const message = development ? formatted.message : withoutSuggestions(formatted.message);
      const limit = TOO_MANY_TOKENS.test(message) ? { limit: 'TOKENS' } : {};
      return { message, extensions: { code: ErrorCode.BAD_USER_INPUT, ...limit }, ...location };
    }
    const e = original as { name?: string; message?: string; code?: string };
    logger.error({ err: { name: e?.name, message: e?.message, code: e?.code }, path: formatted.path }, 'internal error');
    return {
      message: development && e?.message ? `Internal error: ${e.message}` : 'Internal error. Please try again later.',
      extensions: { code: ErrorCode.INTERNAL },
      ...location,
    };
  };
}
