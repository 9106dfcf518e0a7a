import zlib from 'node:zlib';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';

/**
 * POST /graphql with a plain JSON body is served without express (src/server/graphql-http.ts);
 * every other form of request still goes through express's body parser. Both answer alike: the
 * same refusals with the same codes, in the same order (certificate, body, batch size, GraphQL).
 */
describe('the GraphQL HTTP layer, with and without express', () => {
  let gw: TestGateway;
  let user01: GraphqlClient;
  const WHOAMI = JSON.stringify({ query: '{ whoami { loginId } }' });

  beforeAll(async () => {
    gw = await TestGateway.start({ MAX_BODY_BYTES: '10240', MAX_BATCH_SIZE: '3' });
    user01 = gw.asUser('user01');
  });
  afterAll(() => gw.stop());

  it('successful: a plain JSON POST, a charset-qualified one, a gzip-compressed one and a GET all answer whoami', async () => {
    const plain = await user01.request('/graphql', { body: WHOAMI });
    const charset = await user01.request('/graphql', { body: WHOAMI, headers: { 'content-type': 'application/json; charset=utf-8' } });
    const gzipped = await user01.request('/graphql', { body: zlib.gzipSync(WHOAMI), headers: { 'content-encoding': 'gzip' } });
    const get = await user01.request(`/graphql?query=${encodeURIComponent('{ whoami { loginId } }')}`, {
      method: 'GET',
      headers: { 'apollo-require-preflight': 'true' },
    });
    for (const response of [plain, charset, gzipped, get]) {
      expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { data: { whoami: { loginId: 'user01' } } } });
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      // A user's data is kept by no browser or proxy cache.
      expect(response.headers['cache-control']).toBe('no-store');
    }
    const refused = await user01.request('/graphql', { body: JSON.stringify({ query: '{ nosuchfield }' }) });
    expect({ status: refused.status, cacheControl: refused.headers['cache-control'] }).toEqual({ status: 400, cacheControl: 'no-store' });
  });

  it('failing: a body over MAX_BODY_BYTES is 413 BAD_USER_INPUT, declared or compressed alike', async () => {
    const large = JSON.stringify({ query: '{ whoami { loginId } }', variables: { padding: 'x'.repeat(12_000) } });
    const declared = await user01.request('/graphql', { body: large });
    const compressed = await user01.request('/graphql', { body: zlib.gzipSync(large), headers: { 'content-encoding': 'gzip' } });
    for (const response of [declared, compressed]) {
      expect(response.status).toBe(413);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.body.errors![0].message).toBe('The request body is too large.');
    }
  });

  it('failing: JSON that is not an object or an array is 400 BAD_USER_INPUT, as malformed JSON is', async () => {
    for (const body of ['42', '"{ whoami { loginId } }"', 'null', '{"query":']) {
      const response = await user01.request('/graphql', { body });
      expect({ status: response.status, code: errorCode(response), message: response.body.errors?.[0]?.message }).toEqual({
        status: 400,
        code: 'BAD_USER_INPUT',
        message: 'The request body is not valid JSON.',
      });
    }
  });

  it('failing: a batch over MAX_BATCH_SIZE is refused whole; one within it runs', async () => {
    const batch = (n: number) => JSON.stringify(Array.from({ length: n }, () => ({ query: '{ whoami { loginId } }' })));
    const tooLong = await user01.request('/graphql', { body: batch(4) });
    expect(tooLong.status).toBe(400);
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
    expect(tooLong.body.errors![0].message).toBe('At most 3 operations may be sent in one batch.');
    const within = await user01.request('/graphql', { body: batch(3) });
    expect(within.status).toBe(200);
    expect(within.body).toEqual(Array.from({ length: 3 }, () => ({ data: { whoami: { loginId: 'user01' } } })));
  });

  it('failing: a body that is not JSON at all gets a GraphQL error with a code, not a stack or an empty 500', async () => {
    const response = await user01.request('/graphql', { body: '{ whoami { loginId } }', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(errorCode(response)).toEqual(expect.any(String));
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('failing: a certificate that is not registered is refused before the body is read, on either path', async () => {
    const stranger = gw.withCertificate(gw.unregisteredIdentity('stranger'));
    for (const init of [{ body: '{"query":' }, { body: zlib.gzipSync(WHOAMI), headers: { 'content-encoding': 'gzip' } }]) {
      const response = await stranger.request('/graphql', init);
      expect(errorCode(response)).toBe('CERTIFICATE_REJECTED');
    }
  });
});

describe('large bodies (from 256 KiB), parsed on a thread of their own', () => {
  let gw: TestGateway;
  let user01: GraphqlClient;
  beforeAll(async () => {
    gw = await TestGateway.start();
    user01 = gw.asUser('user01');
  });
  afterAll(() => gw.stop());

  it('successful: ASCII and Japanese bodies of 300 KB–2 MB answer as small ones do, several at once each its own', async () => {
    const body = (alias: string, padding: string) => JSON.stringify({ query: `{ ${alias}: whoami { loginId } }`, variables: { padding } });
    const bodies = [body('ascii', 'A'.repeat(300_000)), body('japanese', '振込'.repeat(150_000)), body('large', 'B'.repeat(2_000_000))];
    for (let i = 0; i < 5; i++) bodies.push(body(`together${i}`, String(i).repeat(400_000)));
    expect(Math.min(...bodies.map((b) => Buffer.byteLength(b)))).toBeGreaterThan(256 * 1024);
    const answers = await Promise.all(bodies.map((b) => user01.request('/graphql', { body: b })));
    expect(answers.map((a) => ({ status: a.status, body: a.body }))).toEqual(
      ['ascii', 'japanese', 'large', 'together0', 'together1', 'together2', 'together3', 'together4'].map((alias) => ({
        status: 200,
        body: { data: { [alias]: { loginId: 'user01' } } },
      })),
    );
  });

  it('failing: large bodies that are not JSON, or JSON but not an object or array, are 400 BAD_USER_INPUT as small ones are', async () => {
    const padding = ' '.repeat(300_000);
    for (const body of [
      `{"query":"${'x'.repeat(300_000)}"`,
      `42${padding}`,
      `"text"${padding}`,
      `{"query": "{ whoami { loginId } }",}${padding}`,
    ]) {
      const response = await user01.request('/graphql', { body });
      expect({ status: response.status, code: errorCode(response), message: response.body.errors?.[0]?.message }).toEqual({
        status: 400,
        code: 'BAD_USER_INPUT',
        message: 'The request body is not valid JSON.',
      });
    }
  });
});
