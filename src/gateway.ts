import type https from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { ApolloServer } from '@apollo/server';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from './common/clock';
import type { GatewayConfig } from './config';
import { Database } from './db/database';
import { ensureDemoData, type DemoCredentialsFile } from './demo/demo-data';
import { createContainer, startGraphqlServers } from './graphql/apollo';
import type { RequestContext } from './graphql/context';
import { loadPkiMaterial } from './pki/pki-material';
import { createApiApp } from './server/api-app';
import { Observability } from './server/observability';
import { ClientCertificates } from './server/client-certificates';
import { listen, tlsServer, type TlsListener } from './server/tls-listener';
import { createEnrollApp } from './server/enroll-app';
import { SiteLinks } from './server/site-links';
import { createServices, type Services } from './services';

export interface GatewayOptions {
  config: GatewayConfig;
  clock?: Clock;
  logger?: Logger;
  /** Create the demo contract and identities (never in production). */
  seedDemo?: boolean;
}

/** One gateway instance: both listeners, its database and its services. */
export class Gateway {
  private stopping: Promise<{ cutOff: number }> | null = null;

  private constructor(
    readonly services: Services,
    private readonly api: TlsListener,
    private readonly enroll: TlsListener,
    readonly apiPort: number,
    readonly enrollPort: number,
    /** Null when metrics are off. */
    readonly metricsPort: number | null,
    readonly demoCredentials: DemoCredentialsFile | null,
    private readonly apollos: ApolloServer<RequestContext>[],
    readonly observability: Observability,
  ) {}

  get apiServer(): https.Server {
    return this.api.server;
  }

  get enrollServer(): https.Server {
    return this.enroll.server;
  }

  static async start(options: GatewayOptions): Promise<Gateway> {
    const { config } = options;
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? pino({ level: config.logLevel });
    const pki = loadPkiMaterial(config, clock);
    const db = await Database.open(config.database);
    const services = createServices(config, clock, logger, db, pki);
    // Chains written before the audit key existed are keyed from their next event on.
    await services.audit.sealUnsealedChains(db);
    const seedDemo = (options.seedDemo ?? true) && !config.production;
    const demoCredentials = seedDemo ? await ensureDemoData(services) : null;

    const { api: apollo, apiDirect, enroll: enrollApollo } = await startGraphqlServers(config, logger);
    const container = createContainer(services);

    const links = new SiteLinks(config.publicUrls);
    const clientCertificates = new ClientCertificates(new X509Certificate(pki.caCertificatePem), clock, config.proxy);
    const observability = new Observability(logger, db);
    const api = tlsServer(
      'api',
      {
        key: pki.serverPrivateKeyPem,
        cert: pki.serverCertificatePem,
        // Exactly the bank CA: left unset, Node would trust the public roots.
        ca: [pki.caCertificatePem],
        requestCert: true,
        // In trusted-proxy mode the proxy connects without a certificate; every other
        // connection without a valid one is closed right after the handshake (below).
        rejectUnauthorized: !clientCertificates.proxyMode,
      },
      createApiApp(services, { apollo, direct: apiDirect }, container, clientCertificates, links),
      observability,
      config.proxy,
    );
    if (clientCertificates.proxyMode) {
      api.server.on('secureConnection', (socket: TLSSocket) => {
        if (!clientCertificates.acceptsConnection(socket)) socket.destroy();
      });
    }
    const enroll = tlsServer(
      'enroll',
      { key: pki.serverPrivateKeyPem, cert: pki.serverCertificatePem },
      createEnrollApp(services, enrollApollo, container, links),
      observability,
      config.proxy,
    );
    const apiPort = await listen(api.server, config.apiPort, config.listenHost);
    const enrollPort = await listen(enroll.server, config.enrollPort, config.listenHost);
    links.listening(apiPort, enrollPort);
    services.authorizationServer.start(config.publicUrls.api ?? `https://localhost:${apiPort}`);
    services.relyingParty.listening(apiPort);
    const metricsPort = config.metrics ? await observability.listen(config.metrics.port, config.metrics.host) : null;
    services.scheduler.start();
    services.noticeSender.start();
    return new Gateway(services, api, enroll, apiPort, enrollPort, metricsPort, demoCredentials, [apollo, enrollApollo], observability);
  }

  /**
   * Graceful: stop accepting on both listeners, let the requests in flight finish, then stop
   * GraphQL and close the database. Requests still unanswered after `graceMs` are cut off and
   * counted. Calling it again returns the same shutdown.
   */
  stop(graceMs = this.services.config.shutdownGraceSeconds * 1000): Promise<{ cutOff: number }> {
    this.stopping ??= this.shutdown(graceMs);
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<{ cutOff: number }> {
    // No new scheduled run from here; one in progress finishes before the database closes.
    const schedulerStopped = this.services.scheduler.stop();
    const noticesStopped = this.services.noticeSender.stop();
    const listeners = [this.api, this.enroll];
    const drained = Promise.all(listeners.map((listener) => listener.drain.drain(graceMs)));
    const inFlight = listeners.reduce((sum, listener) => sum + listener.drain.inFlight, 0);
    this.services.logger.info(
      { inFlight, graceSeconds: graceMs / 1000 },
      'stopped accepting connections; finishing the requests in flight',
    );
    const cutOff = (await drained).reduce((sum, result) => sum + result.cutOff, 0);
    // Only now: every request has had its answer (or was cut off), so nothing needs GraphQL or the database.
    await Promise.all(this.apollos.map((apollo) => apollo.stop()));
    await schedulerStopped;
    await noticesStopped;
    await this.services.passwords.close();
    await this.observability.close();
    await this.services.db.close();
    return { cutOff };
  }
}
