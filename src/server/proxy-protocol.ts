import net, { type Socket } from 'node:net';
import type tls from 'node:tls';
import { addressInRanges, parseRanges } from '../common/ip-ranges';

/**
 * The PROXY protocol (HAProxy's proxy-protocol.txt, v1 text and v2 binary): a TCP load balancer
 * that passes TLS through untouched (mTLS end to end) opens each connection to the gateway with
 * one header naming the client's address. Parsed here rather than with an npm parser because the
 * part that matters is reading it off a live socket with a size limit and a deadline, which none
 * of them does; the format itself is a few fixed fields.
 */

const V2_SIGNATURE = Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1');
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** The spec's own bound for a v1 line, CRLF included. */
const V1_MAX_BYTES = 107;
/** 16 fixed bytes, the addresses (36 for IPv6) and room for a few TLVs (AWS, Azure and HAProxy's own are far below it). */
export const V2_MAX_BYTES = 16 + 1024;

export type ProxyHeader =
  /** PROXY: the client's address and port as the balancer saw them. */
  | { command: 'proxy'; sourceAddress: string; sourcePort: number }
  /** LOCAL (v2) or UNKNOWN (v1): the balancer's own connection, a health check; keep the real endpoints. */
  | { command: 'local' };

export type ProxyHeaderParse =
  { kind: 'incomplete' } | { kind: 'invalid'; reason: ProxyHeaderRefusal } | { kind: 'parsed'; header: ProxyHeader; length: number };

export type ProxyHeaderRefusal = 'missing' | 'invalid' | 'too-large' | 'timeout' | 'closed';

const invalid = (reason: ProxyHeaderRefusal = 'invalid') => ({ kind: 'invalid' as const, reason });

/** Whether `buffer` is, so far, the start of `prefix` (or all of it). */
function startsLike(buffer: Buffer, prefix: Buffer): boolean {
  const n = Math.min(buffer.length, prefix.length);
  return buffer.subarray(0, n).equals(prefix.subarray(0, n));
}

function port(text: string): number | null {
  return /^(0|[1-9]\d{0,4})$/.test(text) && Number(text) <= 65535 ? Number(text) : null;
}

function parseV1(buffer: Buffer): ProxyHeaderParse {
  const end = buffer.subarray(0, V1_MAX_BYTES).indexOf('\r\n');
  if (end < 0) return buffer.length >= V1_MAX_BYTES ? invalid('too-large') : { kind: 'incomplete' };
  const fields = buffer.toString('latin1', V1_PREFIX.length, end).split(' ');
  const length = end + 2;
  if (fields[0] === 'UNKNOWN') return { kind: 'parsed', header: { command: 'local' }, length };
  if (fields.length !== 5) return invalid();
  const [family, source, destination, sourcePort, destinationPort] = fields;
  const version = family === 'TCP4' ? 4 : family === 'TCP6' ? 6 : 0;
  if (!version || net.isIP(source) !== version || net.isIP(destination) !== version) return invalid();
  const from = port(sourcePort);
  if (from === null || port(destinationPort) === null) return invalid();
  return { kind: 'parsed', header: { command: 'proxy', sourceAddress: source, sourcePort: from }, length };
}

function ipv6(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  // Node's own form (compressed, lower case) so that it compares equal to remoteAddress strings.
  return new net.SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

function parseV2(buffer: Buffer): ProxyHeaderParse {
  if (buffer.length < 16) return { kind: 'incomplete' };
  const versionCommand = buffer[12];
  const familyTransport = buffer[13];
  const length = 16 + buffer.readUInt16BE(14);
  if (versionCommand >> 4 !== 2) return invalid();
  if (length > V2_MAX_BYTES) return invalid('too-large');
  if (buffer.length < length) return { kind: 'incomplete' };
  const command = versionCommand & 0x0f;
  if (command === 0x0) return { kind: 'parsed', header: { command: 'local' }, length };
  if (command !== 0x1) return invalid();
  const family = familyTransport >> 4;
  const transport = familyTransport & 0x0f;
  // UNSPEC (and AF_UNIX): nothing to learn about the client; the spec says to keep the real endpoints.
  if (family === 0x0 || family === 0x3) return { kind: 'parsed', header: { command: 'local' }, length };
  if (transport !== 0x1) return invalid(); // only TCP (STREAM) carries TLS
  const body = buffer.subarray(16, length);
  if (family === 0x1 && body.length >= 12) {
    return {
      kind: 'parsed',
      header: { command: 'proxy', sourceAddress: Array.from(body.subarray(0, 4)).join('.'), sourcePort: body.readUInt16BE(8) },
      length,
    };
  }
  if (family === 0x2 && body.length >= 36) {
    return {
      kind: 'parsed',
      header: { command: 'proxy', sourceAddress: ipv6(body.subarray(0, 16)), sourcePort: body.readUInt16BE(32) },
      length,
    };
  }
  return invalid();
}

/** Parses a PROXY header at the start of `buffer` (v1 or v2), or says that more bytes are needed. */
export function parseProxyHeader(buffer: Buffer): ProxyHeaderParse {
  if (startsLike(buffer, V2_SIGNATURE)) return buffer.length < V2_SIGNATURE.length ? { kind: 'incomplete' } : parseV2(buffer);
  if (startsLike(buffer, V1_PREFIX)) return buffer.length < V1_PREFIX.length ? { kind: 'incomplete' } : parseV1(buffer);
  return invalid('missing');
}

/**
 * The client's address for each connection that came with a PROXY header, by the connection's
 * own endpoints: the TLS socket that wraps the TCP socket reports the same ones, so the lookup
 * needs nothing but public socket properties.
 */
const clientAddresses = new Map<string, string>();

function endpointsOf(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}|${socket.localAddress}|${socket.localPort}`;
}

/** The client's address: the one the balancer's PROXY header named, else the connection's own. */
export function clientAddressOf(socket: Socket): string | null {
  return clientAddresses.get(endpointsOf(socket)) ?? socket.remoteAddress ?? null;
}

export interface ProxyProtocolOptions {
  /** Connections from these addresses or ranges must start with a PROXY header; from anywhere else none is read. */
  from: string[];
  timeoutMs: number;
  onRefused: (reason: ProxyHeaderRefusal, address: string | null) => void;
}

/**
 * Makes a TLS server read a PROXY header before the TLS handshake on connections from the
 * balancers (`from`), and refuse those without a valid one within the deadline. The TLS server's
 * own connection handler then gets the socket with whatever followed the header put back (Node
 * feeds a socket's buffered bytes to the handshake). Other connections go to TLS untouched, so a
 * PROXY header from anyone else is just a broken handshake.
 */
export function acceptProxyProtocol(server: tls.Server, options: ProxyProtocolOptions): void {
  const tlsHandlers = server.listeners('connection') as Array<(socket: Socket) => void>;
  // Taken over right after creation, before anything else listens (connection-drain counts raw sockets).
  if (tlsHandlers.length !== 1) throw new Error(`expected the TLS server's own connection handler alone, found ${tlsHandlers.length}`);
  server.removeAllListeners('connection');
  const balancers = parseRanges(options.from);
  const handToTls = (socket: Socket) => tlsHandlers[0].call(server, socket);

  server.on('connection', (socket: Socket) => {
    if (!addressInRanges(socket.remoteAddress, balancers)) return handToTls(socket);
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (result: Exclude<ProxyHeaderParse, { kind: 'incomplete' }>) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      socket.removeListener('data', onData).removeListener('end', onClosed).removeListener('error', onClosed);
      socket.pause();
      if (result.kind !== 'parsed') {
        options.onRefused(result.reason, socket.remoteAddress ?? null);
        socket.destroy();
        return;
      }
      const rest = received.subarray(result.length);
      if (rest.length) socket.unshift(rest);
      if (result.header.command === 'proxy' && socket.remoteAddress) {
        const key = endpointsOf(socket);
        clientAddresses.set(key, result.header.sourceAddress);
        socket.once('close', () => clientAddresses.delete(key));
      }
      handToTls(socket);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const result = parseProxyHeader(received);
      if (result.kind !== 'incomplete') finish(result);
    };
    const onClosed = () => finish(invalid('closed'));
    const deadline = setTimeout(() => finish(invalid('timeout')), options.timeoutMs);
    socket.on('data', onData).once('end', onClosed).once('error', onClosed);
  });
}
