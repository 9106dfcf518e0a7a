import type { ApolloServer } from '@apollo/server';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import { mustChangePassword } from '../auth/credential-status';
import { DomainError, ErrorCode } from '../common/domain-error';
import { type RequestContext, type ResolverContainer } from '../graphql/context';
import { auditActorFor } from '../audit/audit-actor';
import { asServiceUnavailable } from '../db/database';
import { wholeRequestRefusal } from '../graphql/errors';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../services';
import { graphiqlRouter } from './graphiql';
import { executeGraphql, isPlainGraphqlPost, readJsonBody, refuseLongBatch } from './graphql-http';
import { httpErrorHandler, notFound, sendHttpError } from './http-errors';
import type { ClientCertificates } from './client-certificates';
import { requestRecordOf, responseLocals } from './observability';
import type { SiteLinks } from './site-links';
import { loadWebBundle, webAppRouter, type WebBundle } from './web-app';

export const SESSION_COOKIE = 'cibg_session';

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

/**
 * The API listener's application: every request is identified by its client certificate
 * (checked against the database each time) before GraphQL sees it.
 */
export function createApiApp(
  services: Services,
  apollo: ApolloServer<RequestContext>,
  container: ResolverContainer,
  clientCertificates: ClientCertificates,
  links: SiteLinks,
  webBundle: WebBundle = loadWebBundle('app'),
) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // The certificate is checked against the database on every request, for GraphiQL as for GraphQL.
  const identifyCaller = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const locals = responseLocals(res);
    const { peer, sourceAddress } = clientCertificates.fromRequest(req);
    // Set before anything can refuse the request, so that the access log names the client even then.
    locals.sourceAddress = sourceAddress;
    if (!peer) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A valid client certificate from the bank is required.');
    const identity = await services.identity.identify(peer.fingerprint);
    const actor = auditActorFor({ peer, sourceAddress }, identity.user);
    await services.clientEnvironment.check(identity, actor, req.headers['user-agent'] ?? null);
    locals.peer = peer;
    locals.identity = identity;
  };
  const requireKnownCertificate: RequestHandler = (req, res, next) => identifyCaller(req, res).then(() => next(), next);

  const contextOf = (req: IncomingMessage, res: ServerResponse, body: unknown) => async (): Promise<RequestContext> => {
    const { identity, peer, sourceAddress } = responseLocals(res) as Required<ReturnType<typeof responseLocals>>;
    const httpRequest = requestRecordOf(req);
    httpRequest.batch = Array.isArray(body);
    const ctx: RequestContext = {
      requestId: httpRequest.id,
      sourceAddress,
      userAgent: req.headers['user-agent'] ?? null,
      peer,
      identity,
      presentedToken: presentedToken(req),
      session: null,
      sessionProblem: null,
      passwordChangeRequired: mustChangePassword(identity.user, services.clock.now(), services.config.auth),
      cookies: cookieJar(res),
      container,
      loaders: createLoaders(services.db),
      httpRequest,
    };
    const { session, problem } = await services.sessions.resolve(ctx).catch((error: unknown) => {
      // Apollo would answer a failed context 500; a database that cannot serve now is a 503 like anywhere else.
      const unavailable = asServiceUnavailable(error);
      throw unavailable ? wholeRequestRefusal(unavailable) : error;
    });
    ctx.session = session;
    ctx.sessionProblem = problem;
    return ctx;
  };
  const { maxBodyBytes, maxBatchSize } = services.config.graphql;
  const onUnexpected = (error: unknown) => services.logger.error({ err: error }, 'unexpected error in the HTTP layer');

  // GET, other content types and compressed bodies: express's body parser reads them.
  app.use('/graphql', requireKnownCertificate, express.json({ limit: maxBodyBytes }), (req, res, next) => {
    if (refuseLongBatch(res, req.body, maxBatchSize)) return;
    executeGraphql(apollo, req, res, req.body, contextOf(req, res, req.body)).catch(next);
  });
  app.use('/graphiql', requireKnownCertificate, graphiqlRouter());
  // The customer web app at /: the page and its files need a known certificate too.
  if (webBundle.index === null)
    services.logger.warn({ folder: webBundle.folder }, 'the web app is not built (npm run build); / answers 503');
  app.use(
    webAppRouter(webBundle, {
      gate: requireKnownCertificate,
      meta: { 'cibg-enroll-url': (req) => links.enrollUrl(req) },
      enrollUrl: (req) => links.enrollUrl(req),
    }),
  );
  app.use(notFound);
  app.use(httpErrorHandler(onUnexpected));

  /**
   * POST /graphql with a JSON body — nearly every request — skips express: the same steps in the
   * same order (certificate, body, batch size, Apollo), at a fraction of the cost (npm run bench:
   * express and its body parser cost more than a third of a bare Apollo server's time).
   */
  const serveGraphqlPost = async (req: IncomingMessage, res: ServerResponse) => {
    await identifyCaller(req, res);
    const body = await readJsonBody(req, maxBodyBytes);
    if (refuseLongBatch(res, body, maxBatchSize)) return;
    await executeGraphql(apollo, req, res, body, contextOf(req, res, body));
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isPlainGraphqlPost(req)) return void app(req, res);
    serveGraphqlPost(req, res).catch((error) => sendHttpError(res, error, onUnexpected));
  };
}
