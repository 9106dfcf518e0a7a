import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { GatewayConfig } from '../config';
import { ConnectionDrain } from './connection-drain';
import type { ListenerName, Observability } from './observability';
import { acceptProxyProtocol } from './proxy-protocol';

/** The TLS policy of both listeners, and how each is started. */

export function listen(server: https.Server, port: number, host: string): Promise<number> {
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

export interface TlsListener {
  server: https.Server;
  drain: ConnectionDrain;
}

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * TLS 1.2 minimum with strong suites only; renegotiation refused (it could swap the certificate
 * under a session). Behind a TCP balancer, its PROXY header is read before the handshake.
 */
export function tlsServer(
  name: ListenerName,
  options: https.ServerOptions,
  app: http.RequestListener,
  observability: Observability,
  proxy: GatewayConfig['proxy'],
): TlsListener {
  const server = https.createServer({ minVersion: 'TLSv1.2', ciphers: [...TLS13_SUITES, ...TLS12_CIPHERS].join(':'), ...options });
  if (proxy.proxyProtocolFrom.length) {
    acceptProxyProtocol(server, {
      from: proxy.proxyProtocolFrom,
      timeoutMs: proxy.proxyProtocolTimeoutMs,
      onRefused: (reason, address) => observability.proxyHeaderRefused(name, reason, address),
    });
  }
  // Longer than a balancer's idle time-out (HAProxy and nginx in docs/: 60 s), so that the balancer,
  // not the gateway, closes an idle connection: Node's 5 s default closes connections a balancer
  // (or a client whose request is already on the wire) is about to reuse, and that request fails.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
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
