import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { auditActorFor } from '../audit/audit-actor';
import { mustChangePassword } from '../auth/credential-status';
import type { Identity } from '../auth/identity.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { PeerCertificate, RequestContext, ResolverContainer } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../services';
import type { ClientCertificates } from './client-certificates';
import { requestRecordOf } from './request-record';

export const SESSION_COOKIE = 'cibg_session';

/** Steps 1 and 2 done: the request presented this bank certificate, and it belongs to this user. */
export interface IdentifiedRequest {
  readonly peer: PeerCertificate;
  readonly identity: Identity;
  readonly sourceAddress: string | null;
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

  /** Steps 1–2, for every request to the API listener (GraphQL, GraphiQL, the web app, downloads). */
  async identify(req: IncomingMessage): Promise<IdentifiedRequest> {
    const { peer, sourceAddress } = this.peerCertificate(req);
    const identity = await this.identity(req, peer, sourceAddress);
    return { peer, identity, sourceAddress };
  }

  /** Steps 3–4: the session, then the context an operation runs with. */
  async context(req: IncomingMessage, res: ServerResponse, identified: IdentifiedRequest, batch = false): Promise<RequestContext> {
    const httpRequest = requestRecordOf(req);
    httpRequest.batch = batch;
    const token = presentedToken(req);
    const { session, problem } = await this.services.sessions.resolve(identified, token);
    return Object.freeze({
      requestId: httpRequest.id,
      sourceAddress: identified.sourceAddress,
      userAgent: req.headers['user-agent'] ?? null,
      peer: identified.peer,
      identity: identified.identity,
      presentedToken: token,
      session,
      sessionProblem: problem,
      passwordChangeRequired: mustChangePassword(identified.identity.user, this.services.clock.now(), this.services.config.auth),
      cookies: cookieJar(res),
      container: this.container,
      loaders: createLoaders(this.services.db),
      httpRequest,
    });
  }

  /** Step 1: the certificate presented on the connection (or named by a trusted proxy), verified against the bank CA. */
  private peerCertificate(req: IncomingMessage): { peer: PeerCertificate; sourceAddress: string | null } {
    const { peer, sourceAddress } = this.clientCertificates.fromRequest(req);
    // Recorded before anything can refuse the request, so that the access log names the client even then.
    requestRecordOf(req).caller.sourceAddress = sourceAddress;
    if (!peer) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A valid client certificate from the bank is required.');
    return { peer, sourceAddress };
  }

  /** Step 2: the one user the exact certificate belongs to, read from the database on every request, and their client environment. */
  private async identity(req: IncomingMessage, peer: PeerCertificate, sourceAddress: string | null): Promise<Identity> {
    const identity = await this.services.identity.identify(peer.fingerprint);
    const actor = auditActorFor({ peer, sourceAddress }, identity.user);
    await this.services.clientEnvironment.check(identity, actor, req.headers['user-agent'] ?? null);
    Object.assign(requestRecordOf(req).caller, { peer, identity });
    return identity;
  }
}

function presentedToken(req: IncomingMessage): string | null {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim() || null;
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
    set: (token, expiresAt) => appendCookie(res, serializeCookie(SESSION_COOKIE, token, { ...COOKIE_OPTIONS, expires: expiresAt })),
    // Logging out also wipes what the browser kept for this origin (GraphiQL's or the SPA's
    // storage, cached responses): on a shared PC the next person finds nothing.
    clear: () => {
      appendCookie(res, serializeCookie(SESSION_COOKIE, '', { ...COOKIE_OPTIONS, expires: new Date(0) }));
      res.setHeader('clear-site-data', '"cache", "storage"');
    },
  };
}
