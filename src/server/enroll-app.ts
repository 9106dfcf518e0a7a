import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { contextWithoutCertificate, type RequestContext, type ResolverContainer } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../services';
import { httpErrorHandler, notFound } from './http-errors';
import { requestRecordOf } from './request-record';
import { clientAddressOf } from './proxy-protocol';
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
  // Liveness: the process answers. A balancer restarts what fails it.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: the database answers (within its timeout) and its schema is current. A balancer
  // sends no traffic to an instance that fails it, and takes it back once it passes again.
  app.get('/readyz', async (_req, res) => {
    const ready = async () => {
      await services.db.manager.query('SELECT 1');
      return !(await services.db.dataSource.showMigrations());
    };
    // The probe itself never hangs: a database that does not answer in time is not ready.
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), services.config.database.queryTimeoutMs).unref());
    const answered = await Promise.race([ready(), timeout]).catch(() => false);
    res.status(answered ? 200 : 503).json({ status: answered ? 'ready' : 'unavailable' });
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
          requestId: requestRecordOf(req).id,
          httpRequest: requestRecordOf(req),
          sourceAddress: clientAddressOf(req.socket),
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
