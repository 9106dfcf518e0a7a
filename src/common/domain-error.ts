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
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  INVALID_EXECUTION_DATE = 'INVALID_EXECUTION_DATE',
  NOT_FOUND = 'NOT_FOUND',
  /** 取引認証: this approval takes a passkey assertion bound to the order, and none was given. */
  PASSKEY_REQUIRED = 'PASSKEY_REQUIRED',
  /** 取引認証: the passkey assertion (or registration) was not accepted. */
  PASSKEY_VERIFICATION_FAILED = 'PASSKEY_VERIFICATION_FAILED',
  /** 取引認証: the order as stored no longer matches what was approved (its failureCode when refused at execution). */
  APPROVAL_BINDING_MISMATCH = 'APPROVAL_BINDING_MISMATCH',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

/** Which daily or per-transfer limit (利用限度額) refused a transfer: `extensions.limit` of LIMIT_EXCEEDED. */
export enum LimitKind {
  PER_TRANSFER = 'PER_TRANSFER',
  USER_DAILY = 'USER_DAILY',
  CONTRACT_DAILY = 'CONTRACT_DAILY',
  /** The contract's daily limit for salary and bonus transfers (給与・賞与振込). */
  SALARY_DAILY = 'SALARY_DAILY',
}

/** Why a requested transfer date (振込指定日) cannot be kept: `extensions.reason` of INVALID_EXECUTION_DATE. */
export enum ExecutionDateRefusal {
  /** Before today (Asia/Tokyo). */
  PAST = 'PAST',
  /** A day banks are closed: a Saturday, Sunday, national holiday or 31 December – 3 January. */
  CLOSED_DAY = 'CLOSED_DAY',
  /** Today, but today's cut-off has passed (or, for an approval, the requested day's cut-off). */
  AFTER_CUTOFF = 'AFTER_CUTOFF',
  /** Further ahead than TRANSFER_DATE_HORIZON_DAYS. */
  BEYOND_HORIZON = 'BEYOND_HORIZON',
  /** A salary transfer made or approved after its submission deadline (SALARY_SUBMISSION_BUSINESS_DAYS before the payday, at the cut-off). */
  SUBMISSION_DEADLINE_PASSED = 'SUBMISSION_DEADLINE_PASSED',
}

/** Why a request carries no usable session: `extensions.reason` of UNAUTHENTICATED. */
export enum UnauthenticatedReason {
  /** No token was sent, or it is unknown. */
  NO_SESSION = 'NO_SESSION',
  /** The idle or the absolute timeout has passed. */
  EXPIRED = 'EXPIRED',
  /** The same user logged in again (one session per user). */
  REPLACED_BY_NEWER_LOGIN = 'REPLACED_BY_NEWER_LOGIN',
  LOGGED_OUT = 'LOGGED_OUT',
  /** The token was presented with another certificate than the one it was issued to (and is now ended). */
  OTHER_CERTIFICATE = 'OTHER_CERTIFICATE',
  /** Ended by the administrator or the bank: password reset, suspension, revocation, reissue, stop, termination. */
  ENDED_BY_ADMINISTRATION = 'ENDED_BY_ADMINISTRATION',
}

/** Why a passkey was not accepted: `extensions.reason` of PASSKEY_VERIFICATION_FAILED. */
export enum PasskeyRefusal {
  /** No challenge of this gateway, or one issued to another user or for another purpose. */
  UNKNOWN_CHALLENGE = 'UNKNOWN_CHALLENGE',
  /** The challenge was answered already: each is used once (a replayed assertion). */
  CHALLENGE_USED = 'CHALLENGE_USED',
  /** The challenge is older than PASSKEY_CHALLENGE_SECONDS. */
  CHALLENGE_EXPIRED = 'CHALLENGE_EXPIRED',
  /** The challenge was issued for another order. */
  OTHER_ORDER = 'OTHER_ORDER',
  /** The order changed since the challenge was issued (payee, amount, date, account, lines). */
  ORDER_CHANGED = 'ORDER_CHANGED',
  /** The passkey is not one of the caller's registered passkeys (or was removed). */
  UNKNOWN_PASSKEY = 'UNKNOWN_PASSKEY',
  /** The signature, origin, relying party or user verification does not hold. */
  NOT_VERIFIED = 'NOT_VERIFIED',
  /** The authenticator's signature counter did not move forward (a cloned authenticator or a replay). */
  COUNTER = 'COUNTER',
}

interface CatalogueEntry {
  /**
   * The HTTP status when a request is refused as a whole with this code: before GraphQL executes
   * anything (certificate, caller, body, query limits), or — for a code with `retryLater` — when
   * no operation of the request could be answered. Inside an executed operation errors come with 200.
   */
  httpStatus: number;
  /** "Not now": the whole request takes `httpStatus` and a `Retry-After` when every error of it is of such codes. */
  retryLater?: true;
  meaning: string;
  /** Machine-readable `extensions` fields besides `code`. */
  fields?: string;
}

/**
 * Every error code, what it means and what a program can act on: docs/errors.md is generated
 * from this table (npm run schema:emit), and `satisfies` keeps it exhaustive.
 */
export const ERROR_CATALOGUE = {
  [ErrorCode.UNAUTHENTICATED]: {
    httpStatus: 401,
    meaning: 'No usable PIN session: log in (again).',
    fields: `\`reason\`: ${Object.values(UnauthenticatedReason).join(', ')}`,
  },
  [ErrorCode.CERTIFICATE_REJECTED]: {
    httpStatus: 401,
    meaning: 'The client certificate is not registered, revoked or expired, or its contract is terminated.',
  },
  [ErrorCode.LOGIN_FAILED]: {
    httpStatus: 403,
    meaning: 'A wrong password or PIN; it counts toward the lock.',
    fields: '`remainingAttempts`',
  },
  [ErrorCode.ACCOUNT_LOCKED]: {
    httpStatus: 403,
    meaning: 'The user ID is locked after 6 consecutive wrong passwords: the administrator (or, for administrators, the bank) resets it.',
  },
  [ErrorCode.PASSWORD_EXPIRED]: {
    httpStatus: 403,
    meaning: 'Only a password change is allowed now (temporary password, or expired under `enforce`).',
  },
  [ErrorCode.PASSWORD_POLICY]: { httpStatus: 403, meaning: 'The new password breaks a rule.', fields: '`rule`' },
  [ErrorCode.FORBIDDEN]: {
    httpStatus: 403,
    meaning: 'The role, a business permission, the contract scope or the client-environment policy refuses it.',
    fields: '`required` (the missing access)',
  },
  [ErrorCode.LIMIT_EXCEEDED]: {
    httpStatus: 403,
    meaning: 'A transfer limit (利用限度額) would be exceeded; nothing was reserved.',
    fields: `\`limit\`: ${Object.values(LimitKind).join(', ')}; \`limitAmount\`; \`remaining\`; \`record\` (the line of a bulk transfer); \`initialPeriod\`: true when the limit is the contract’s initial-period cap`,
  },
  [ErrorCode.INSUFFICIENT_FUNDS]: { httpStatus: 403, meaning: 'The account balance is not enough; nothing moved.' },
  [ErrorCode.CONTRACT_STOPPED]: {
    httpStatus: 403,
    meaning: 'The contract is under an emergency stop (緊急停止); only the bank resumes it.',
  },
  [ErrorCode.ENROLLMENT_REJECTED]: { httpStatus: 403, meaning: 'The enrollment code, login ID or certificate request is not accepted.' },
  [ErrorCode.BAD_USER_INPUT]: {
    httpStatus: 400,
    meaning: 'The request is wrong as sent (input, query limits); nothing changed.',
    fields:
      '`field`, `limit` (a query limit), `validation`; for a bulk transfer `problems` (each `record`, `field`, `message`, `value`) and `truncated`',
  },
  [ErrorCode.RATE_LIMITED]: {
    httpStatus: 429,
    retryLater: true,
    meaning:
      'Too many attempts, or too many changes to the same records at once, for now; nothing was evaluated or done. Try again after `retryAfterSeconds` (HTTP `Retry-After`).',
    fields: '`retryAfterSeconds`',
  },
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: {
    httpStatus: 422,
    meaning:
      'The idempotency key was used in the last 24 hours for a different request (other input, operation or user); nothing was done. ' +
      'A new request needs a new key.',
    fields: '`field`: idempotencyKey',
  },
  [ErrorCode.INVALID_EXECUTION_DATE]: {
    httpStatus: 422,
    meaning:
      'The transfer date asked for (振込指定日) cannot be kept, so nothing was done: it is never moved to another day. ' +
      'Ask again for a date from `firstPossibleDate` to `lastPossibleDate` that is a bank business day.',
    fields:
      `\`reason\`: ${Object.values(ExecutionDateRefusal).join(', ')}; \`field\`; \`requestedDate\`; \`firstPossibleDate\`; \`lastPossibleDate\`; ` +
      "`record` (1, the header of a Zengin file); `deadline` (SUBMISSION_DEADLINE_PASSED: a salary transfer's submission deadline)",
  },
  [ErrorCode.NOT_FOUND]: {
    httpStatus: 404,
    meaning: 'No such path on this listener (GraphQL is at `/graphql`), or no such record among those you may see.',
    fields: '`field` (the id asked for)',
  },
  [ErrorCode.PASSKEY_REQUIRED]: {
    httpStatus: 403,
    meaning:
      'This approval or risky change takes 取引認証: a passkey assertion over the exact order or change (begin…Approval, then approve… ' +
      'with `passkeyAssertion`; for a new user, a raised limit, the IP allow-list or a payee: its begin… mutation). ' +
      'Nothing changed; register a passkey first if you have none.',
    fields: '`field`: passkeyAssertion; `requiredFrom` (the amount from which it is required, when the bank’s default applies)',
  },
  [ErrorCode.PASSKEY_VERIFICATION_FAILED]: {
    httpStatus: 403,
    meaning: 'The passkey assertion or registration was not accepted; nothing changed. Begin again for a new challenge.',
    fields: `\`reason\`: ${Object.values(PasskeyRefusal).join(', ')}`,
  },
  [ErrorCode.APPROVAL_BINDING_MISMATCH]: {
    httpStatus: 409,
    meaning:
      'The order as stored is no longer what was approved (payee, amount, date, account or lines): it is not executed. ' +
      'Seen as a FAILED order’s `failureCode`.',
  },
  [ErrorCode.SERVICE_UNAVAILABLE]: {
    httpStatus: 503,
    retryLater: true,
    meaning:
      'The database is unreachable, does not answer in time, is full, or its file is gone: the request was not completed. ' +
      'Try again after `retryAfterSeconds` (HTTP `Retry-After`), on this or another instance; a money operation again with the same idempotency key.',
    fields: '`retryAfterSeconds`',
  },
  [ErrorCode.INTERNAL]: { httpStatus: 500, meaning: 'An error on our side; the detail is only in the log. Safe to retry a read.' },
} satisfies Record<ErrorCode, CatalogueEntry>;

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
