import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { parse as parseCookies } from 'cookie';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { mustChangePassword } from '../auth/credential-status';
import type { Identity } from '../auth/identity.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import { type RequestContext, type ResolverContainer } from '../graphql/context';
import { auditActorFor } from '../audit/audit-actor';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../services';
import { graphiqlRouter } from './graphiql';
import { httpErrorHandler, notFound, sendDomainError } from './http-errors';
import type { ClientCertificates } from './client-certificates';
import { requestRecordOf } from './observability';
import type { SiteLinks } from './site-links';
import { loadWebBundle, webAppRouter, type WebBundle } from './web-app';

export const SESSION_COOKIE = 'cibg_session';

function presentedToken(req: Request): string | null {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim() || null;
  const cookieHeader = req.headers.cookie;
  return cookieHeader ? (parseCookies(cookieHeader)[SESSION_COOKIE] ?? null) : null;
}

function cookieJar(res: Response): RequestContext['cookies'] {
  return {
    set: (token, expiresAt) =>
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: expiresAt }),
    // Logging out also wipes what the browser kept for this origin (GraphiQL's or the SPA's
    // storage, cached responses): on a shared PC the next person finds nothing.
    clear: () => {
      res.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
      res.set('clear-site-data', '"cache", "storage"');
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
  const requireKnownCertificate: RequestHandler = async (req, res, next) => {
    const { peer, sourceAddress } = clientCertificates.fromRequest(req);
    // Set before anything can refuse the request, so that the access log names the client even then.
    res.locals.sourceAddress = sourceAddress;
    if (!peer)
      return sendDomainError(res, new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A valid client certificate from the bank is required.'));
    try {
      const identity = await services.identity.identify(peer.fingerprint);
      const actor = auditActorFor({ peer, sourceAddress }, identity.user);
      await services.clientEnvironment.check(identity, actor, req.headers['user-agent'] ?? null);
      res.locals.peer = peer;
      res.locals.identity = identity;
      next();
    } catch (error) {
      next(error);
    }
  };

  app.use('/graphql', requireKnownCertificate);
  app.use('/graphql', express.json({ limit: services.config.graphql.maxBodyBytes }));
  app.use('/graphql', (req, res, next) => {
    const max = services.config.graphql.maxBatchSize;
    if (Array.isArray(req.body) && req.body.length > max) {
      return sendDomainError(res, new DomainError(ErrorCode.BAD_USER_INPUT, `At most ${max} operations may be sent in one batch.`));
    }
    next();
  });
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<RequestContext> => {
        const identity: Identity = res.locals.identity;
        const httpRequest = requestRecordOf(req);
        httpRequest.batch = Array.isArray(req.body);
        const ctx: RequestContext = {
          requestId: httpRequest.id,
          sourceAddress: res.locals.sourceAddress,
          userAgent: req.headers['user-agent'] ?? null,
          peer: res.locals.peer,
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
        const { session, problem } = await services.sessions.resolve(ctx);
        ctx.session = session;
        ctx.sessionProblem = problem;
        return ctx;
      },
    }),
  );
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
  app.use(httpErrorHandler((error) => services.logger.error({ err: error }, 'unexpected error in the HTTP layer')));
  return app;
}
