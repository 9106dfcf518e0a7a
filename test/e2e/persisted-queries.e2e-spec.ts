import crypto from 'node:crypto';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import type { LogEntry } from '../helpers/gateway-process';
import { capturingLogger } from '../helpers/logs';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * Automatic persisted queries (Apollo's `extensions.persistedQuery`) are not used by any client of
 * ours: a request carrying one is BAD_USER_INPUT saying so — with Apollo's code as `reason`, for
 * APQ clients that fall back to sending the text — on both listeners, anonymous or not, and is no
 * error in the log.
 */
describe('persisted queries are refused as bad input, never INTERNAL', () => {
  let gw: TestGateway;
  let entries: LogEntry[];
  const listeners: Array<[string, () => GraphqlClient, string]> = [
    ['API listener', () => gw.asUser('user01'), '{ whoami { loginId } }'],
    ['enrollment listener, anonymous', () => gw.enrollClient(), '{ __typename }'],
  ];

  beforeAll(async () => {
    const capture = capturingLogger();
    entries = capture.entries;
    gw = await TestGateway.start({ LOG_LEVEL: 'info' }, { logger: capture.logger });
  });
  afterAll(() => gw.stop());

  it.each(listeners)(
    'failing: on the %s, a wrong hash, an unknown hash alone and a right hash are BAD_USER_INPUT naming the reason; nothing is logged as an error',
    async (_name, client, query) => {
      const errorsBefore = entries.filter((entry) => Number(entry.level) >= 50).length;
      const persisted = (sha256Hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash } } });
      const bodies = [{ query, ...persisted('0'.repeat(64)) }, persisted(sha256('{ nothing }')), { query, ...persisted(sha256(query)) }];
      for (const body of bodies) {
        const response = await client().request('/graphql', { body: JSON.stringify(body) });
        expect({ code: errorCode(response), reason: response.body.errors?.[0]?.extensions?.reason }).toEqual({
          code: 'BAD_USER_INPUT',
          reason: 'PERSISTED_QUERY_NOT_SUPPORTED',
        });
        expect(response.body.errors![0].message).toMatch(/Persisted queries are not supported: send the operation text in `query`/);
        expect(response.body.data).toBeUndefined();
      }
      expect(entries.filter((entry) => Number(entry.level) >= 50).slice(errorsBefore)).toEqual([]);
      // The same query without the extension is answered.
      expect((await client().request('/graphql', { body: JSON.stringify({ query }) })).body.errors).toBeUndefined();
    },
  );
});
