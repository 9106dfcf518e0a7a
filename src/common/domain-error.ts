/**
 * The error codes clients see in `extensions.code` (DESIGN.md §5). Domain code throws
 * DomainError with one of these; graphql/errors.ts is the one place that maps them.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  CERTIFICATE_REJECTED = 'CERTIFICATE_REJECTED',
  LOGIN_FAILED = 'LOGIN_FAILED',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  PASSWORD_EXPIRED = 'PASSWORD_EXPIRED',
  PASSWORD_POLICY = 'PASSWORD_POLICY',
  FORBIDDEN = 'FORBIDDEN',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS',
  CONTRACT_STOPPED = 'CONTRACT_STOPPED',
  ENROLLMENT_REJECTED = 'ENROLLMENT_REJECTED',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL = 'INTERNAL',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, non-secret facts for the client (e.g. remainingAttempts). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
