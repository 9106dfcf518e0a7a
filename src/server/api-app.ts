import type { ApolloServer } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { RequestContext, ResolverContainer } from '../graphql/context';
import type { DirectGraphql } from '../graphql/direct';
import type { Services } from '../services';
import { downloadsRouter } from '../downloads/downloads.router';
import { OAUTH_PATH } from '../partners/authorization-server';
import { graphiqlRouter } from './graphiql';
import { executeGraphql, isPlainGraphqlPost, readJsonBody, refuseLongBatch, writeGraphqlAnswer } from './graphql-http';
import { httpErrorHandler, notFound, sendHttpError } from './http-errors';
import type { ClientCertificates } from './client-certificates';
import { RequestSteps } from './request-steps';
import type { SiteLinks } from './site-links';
import { loadWebBundle, webAppRouter, type WebBundle } from './web-app';

/**
 * The API listener's application: every request is identified by its client certificate
 * (checked against the database each time) before GraphQL sees it.
 */
export function createApiApp(
  services: Services,
  graphql: { apollo: ApolloServer<RequestContext>; direct: DirectGraphql<RequestContext> },
  container: ResolverContainer,
  clientCertificates: ClientCertificates,
  links: SiteLinks,
  webBundle: WebBundle = loadWebBundle('app'),
) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const steps = new RequestSteps(services, clientCertificates, container);
  // The certificate is checked against the database on every request, for GraphiQL as for GraphQL.
  const requireKnownCertificate: RequestHandler = (req, _res, next) => steps.identify(req).then(() => next(), next);
  const { maxBodyBytes, maxBatchSize } = services.config.graphql;
  const onUnexpected = (error: unknown) => services.logger.error({ err: error }, 'unexpected error in the HTTP layer');

  /**
   * In this order: the caller (before a byte of the body is read), the body, the batch size, then
   * GraphQL: a plain JSON body by the direct engine, any other form of request by Apollo.
   */
  const serveGraphql = async (req: IncomingMessage, res: ServerResponse, readBody: () => Promise<unknown>, direct: boolean) => {
    const caller = await steps.identify(req, res);
    const body = await readBody();
    if (refuseLongBatch(res, body, maxBatchSize)) return;
    if (caller.partner && Array.isArray(body) && body.length > 1) await steps.chargePartner(caller.partner, body.length - 1);
    const context = () => steps.context(req, res, caller, Array.isArray(body));
    if (direct) writeGraphqlAnswer(res, await graphql.direct.answer(body, context, req.headers.accept));
    else await executeGraphql(graphql.apollo, req, res, body, context);
  };

  // GET, other content types and compressed bodies: express's body parser reads them.
  const parseBody = express.json({ limit: maxBodyBytes });
  const bodyParsedByExpress = (req: express.Request, res: express.Response) => () =>
    new Promise<unknown>((resolve, reject) => parseBody(req, res, (error?: unknown) => (error ? reject(error) : resolve(req.body))));
  app.use('/graphql', (req, res, next) => serveGraphql(req, res, bodyParsedByExpress(req, res), false).catch(next));
  app.use('/graphiql', requireKnownCertificate, graphiqlRouter());
  // Partners' OAuth 2.0 (FAPI 2.0): the provider checks the partner's certificate itself (src/partners/).
  app.use(OAUTH_PATH, (req, res) => services.authorizationServer.handle(req, res));
  // Large results as files, with the session and access rules of /graphql.
  app.use(downloadsRouter(services, async (req, res) => steps.context(req, res, await steps.identify(req))));
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
   * POST /graphql with a JSON body — nearly every request — skips express and Apollo: the same
   * steps in the same order, at a fraction of the cost (npm run bench: express and its body parser
   * cost more than a third of a bare Apollo server's time, and Apollo's own pipeline about as much
   * as graphql-js executing the operation).
   */
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isPlainGraphqlPost(req)) return void app(req, res);
    serveGraphql(req, res, () => readJsonBody(req, maxBodyBytes), true).catch((error) => sendHttpError(res, error, onUnexpected));
  };
}
