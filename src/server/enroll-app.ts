import crypto from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { contextWithoutCertificate, type RequestContext, type ResolverContainer } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../services';
import { httpErrorHandler, notFound } from './http-errors';
import type { SiteLinks } from './site-links';
import { loadWebBundle, webAppRouter, type WebBundle } from './web-app';

/**
 * The enrollment listener (server-authenticated TLS only): what a PC without a certificate may
 * reach — certificate acquisition (the page at / and GraphQL), the bank CA certificate, the CRL and health.
 */
export function createEnrollApp(
  services: Services,
  apollo: ApolloServer<RequestContext>,
  container: ResolverContainer,
  links: SiteLinks,
  webBundle: WebBundle = loadWebBundle('enroll'),
) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    try {
      await services.db.manager.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.get('/ca.pem', (_req, res) => {
    res.type('application/x-pem-file').send(services.pki.caCertificatePem);
  });
  app.get('/crl', async (_req, res, next) => {
    try {
      res
        .type('application/pkix-crl')
        .set('cache-control', 'no-cache')
        .send(await services.certificates.currentCrl());
    } catch (error) {
      next(error);
    }
  });
  app.use('/graphql', express.json({ limit: '64kb' }));
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> =>
        contextWithoutCertificate({
          requestId: crypto.randomUUID(),
          sourceAddress: req.socket.remoteAddress ?? null,
          userAgent: req.headers['user-agent'] ?? null,
          container,
          loaders: createLoaders(services.db),
        }),
    }),
  );
  // 電子証明書取得 at /: a PC without a certificate gets its first one here, in the browser.
  if (webBundle.index === null) services.logger.warn({ folder: webBundle.folder }, 'the enrollment page is not built (npm run build)');
  app.use(webAppRouter(webBundle, { meta: { 'cibg-api-url': (req) => links.apiUrl(req) } }));
  app.use(notFound);
  app.use(httpErrorHandler((error) => services.logger.error({ err: error }, 'unexpected error in the HTTP layer')));
  return app;
}
