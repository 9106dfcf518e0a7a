import type { Identity } from '../auth/identity.service';
import type { Session } from '../auth/session.entity';
import type { DomainError } from '../common/domain-error';
import type { Database } from '../db/database';
import type { PartnerCaller } from '../partners/partner-caller';
import { createLoaders, type Loaders } from './loaders';

/** The certificate presented on this TLS connection (computed once per socket). */
export interface PeerCertificate {
  fingerprint: string;
  serialNumber: string;
  issuer: string;
}

/** One HTTP request, as its budgets, the access log and the metrics see it. */
export interface HttpRequestRecord {
  /** Also the response's x-request-id and the access log's requestId. */
  id: string;
  /** Password-checking operations run so far (at most one per request). */
  passwordChecks: number;
  /** The query cost of the operations admitted so far (at most MAX_QUERY_COST per request). */
  cost: number;
  /** An array batch: its one HTTP status is shared by all its operations. */
  batch: boolean;
  /** Root fields asked for (from the schema). */
  operations: string[];
  /** The code of every error answered. */
  outcomes: string[];
  /** Who the request was judged to come from, as far as it got (the access log names the caller even when refused). */
  caller: { sourceAddress?: string | null; peer?: PeerCertificate; identity?: Identity; partner?: string };
}

/** Sets or clears the session cookie; the server layer implements it, services never see `res`. */
export interface SessionCookieJar {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** Resolves resolver classes to this gateway's instances (type-graphql's container). */
export interface ResolverContainer {
  get(resolverClass: Function): unknown;
}

/**
 * Everything a service may know about the request, passed first to every service method.
 * Built once by the server layer (src/server/request-steps.ts), complete and frozen: domain code
 * never touches `req` or Apollo, and nothing patches a context after it is made.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly sourceAddress: string | null;
  readonly userAgent: string | null;
  /** Null only on the enrollment listener, where no client certificate is presented. */
  readonly peer: PeerCertificate | null;
  readonly identity: Identity | null;
  /** The bearer token or cookie sent with the request, if any (validated by the session service). */
  readonly presentedToken: string | null;
  /** The PIN session the presented token gives on this certificate, if any. */
  readonly session: Session | null;
  /** Why the presented token gave no session (expired, other certificate, ...). */
  readonly sessionProblem: DomainError | null;
  /**
   * A partner (連携先) calling with its bearer token on behalf of `identity`'s user, within their
   * consent: no PIN session then, and only the operations and permissions the consent gives
   * (graphql/access.ts). Null for a person's own request.
   */
  readonly partner: PartnerCaller | null;
  /** A temporary password, or an expired one under `enforce`: only a password change is allowed. */
  readonly passwordChangeRequired: boolean;
  readonly cookies: SessionCookieJar;
  readonly container: ResolverContainer;
  /** Per-request batching of relations (transfer → maker, approver, account). */
  readonly loaders: Loaders;
  /**
   * The HTTP request this operation came in: shared by the operations of an array batch (Apollo
   * gives each operation a shallow copy of the context, so this object is the same one).
   */
  readonly httpRequest: HttpRequestRecord;
}

/** A request without a client certificate: the enrollment listener, or work started on the server itself. */
export function contextWithoutCertificate(
  fields: Pick<RequestContext, 'requestId' | 'sourceAddress' | 'userAgent' | 'container' | 'loaders'> & {
    httpRequest?: HttpRequestRecord;
  },
): RequestContext {
  return Object.freeze({
    httpRequest: { id: fields.requestId, passwordChecks: 0, cost: 0, batch: false, operations: [], outcomes: [], caller: {} },
    ...fields,
    peer: null,
    identity: null,
    presentedToken: null,
    session: null,
    sessionProblem: null,
    partner: null,
    passwordChangeRequired: false,
    cookies: { set: () => undefined, clear: () => undefined },
  });
}

/** For work started on the server itself (the operator bootstrap command), audited as such. */
export function systemContext(origin: string, db: Database): RequestContext {
  return contextWithoutCertificate({
    requestId: `system:${origin}`,
    sourceAddress: origin,
    userAgent: null,
    container: { get: () => undefined },
    loaders: createLoaders(db),
  });
}
