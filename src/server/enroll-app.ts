import express from 'express';
import type { Services } from '../services';
import { httpErrorHandler, notFound } from './http-errors';

/**
 * The enrollment listener (server-authenticated TLS only): what a PC without a certificate may
 * reach — health and the bank CA's public certificate (certificate acquisition comes here too).
 */
export function createEnrollApp(services: Services) {
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
  app.use(notFound);
  app.use(httpErrorHandler((error) => services.logger.error({ err: error }, 'unexpected error in the HTTP layer')));
  return app;
}
