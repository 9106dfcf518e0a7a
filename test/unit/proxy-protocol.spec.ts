import { parseProxyHeader, V2_MAX_BYTES } from '../../src/server/proxy-protocol';
import { proxyV2Header } from '../helpers/load-balancers';

const v2 = (versionCommand: number, familyTransport: number, body: Buffer) => {
  const header = Buffer.alloc(16);
  Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1').copy(header);
  header[12] = versionCommand;
  header[13] = familyTransport;
  header.writeUInt16BE(body.length, 14);
  return Buffer.concat([header, body]);
};

describe('PROXY protocol header', () => {
  const clientHello = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]);

  it('successful: v2 PROXY over TCP/IPv4 names the client; what follows it is left for TLS', () => {
    const header = proxyV2Header('198.51.100.7', 40000, '10.0.0.1', 8443);
    expect(parseProxyHeader(Buffer.concat([header, clientHello]))).toEqual({
      kind: 'parsed',
      header: { command: 'proxy', sourceAddress: '198.51.100.7', sourcePort: 40000 },
      length: 28,
    });
  });

  it('successful: v2 over IPv6 in Node’s own notation, with TLVs skipped', () => {
    const addresses = Buffer.alloc(36);
    Buffer.from('20010db8000000000000000000000001', 'hex').copy(addresses, 0);
    addresses.writeUInt16BE(1234, 32);
    const tlv = Buffer.from([0x04, 0x00, 0x03, 0x61, 0x62, 0x63]); // PP2_TYPE_NOOP "abc"
    const parsed = parseProxyHeader(v2(0x21, 0x21, Buffer.concat([addresses, tlv])));
    expect(parsed).toEqual({ kind: 'parsed', header: { command: 'proxy', sourceAddress: '2001:db8::1', sourcePort: 1234 }, length: 58 });
  });

  it('successful: v2 LOCAL (a health check) and UNSPEC keep the connection’s own address', () => {
    expect(parseProxyHeader(v2(0x20, 0x00, Buffer.alloc(0)))).toEqual({ kind: 'parsed', header: { command: 'local' }, length: 16 });
    expect(parseProxyHeader(v2(0x21, 0x00, Buffer.alloc(0)))).toEqual({ kind: 'parsed', header: { command: 'local' }, length: 16 });
  });

  it('successful: v1 TCP4, TCP6 and UNKNOWN', () => {
    const line = 'PROXY TCP4 198.51.100.7 10.0.0.1 40000 8443\r\n';
    expect(parseProxyHeader(Buffer.concat([Buffer.from(line), clientHello]))).toEqual({
      kind: 'parsed',
      header: { command: 'proxy', sourceAddress: '198.51.100.7', sourcePort: 40000 },
      length: line.length,
    });
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 2001:db8::2 1 2\r\n'))).toMatchObject({
      header: { command: 'proxy', sourceAddress: '2001:db8::1', sourcePort: 1 },
    });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN whatever\r\n'))).toEqual({
      kind: 'parsed',
      header: { command: 'local' },
      length: 24,
    });
  });

  it('successful: every prefix of a header asks for more bytes', () => {
    for (const header of [proxyV2Header('198.51.100.7', 40000), Buffer.from('PROXY TCP4 198.51.100.7 10.0.0.1 40000 8443\r\n')]) {
      for (let n = 0; n < header.length; n++)
        expect({ n, result: parseProxyHeader(header.subarray(0, n)) }).toEqual({ n, result: { kind: 'incomplete' } });
    }
  });

  it.each([
    ['a TLS ClientHello (no header at all)', clientHello, 'missing'],
    ['HTTP', Buffer.from('GET / HTTP/1.1\r\n'), 'missing'],
    ['v2 with version 1', v2(0x11, 0x11, Buffer.alloc(12)), 'invalid'],
    ['v2 with an unknown command', v2(0x22, 0x11, Buffer.alloc(12)), 'invalid'],
    ['v2 over UDP', v2(0x21, 0x12, Buffer.alloc(12)), 'invalid'],
    ['v2 IPv4 with a short body', v2(0x21, 0x11, Buffer.alloc(8)), 'invalid'],
    ['v2 IPv6 with an IPv4-sized body', v2(0x21, 0x21, Buffer.alloc(12)), 'invalid'],
    ['v2 announcing more than the limit', v2(0x21, 0x11, Buffer.alloc(V2_MAX_BYTES - 15)), 'too-large'],
    ['v1 with a forged family', Buffer.from('PROXY TCP4 2001:db8::1 10.0.0.1 1 2\r\n'), 'invalid'],
    ['v1 with a port out of range', Buffer.from('PROXY TCP4 198.51.100.7 10.0.0.1 65536 2\r\n'), 'invalid'],
    ['v1 with a missing field', Buffer.from('PROXY TCP4 198.51.100.7 10.0.0.1 1\r\n'), 'invalid'],
    ['v1 with no end within 107 bytes', Buffer.from(`PROXY TCP4 ${'1'.repeat(120)}`), 'too-large'],
  ])('failing: %s is refused', (_name, bytes, reason) => {
    expect(parseProxyHeader(bytes)).toEqual({ kind: 'invalid', reason });
  });
});
