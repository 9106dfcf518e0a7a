import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { auditActorFor } from '../audit/audit-actor';
import { mustChangePassword } from '../auth/credential-status';
import type { Identity } from '../auth/identity.service';
import type { Session } from '../auth/session.entity';
import { hashToken } from '../auth/session.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { PeerCertificate, RequestContext, ResolverContainer } from '../graphql/context';
import type { PartnerCaller } from '../partners/partner-caller';
import { asServiceUnavailable } from '../db/database';
import { wholeRequestRefusal } from '../graphql/errors';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../services';
import type { ClientCertificates } from './client-certificates';
import { requestRecordOf } from './request-record';
import { extend } from '../common/extend';

export const SESSION_COOKIE = 'cibg_session';

type SessionFields = Pick<RequestContext, 'presentedToken' | 'session' | 'sessionProblem' | 'passwordChangeRequired'>;
const NO_SESSION: SessionFields = { presentedToken: null, session: null, sessionProblem: null, passwordChangeRequired: false };

/**
 * Steps 1 and 2 done: the request presented this bank certificate, and it belongs to this user;
 * or (on /graphql only) it is a partner's, whose bearer token speaks for this user.
 */
export interface IdentifiedRequest {
  readonly peer: PeerCertificate;
  readonly identity: Identity;
  readonly sourceAddress: string | null;
  readonly partner: PartnerCaller | null;
  /** The PIN session token the request presented (a partner's bearer token is not one: null). */
  readonly presentedToken: string | null;
  /** The session row of that token, read in the identity's statement (null: none). */
  readonly presentedSession: Session | null;
}

/**
 * How the API listener learns who is calling, one named step after another (like an OpenID
 * provider's authorization steps): the peer certificate → the identity it maps to → the session
 * the presented token gives on it → the request context, built once, complete and frozen. Each
 * step either passes its result on or refuses with a coded error; the access log learns each
 * result from the request's record as the steps go (src/server/request-record.ts).
 */
export class RequestSteps {
  constructor(
    private readonly services: Services,
    private readonly clientCertificates: ClientCertificates,
    private readonly container: ResolverContainer,
  ) {}

  /**
   * Steps 1–2, for every request to the API listener (GraphQL, GraphiQL, the web app, downloads).
   * Given the response (/graphql), a certificate of the bank CA that belongs to no user may be a
   * partner's, calling with its bearer token (src/partners/).
   */
  async identify(req: IncomingMessage, graphqlResponse?: ServerResponse): Promise<IdentifiedRequest> {
    const { peer, sourceAddress } = this.peerCertificate(req);
    const sessionToken = presentedToken(req);
    const registered = await this.services.identity.identifyIfRegistered(peer.fingerprint, sessionToken && hashToken(sessionToken));
    const token = graphqlResponse && !registered ? bearerToken(req) : null;
    if (token) return this.partner(req, graphqlResponse!, peer, sourceAddress, token);
    if (!registered) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'This certificate is not registered with the bank.');
    const { identity, presentedSession } = registered;
    await this.clientEnvironment(req, peer, sourceAddress, identity);
    return { peer, identity, sourceAddress, partner: null, presentedToken: sessionToken, presentedSession };
  }

  /** Steps 3–4: the session, then the context an operation runs with. */
  async context(req: IncomingMessage, res: ServerResponse, identified: IdentifiedRequest, batch = false): Promise<RequestContext> {
    const httpRequest = requestRecordOf(req);
    httpRequest.batch = batch;
    // A partner has no PIN session: its token is not one, and the person's own session is not touched.
    const session = identified.partner ? NO_SESSION : await this.session(identified);
    return Object.freeze({
      requestId: httpRequest.id,
      sourceAddress: identified.sourceAddress,
      userAgent: req.headers['user-agent'] ?? null,
      peer: identified.peer,
      identity: identified.identity,
      ...session,
      partner: identified.partner,
      cookies: cookieJar(res),
      container: this.container,
      loaders: createLoaders(this.services.db),
      httpRequest,
    });
  }

  /** Step 3: the PIN session the presented token gives on this certificate, if any, and what it allows. */
  private async session(identified: IdentifiedRequest): Promise<SessionFields> {
    const token = identified.presentedToken;
    const { session, problem } = await this.services.sessions
      .resolve(identified, token, identified.presentedSession)
      .catch((error: unknown) => {
        // Apollo would answer a failed context 500; a database that cannot serve now is a 503 like anywhere else.
        const unavailable = asServiceUnavailable(error);
        throw unavailable ? wholeRequestRefusal(unavailable) : error;
      });
    return {
      presentedToken: token,
      session,
      sessionProblem: problem,
      passwordChangeRequired: mustChangePassword(identified.identity.user, this.services.clock.now(), this.services.config.auth),
    };
  }

  /** Step 1: the certificate presented on the connection (or named by a trusted proxy), verified against the bank CA. */
  private peerCertificate(req: IncomingMessage): { peer: PeerCertificate; sourceAddress: string | null } {
    const { peer, sourceAddress } = this.clientCertificates.fromRequest(req);
    // Recorded before anything can refuse the request, so that the access log names the client even then.
    requestRecordOf(req).caller.sourceAddress = sourceAddress;
    if (!peer) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A valid client certificate from the bank is required.');
    return { peer, sourceAddress };
  }

  /** Step 2: the one user the exact certificate belongs to (read from the database on every request): their client environment. */
  private async clientEnvironment(req: IncomingMessage, peer: PeerCertificate, sourceAddress: string | null, identity: Identity) {
    const actor = auditActorFor({ peer, sourceAddress }, identity.user);
    await this.services.clientEnvironment.check(identity, actor, req.headers['user-agent'] ?? null);
    Object.assign(requestRecordOf(req).caller, { peer, identity });
  }

  /**
   * Step 2 for a partner: its token, bound to this very certificate, names the consent and the
   * person it acts for (checked as that person's own request would be), within the partner's
   * rate limit. A refused token is answered as RFC 6750 says, with a Bearer challenge.
   */
  private async partner(
    req: IncomingMessage,
    res: ServerResponse,
    peer: PeerCertificate,
    sourceAddress: string | null,
    token: string,
  ): Promise<IdentifiedRequest> {
    const { caller, identity } = await this.services.partnerTokens.verify(token, peer).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED)
        res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      throw error;
    });
    Object.assign(requestRecordOf(req).caller, { peer, identity, partner: caller.partner.clientId });
    await this.chargePartner(caller, 1);
    return { peer, identity, sourceAddress, partner: caller, presentedToken: null, presentedSession: null };
  }

  /**
   * PARTNER_REQUESTS_PER_MINUTE counts operations: one for the request (before its body is read),
   * and each further operation of an array batch once it is.
   */
  async chargePartner(caller: PartnerCaller, operations: number): Promise<void> {
    const { requestsPerMinute } = this.services.config.partners;
    for (let taken = 0; taken < operations; taken++) {
      await this.services.rateLimiter.take(
        `partner:${caller.partner.id}`,
        60_000,
        requestsPerMinute,
        (seconds) => `This partner may send ${requestsPerMinute} operations a minute; try again in ${seconds} s.`,
      );
    }
  }
}

function bearerToken(req: IncomingMessage): string | null {
  const authorization = req.headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() || null : null;
}

function presentedToken(req: IncomingMessage): string | null {
  const bearer = bearerToken(req);
  if (bearer) return bearer;
  const cookieHeader = req.headers.cookie;
  return cookieHeader ? (parseCookies(cookieHeader)[SESSION_COOKIE] ?? null) : null;
}

function appendCookie(res: ServerResponse, cookie: string): void {
  const previous = res.getHeader('set-cookie');
  res.setHeader('set-cookie', [...(Array.isArray(previous) ? previous : previous ? [String(previous)] : []), cookie]);
}

const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

function cookieJar(res: ServerResponse): RequestContext['cookies'] {
  return {
    set: (token, expiresAt) => appendCookie(res, serializeCookie(SESSION_COOKIE, token, extend(COOKIE_OPTIONS, { expires: expiresAt }))),
    // Logging out also wipes what the browser kept for this origin (GraphiQL's or the SPA's
    // storage, cached responses): on a shared PC the next person finds nothing.
    clear: () => {
      appendCookie(res, serializeCookie(SESSION_COOKIE, '', extend(COOKIE_OPTIONS, { expires: new Date(0) })));
      res.setHeader('clear-site-data', '"cache", "storage"');
    },
  };
}
