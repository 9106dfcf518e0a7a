import zlib from 'node:zlib';
import type { GraphqlClient, GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

/**
 * POST /graphql with a plain JSON body is run by graphql-js directly (src/graphql/direct.ts);
 * the same body gzip-compressed goes through express and Apollo Server. A client must not be able
 * to tell them apart: every answer below — refusals of the body, of the document, of a limit, of
 * the operation, a batch, content negotiation — is the same status, body and headers on both.
 */
describe('the direct GraphQL engine answers as Apollo Server does', () => {
  let gw: TestGateway;
  let user: GraphqlClient;

  beforeAll(async () => {
    gw = await TestGateway.start({ MAX_TOKENS: '300', MAX_QUERY_COST: '1000' });
    user = await sessionAs(gw, 'user01');
  });
  afterAll(() => gw.stop());

  /** What a client reads of an answer. */
  const seen = (response: GraphqlResponse) => ({
    status: response.status,
    body: response.body,
    contentType: response.headers['content-type'],
    retryAfter: response.headers['retry-after'],
  });

  async function bothWays(body: string, headers: Record<string, string> = {}) {
    const direct = await user.request('/graphql', { body, headers });
    const apollo = await user.request('/graphql', { body: zlib.gzipSync(body), headers: { ...headers, 'content-encoding': 'gzip' } });
    return { direct, apollo };
  }

  const WHOAMI = '{ whoami { loginId } }';
  const cases: Array<[string, unknown, Record<string, string>?]> = [
    ['an empty object', {}],
    ['a query that is a number', { query: 42 }],
    ['a query that is a parsed document', { query: { kind: 'Document', definitions: [] } }],
    ['variables as a JSON string', { query: WHOAMI, variables: '{}' }],
    ['extensions as a JSON string', { query: WHOAMI, extensions: '{}' }],
    ['extensions as an array', { query: WHOAMI, extensions: [1] }],
    ['variables as an array', { query: WHOAMI, variables: [1] }],
    ['an operation name that is a number', { query: WHOAMI, operationName: 7 }],
    ['no query', { variables: {} }],
    ['an automatic persisted query', { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }],
    ['a syntax error', { query: '{ whoami { loginId }' }],
    ['too many tokens', { query: `{ whoami { ${'loginId '.repeat(350)}} }` }],
    ['an unknown field', { query: '{ whoami { loginIdd } }' }],
    ['a selection too deep', { query: `{ whoami ${'{ certificate '.repeat(11)}{ serialNumber }${' }'.repeat(11)} }` }],
    ['two operations without a name', { query: 'query A { whoami { loginId } } query B { me { loginId } }' }],
    ['an unknown operation name', { query: 'query A { whoami { loginId } }', operationName: 'B' }],
    ['a variable of the wrong type', { query: 'query($n: Int!) { transfers(first: $n) { nextCursor } }', variables: { n: 'ten' } }],
    ['a required variable missing', { query: 'query($n: Int!) { transfers(first: $n) { nextCursor } }' }],
    [
      'a cost over the limit',
      {
        query:
          '{ a: transfers(first: 200) { items { id maker { loginId } } } b: transfers(first: 200) { items { id maker { loginId } } } c: transfers(first: 200) { items { id } } }',
      },
    ],
    ['two password checks', { query: 'mutation { a: login(pin: "x") { token } b: login(pin: "y") { token } }' }],
    ['an error from a resolver', { query: '{ transfer(id: 987654) { id } }' }],
    ['data and no error', { query: WHOAMI }],
    ['an empty batch', []],
    ['a batch with a piece that is not an object', [{ query: WHOAMI }, 42]],
    ['a batch of an answer and a refusal', [{ query: WHOAMI }, { query: '{ nosuch }' }]],
    ['an Accept the gateway cannot answer in', { query: WHOAMI }, { accept: 'text/html' }],
    ['GraphQL over HTTP’s own media type', { query: WHOAMI }, { accept: 'application/graphql-response+json' }],
  ];

  // `headers` has a default: jest would take a third parameter that a row leaves out for a `done` callback.
  it.each(cases)('%s: the same answer', async (_name, body, headers = {}) => {
    const { direct, apollo } = await bothWays(JSON.stringify(body), headers);
    expect(seen(direct)).toEqual(seen(apollo));
    // Every answer to a user is kept by no cache (Apollo's own early refusals do not say so; these do).
    expect(direct.headers['cache-control']).toBe('no-store');
    expect(JSON.stringify(direct.body)).not.toMatch(/at .*\.[jt]s:\d+|INTERNAL/);
  });

  it('the answers above are the ones the bank documents (a sample, so that "the same" is not the same mistake twice)', async () => {
    const parse = await user.query('{ whoami { loginId }');
    expect({ status: parse.status, code: parse.body.errors![0].extensions!.code }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    const body = (name: string) => JSON.stringify(cases.find(([named]) => named === name)![1]);
    const persisted = await user.request('/graphql', { body: body('an automatic persisted query') });
    expect(persisted.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_NOT_SUPPORTED' });
    const cost = await user.request('/graphql', { body: body('a cost over the limit') });
    expect({ status: cost.status, limit: cost.body.errors![0].extensions!.limit }).toEqual({ status: 400, limit: 'COST' });
    const notAcceptable = await user.request('/graphql', { body: JSON.stringify({ query: WHOAMI }), headers: { accept: 'text/html' } });
    expect(notAcceptable.status).toBe(406);
  });

  it('a query text is parsed and validated once, and a refused one is never kept as if it were valid', async () => {
    const query = '{ whoami { loginId displayName } }';
    const first = await user.query(query);
    const again = await user.query(query);
    expect(again.body).toEqual(first.body);
    expect(first.body.data.whoami.loginId).toBe('user01');
    for (let i = 0; i < 2; i++) {
      const refused = await user.query('{ whoami { nosuch } }');
      expect(refused.status).toBe(400);
    }
  });
});
