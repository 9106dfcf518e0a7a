import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'undici';

export interface TlsIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

export interface ConnectionOptions {
  /** The source address of the TCP connection (any 127.x.y.z on loopback). */
  localAddress?: string;
  /** Bytes sent on the TCP connection before the TLS handshake, as a load balancer sends a PROXY protocol header. */
  beforeTls?: Buffer;
}

export interface GraphqlResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { data?: T; errors?: Array<{ message: string; extensions?: { code?: string; [k: string]: unknown } }> } & Record<string, any>;
}

/**
 * A GraphQL client over one real TLS connection (undici Client: one keep-alive socket), with
 * or without a client certificate.
 */
export class GraphqlClient {
  private readonly client: Client;
  /** Sent as Authorization: Bearer on every request when set. */
  bearer: string | null = null;

  constructor(origin: string, caPem: string, identity: TlsIdentity | null, options: ConnectionOptions = {}) {
    const tlsOptions = {
      ca: caPem,
      cert: identity?.certificatePem,
      key: identity?.privateKeyPem,
      servername: 'localhost',
      rejectUnauthorized: true,
    };
    const { beforeTls } = options;
    this.client = new Client(origin, {
      localAddress: options.localAddress,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: beforeTls
        ? (target, callback) => {
            let settled = false;
            const done = (error: Error | null, socket: tls.TLSSocket | null) => {
              if (settled) return;
              settled = true;
              if (error) callback(error, null);
              else callback(null, socket!);
            };
            const tcp = net.connect({ host: target.hostname, port: Number(target.port), localAddress: options.localAddress });
            tcp.once('error', (error) => done(error, null));
            tcp.once('connect', () => {
              tcp.write(beforeTls);
              const secure = tls.connect({ ...tlsOptions, socket: tcp });
              secure.once('secureConnect', () => done(null, secure)).once('error', (error) => done(error, null));
            });
          }
        : tlsOptions,
    });
  }

  async request(
    path: string,
    init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<GraphqlResponse> {
    const response = await this.client.request({
      path,
      method: (init.method ?? 'POST') as 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...init.headers,
      },
      body: init.body,
    });
    const text = await response.body.text();
    let body: GraphqlResponse['body'];
    try {
      body = JSON.parse(text);
    } catch {
      body = { raw: text };
    }
    return { status: response.statusCode, headers: response.headers, body };
  }

  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphqlResponse<T>> {
    return this.request('/graphql', { body: JSON.stringify({ query, variables }), headers });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** The first error's code, for terse assertions. */
export function errorCode(response: GraphqlResponse): string | undefined {
  return response.body.errors?.[0]?.extensions?.code;
}
