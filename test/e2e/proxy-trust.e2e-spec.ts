import { ConfigError, loadConfig } from '../../src/config';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { proxyV2Header } from '../helpers/load-balancers';

/**
 * Who may name a client certificate in a header. Only a TLS-terminating proxy (TRUSTED_PROXIES),
 * judged by the connection's real TCP peer. A PROXY protocol header (PROXY_PROTOCOL_FROM) names the
 * client behind a TLS-passthrough balancer: an address for logs and allow-lists, never a reason to
 * believe a header. On loopback: 127.0.0.1 is the balancer, 127.0.0.3 the TLS-terminating proxy,
 * 127.0.0.2 anyone else.
 */
const BALANCER = '127.0.0.1';
const TERMINATING_PROXY = '127.0.0.3';
const OUTSIDER = '127.0.0.2';
const WHOAMI = '{ whoami { loginId } }';

const SETTINGS = {
  'neither setting': {},
  'TRUSTED_PROXIES only': { TRUSTED_PROXIES: TERMINATING_PROXY },
  'PROXY_PROTOCOL_FROM only': { PROXY_PROTOCOL_FROM: BALANCER },
  'both settings': { TRUSTED_PROXIES: TERMINATING_PROXY, PROXY_PROTOCOL_FROM: BALANCER },
};

describe.each(Object.entries(SETTINGS))('the client certificate with %s', (_, env: Record<string, string>) => {
  let gw: TestGateway;
  const trustsProxy = 'TRUSTED_PROXIES' in env;
  const readsProxyHeader = 'PROXY_PROTOCOL_FROM' in env;

  beforeAll(async () => {
    gw = await TestGateway.start({ LISTEN_HOST: '0.0.0.0', ...env });
  });
  afterAll(() => gw.stop());

  /** admin01's public certificate, as a proxy would forward it: nobody here holds admin01's key. */
  const forgedAdmin = () => ({ 'x-client-cert': encodeURIComponent(gw.demoIdentity('admin01').certificatePem) });
  /** A connection from `from`, without a certificate, that first sends a PROXY header naming `named`. */
  const viaProxyHeader = (from: string, named: string, identity = null as ReturnType<TestGateway['demoIdentity']> | null) =>
    gw.withCertificate(identity, `https://127.0.0.1:${gw.gateway.apiPort}`, {
      localAddress: from,
      beforeTls: proxyV2Header(named, 40000),
    });
  const whoamiOf = async (client: GraphqlClient, headers: Record<string, string> = {}) => {
    try {
      const response = await client.query(WHOAMI, undefined, headers);
      return response.body.data?.whoami?.loginId ?? errorCode(response);
    } catch {
      return 'CONNECTION_CLOSED';
    }
  };
  const direct = (from: string, identity = null as ReturnType<TestGateway['demoIdentity']> | null) =>
    gw.withCertificate(identity, `https://127.0.0.1:${gw.gateway.apiPort}`, { localAddress: from });

  it('refuses a certificate named in a header behind a PROXY header that names the trusted proxy', async () => {
    expect(await whoamiOf(viaProxyHeader(BALANCER, TERMINATING_PROXY), forgedAdmin())).toBe('CONNECTION_CLOSED');
    expect(await whoamiOf(viaProxyHeader(OUTSIDER, TERMINATING_PROXY), forgedAdmin())).toBe('CONNECTION_CLOSED');
  });

  it('refuses a certificate named in a header by anyone but the trusted proxy', async () => {
    expect(await whoamiOf(direct(OUTSIDER), forgedAdmin())).toBe('CONNECTION_CLOSED');
    if (!readsProxyHeader) expect(await whoamiOf(direct(BALANCER), forgedAdmin())).toBe('CONNECTION_CLOSED');
  });

  it(`${trustsProxy ? 'takes' : 'refuses'} a certificate named in a header by the trusted proxy's own connection`, async () => {
    expect(await whoamiOf(direct(TERMINATING_PROXY), forgedAdmin())).toBe(trustsProxy ? 'admin01' : 'CONNECTION_CLOSED');
  });

  it('identifies a client by its own certificate end to end, wherever it connects from, header or not', async () => {
    const user02 = gw.demoIdentity('user02');
    expect(await whoamiOf(direct(OUTSIDER, user02), forgedAdmin())).toBe('user02');
    if (readsProxyHeader) expect(await whoamiOf(viaProxyHeader(BALANCER, TERMINATING_PROXY, user02), forgedAdmin())).toBe('user02');
  });
});

describe('the two proxy settings', () => {
  it('refuse to share an address: a TLS-passthrough balancer cannot also be a TLS-terminating proxy', () => {
    for (const [trusted, balancers] of [
      ['10.0.0.5', '10.0.0.5'],
      ['10.0.0.0/24', '10.0.0.7'],
      ['10.0.0.7', '10.0.0.0/16'],
      ['192.0.2.1, 10.1.0.0/16', '10.1.2.0/24'],
    ]) {
      expect(() => loadConfig({ TRUSTED_PROXIES: trusted, PROXY_PROTOCOL_FROM: balancers })).toThrow(ConfigError);
    }
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.1.0/24', PROXY_PROTOCOL_FROM: '10.0.0.0/24' }).proxy.trustedProxies).toEqual([
      '10.0.1.0/24',
    ]);
  });
});
