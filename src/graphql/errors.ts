import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { Logger } from 'pino';
import { DomainError, ErrorCode } from '../common/domain-error';

/**
 * HTTP status for errors answered outside GraphQL execution (certificate refused, bad body). Every
 * code is mapped on purpose: a new ErrorCode fails to compile here until it has its status.
 */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.CERTIFICATE_REJECTED:
      return 401;
    case ErrorCode.BAD_USER_INPUT:
      return 400;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.INTERNAL:
      return 500;
    case ErrorCode.LOGIN_FAILED:
    case ErrorCode.ACCOUNT_LOCKED:
    case ErrorCode.PASSWORD_EXPIRED:
    case ErrorCode.PASSWORD_POLICY:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.LIMIT_EXCEEDED:
    case ErrorCode.INSUFFICIENT_FUNDS:
    case ErrorCode.CONTRACT_STOPPED:
    case ErrorCode.ENROLLMENT_REJECTED:
      return 403;
    default:
      return assertUnreachable(code);
  }
}

function assertUnreachable(code: never): never {
  throw new Error(`No HTTP status for error code ${String(code)}`);
}

/** Apollo's and graphql-js's own codes for a request that is wrong as sent. */
const CLIENT_FAULTS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export function domainErrorBody(error: DomainError): GraphQLFormattedError {
  return { message: error.message, extensions: { ...error.details, code: error.code } };
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
 * DESIGN.md §5 and a readable message. Anything unexpected becomes INTERNAL; its detail goes to
 * the log only (in development the message is kept to help debugging, never the stack).
 */
export function createErrorFormatter(logger: Logger, development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const location = { locations: formatted.locations, path: formatted.path };
    const domain = domainErrorOf(error);
    if (domain) return { ...domainErrorBody(domain), ...location };
    if (original instanceof ArgumentValidationError) {
      const problems = original.extensions.validationErrors.map((v) => ({
        field: v.property,
        problems: Object.values(v.constraints ?? {}),
      }));
      return {
        message: `Invalid input: ${problems.map((p) => `${p.field} ${p.problems.join(', ')}`).join('; ')}`,
        extensions: { code: ErrorCode.BAD_USER_INPUT, validation: problems },
        ...location,
      };
    }
    const apolloCode = formatted.extensions?.code;
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
