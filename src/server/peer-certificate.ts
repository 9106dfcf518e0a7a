import type { TLSSocket } from 'node:tls';
import { fingerprintOfDer } from '../pki/certificate-authority';
import type { PeerCertificate } from '../graphql/context';

/**
 * The certificate of a TLS connection never changes, so it is read and hashed once per socket
 * (getPeerCertificate() on every request costs about a third of the throughput). Whether the
 * certificate is still good is checked against the database on every request regardless.
 */
const bySocket = new WeakMap<TLSSocket, PeerCertificate | null>();

export function peerCertificateOf(socket: TLSSocket): PeerCertificate | null {
  let peer = bySocket.get(socket);
  if (peer === undefined) {
    const certificate = socket.getPeerCertificate();
    peer = certificate?.raw
      ? {
          fingerprint: fingerprintOfDer(certificate.raw),
          serialNumber: certificate.serialNumber.toUpperCase(),
          issuer: Object.entries(certificate.issuer ?? {})
            .map(([key, value]) => `${key}=${value}`)
            .join(', '),
        }
      : null;
    bySocket.set(socket, peer);
  }
  return peer;
}
