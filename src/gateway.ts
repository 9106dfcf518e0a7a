import type http from 'node:http';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from './common/clock';
import type { GatewayConfig } from './config';
import { Database } from './db/database';
import { ensureDemoData, type DemoCredentialsFile } from './demo/demo-data';
import type { RequestContext, ResolverContainer } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { noStorePlugin, retryAfterPlugin } from './graphql/http-status';
import { observabilityPlugin } from './graphql/observability-plugin';
import { queryLimitPlugin, queryLimitRules } from './graphql/query-limits';
import { allResolvers, buildApiSchema, buildEnrollSchema } from './graphql/schema';
import { loadPkiMaterial } from './pki/pki-material';
import { createApiApp } from './server/api-app';
import { Observability, type ListenerName } from './server/observability';
import { ClientCertificates } from './server/client-certificates';
import { ConnectionDrain } from './server/connection-drain';
import { acceptProxyProtocol } from './server/proxy-protocol';
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

function createContainer(services: Services): ResolverContainer {
  const instances = new Map<Function, unknown>(
    allResolvers.map((resolverClass) => [resolverClass, new (resolverClass as new (s: Services) => unknown)(services)]),
  );
  return {
    get(resolverClass) {
      const instance = instances.get(resolverClass);
      if (!instance) throw new Error(`No instance for resolver ${resolverClass.name}`);
      return instance;
    },
  };
}

function listen(server: https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * TLS 1.2 only with forward secrecy and AEAD (Mozilla "intermediate" without DHE): no static-RSA
 * key exchange, no CBC. TLS 1.3 keeps Node's suites, which are all AEAD with ECDHE.
 */
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];
const TLS13_SUITES = tls.DEFAULT_CIPHERS.split(':').filter((suite) => suite.startsWith('TLS_'));

/** Browsers must never try this origin over plain HTTP (two years, as the preload list asks). */
const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

interface Listener {
  server: https.Server;
  drain: ConnectionDrain;
}

/**
 * TLS 1.2 minimum with strong suites only; renegotiation refused (it could swap the certificate
 * under a session). Behind a TCP balancer, its PROXY header is read before the handshake.
 */
function tlsServer(
  name: ListenerName,
  options: https.ServerOptions,
  app: http.RequestListener,
  observability: Observability,
  proxy: GatewayConfig['proxy'],
): Listener {
  const server = https.createServer({ minVersion: 'TLSv1.2', ciphers: [...TLS13_SUITES, ...TLS12_CIPHERS].join(':'), ...options });
  if (proxy.proxyProtocolFrom.length) {
    acceptProxyProtocol(server, {
      from: proxy.proxyProtocolFrom,
      timeoutMs: proxy.proxyProtocolTimeoutMs,
      onRefused: (reason, address) => observability.proxyHeaderRefused(name, reason, address),
    });
  }
  const drain = new ConnectionDrain(server);
  // Set here rather than in each app, so that no response of either listener goes without it.
  const withHsts: http.RequestListener = (req, res) => {
    res.setHeader('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    app(req, res);
  };
  server.on('request', drain.handler(observability.handler(name, withHsts)));
  observability.watchHandshakes(name, server);
  server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  return { server, drain };
}

/** One gateway instance: both listeners, its database and its services. */
export class Gateway {
  private stopping: Promise<{ cutOff: number }> | null = null;

  private constructor(
    readonly services: Services,
    private readonly api: Listener,
    private readonly enroll: Listener,
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

    const apolloOptions = {
      formatError: createErrorFormatter(logger, !config.production),
      includeStacktraceInErrorResponses: false,
      parseOptions: { maxTokens: config.graphql.maxTokens },
      validationRules: queryLimitRules(config.graphql, logger),
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginCacheControlDisabled(),
        noStorePlugin(),
        queryLimitPlugin({ production: config.production }),
        retryAfterPlugin(),
        observabilityPlugin(),
      ],
      // The gateway owns shutdown (main.ts): Apollo's own handler would stop GraphQL under requests in flight.
      stopOnTerminationSignals: false,
      // No client of ours sends automatic persisted queries (the web app, GraphiQL and the examples
      // send the query text): refused alike on both listeners, before any hash is looked at.
      persistedQueries: false as const,
    };
    // Partners may send array batches on the API listener; the API app caps their size.
    // Introspection: GraphiQL needs it; in production the plugin shows it to administrators and operators only.
    const apollo = new ApolloServer<RequestContext>({
      ...apolloOptions,
      schema: await buildApiSchema(),
      introspection: true,
      allowBatchedHttpRequests: true,
    });
    // Nobody on the enrollment listener needs the schema in production.
    const enrollApollo = new ApolloServer<RequestContext>({
      ...apolloOptions,
      schema: await buildEnrollSchema(),
      introspection: !config.production,
    });
    await Promise.all([apollo.start(), enrollApollo.start()]);
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
      createApiApp(services, apollo, container, clientCertificates, links),
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
    const metricsPort = config.metrics ? await observability.listen(config.metrics.port, config.metrics.host) : null;
    services.scheduler.start();
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
    await this.services.passwords.close();
    await this.observability.close();
    await this.services.db.close();
    return { cutOff };
  }
}
