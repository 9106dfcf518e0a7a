import type http from 'node:http';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from './common/clock';
import type { GatewayConfig } from './config';
import { Database } from './db/database';
import { ensureDemoData, type DemoCredentialsFile } from './demo/demo-data';
import type { RequestContext, ResolverContainer } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { queryLimitPlugin, queryLimitRules } from './graphql/query-limits';
import { allResolvers, buildApiSchema, buildEnrollSchema } from './graphql/schema';
import { loadPkiMaterial } from './pki/pki-material';
import { createApiApp } from './server/api-app';
import { ClientCertificates } from './server/client-certificates';
import { createEnrollApp } from './server/enroll-app';
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

/** TLS 1.2 minimum; renegotiation refused (it could swap the certificate under a session). */
function tlsServer(options: https.ServerOptions, app: http.RequestListener): https.Server {
  const server = https.createServer({ minVersion: 'TLSv1.2', ...options }, app);
  server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  return server;
}

/** One gateway instance: both listeners, its database and its services. */
export class Gateway {
  private constructor(
    readonly services: Services,
    readonly apiServer: https.Server,
    readonly enrollServer: https.Server,
    readonly apiPort: number,
    readonly enrollPort: number,
    readonly demoCredentials: DemoCredentialsFile | null,
    private readonly apollos: ApolloServer<RequestContext>[],
  ) {}

  static async start(options: GatewayOptions): Promise<Gateway> {
    const { config } = options;
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? pino({ level: config.logLevel });
    const pki = loadPkiMaterial(config, clock);
    const db = await Database.open(config.database);
    const services = createServices(config, clock, logger, db, pki);
    const seedDemo = (options.seedDemo ?? true) && !config.production;
    const demoCredentials = seedDemo ? await ensureDemoData(services) : null;

    const apolloOptions = {
      formatError: createErrorFormatter(logger, !config.production),
      includeStacktraceInErrorResponses: false,
      parseOptions: { maxTokens: config.graphql.maxTokens },
      validationRules: queryLimitRules(config.graphql, logger),
      plugins: [ApolloServerPluginLandingPageDisabled(), queryLimitPlugin({ production: config.production })],
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
    const enrollApollo = new ApolloServer<RequestContext>({ ...apolloOptions, schema: await buildEnrollSchema(), introspection: !config.production });
    await Promise.all([apollo.start(), enrollApollo.start()]);
    const container = createContainer(services);

    const clientCertificates = new ClientCertificates(new X509Certificate(pki.caCertificatePem), clock, config.proxy);
    const apiServer = tlsServer(
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
      createApiApp(services, apollo, container, clientCertificates),
    );
    if (clientCertificates.proxyMode) {
      apiServer.on('secureConnection', (socket: TLSSocket) => {
        if (!clientCertificates.acceptsConnection(socket)) socket.destroy();
      });
    }
    const enrollServer = tlsServer({ key: pki.serverPrivateKeyPem, cert: pki.serverCertificatePem }, createEnrollApp(services, enrollApollo, container));
    const apiPort = await listen(apiServer, config.apiPort, config.listenHost);
    const enrollPort = await listen(enrollServer, config.enrollPort, config.listenHost);
    return new Gateway(services, apiServer, enrollServer, apiPort, enrollPort, demoCredentials, [apollo, enrollApollo]);
  }

  /** Graceful: stop accepting, let requests in flight finish, then close the database. */
  async stop(): Promise<void> {
    const closing = [this.apiServer, this.enrollServer].map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    const forceAfter = setTimeout(() => [this.apiServer, this.enrollServer].forEach((s) => s.closeAllConnections()), 5000);
    await Promise.all(closing);
    clearTimeout(forceAfter);
    await Promise.all(this.apollos.map((apollo) => apollo.stop()));
    await this.services.db.close();
  }
}
