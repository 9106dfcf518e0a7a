import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Clock } from '../common/clock';
import { addressInRanges, parseRanges, type IpRange } from '../common/ip-ranges';
import type { GatewayConfig } from '../config';
import type { PeerCertificate } from '../graphql/context';
import { fingerprintOfDer } from '../pki/certificate-authority';
import { forwardedCertificate } from './forwarded-certificate';
import { peerCertificateOf } from './peer-certificate';
import { clientAddressOf } from './proxy-protocol';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const HEADER_CACHE_LIMIT = 10_000;

interface VerifiedHeader {
  peer: PeerCertificate;
  validFrom: number;
  validTo: number;
}

/**
 * Where a request's client certificate comes from. Normally from the TLS connection itself
 * (mTLS end to end). In trusted-proxy mode (R16: a bank-side load balancer terminates TLS), a
 * connection from a configured proxy address may instead pass the certificate in a header (in
 * the configured format, src/server/forwarded-certificate.ts); the gateway then verifies it
 * against the bank CA itself — signature, validity, clientAuth — and never trusts that header
 * from anyone else. Whether a connection comes from a trusted proxy is decided on its real TCP peer:
 * the address a PROXY protocol header names (src/server/proxy-protocol.ts) is the client's as a
 * balancer reports it, good for logs and allow-lists, never for trust — a balancer's connection
 * carries its client's bytes, and the two kinds of address are kept apart by the configuration.
 */
export class ClientCertificates {
  private readonly proxies: IpRange[];
  private readonly verifiedHeaders = new Map<string, VerifiedHeader>();

  constructor(
    private readonly ca: X509Certificate,
    private readonly clock: Clock,
    private readonly proxy: GatewayConfig['proxy'],
  ) {
    this.proxies = parseRanges(proxy.trustedProxies);
  }

  get proxyMode(): boolean {
    return this.proxies.length > 0;
  }

  /** Whether the connection's real TCP peer is a trusted TLS-terminating proxy. */
  private fromTrustedProxy(socket: Socket): boolean {
    return addressInRanges(socket.remoteAddress, this.proxies);
  }

  /**
   * In proxy mode the handshake cannot demand a certificate (the proxy has none), so a
   * connection without a valid one is closed at once unless it comes from a trusted proxy.
   */
  acceptsConnection(socket: TLSSocket): boolean {
    return socket.authorized || this.fromTrustedProxy(socket);
  }

  /** The certificate and the client's address for this request, or a reason for refusing it. */
  fromRequest(req: IncomingMessage): { peer: PeerCertificate | null; sourceAddress: string | null } {
    const socket = req.socket as TLSSocket;
    // Behind a TCP balancer, the client's address as the balancer's PROXY header named it.
    const connectedFrom = clientAddressOf(socket);
    if (socket.authorized) return { peer: peerCertificateOf(socket), sourceAddress: connectedFrom };
    if (!this.fromTrustedProxy(socket)) return { peer: null, sourceAddress: connectedFrom };
    const forwardedFor = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    const sourceAddress = forwardedFor.at(-1) ?? connectedFrom; // the hop the proxy itself saw
    const header = req.headers[this.proxy.clientCertHeader];
    return { peer: typeof header === 'string' ? this.verifyHeader(header) : null, sourceAddress };
  }

  private verifyHeader(header: string): PeerCertificate | null {
    let verified = this.verifiedHeaders.get(header);
    if (!verified) {
      verified = this.verify(header) ?? undefined;
      if (!verified) return null;
      if (this.verifiedHeaders.size >= HEADER_CACHE_LIMIT) this.verifiedHeaders.clear();
      this.verifiedHeaders.set(header, verified);
    }
    const now = this.clock.now().getTime();
    return verified.validFrom <= now && now < verified.validTo ? verified.peer : null;
  }

  private verify(header: string): VerifiedHeader | null {
    try {
      const encoded = forwardedCertificate(this.proxy.clientCertFormat, header);
      if (!encoded) return null;
      const certificate = new X509Certificate(encoded);
      const issuedByBank = certificate.checkIssued(this.ca) && certificate.verify(this.ca.publicKey);
      const forClients = !certificate.ca && (certificate.keyUsage ?? []).includes(CLIENT_AUTH);
      if (!issuedByBank || !forClients) return null;
      return {
        peer: {
          fingerprint: fingerprintOfDer(certificate.raw),
          serialNumber: certificate.serialNumber.toUpperCase(),
          issuer: certificate.issuer.replace(/\n/g, ', '),
        },
        validFrom: new Date(certificate.validFrom).getTime(),
        validTo: new Date(certificate.validTo).getTime(),
      };
    } catch {
      return null;
    }
  }
}
