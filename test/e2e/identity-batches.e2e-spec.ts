import { Certificate, RevocationStatus } from '../../src/pki/certificate.entity';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { testEngine } from '../helpers/database';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

const WHOAMI = '{ whoami { loginId } }';

/**
 * The certificate → user → contract read every request makes (IdentityService): on MySQL/MariaDB
 * the reads of requests that arrive in the same turn of the event loop go as one statement
 * (BatchedSelect, UNION ALL). Each request must still get its own caller's answer, refusals
 * included, and a change must take effect on the next request.
 */
describe('identity reads of requests that arrive together', () => {
  let gw: TestGateway;
  const statements = () => gw.gateway.services.db.queryCounter.count;
  const db = () => gw.gateway.services.db;

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
  });
  afterAll(() => gw.stop());

  /** 10 requests by each client at once; what each answered, by client. */
  async function allAtOnce(clients: Array<[string, GraphqlClient]>, query: string): Promise<Array<[string, string[]]>> {
    const answers = await Promise.all(
      clients.flatMap(([name, client]) => Array.from({ length: 10 }, async () => [name, await client.query(query)] as const)),
    );
    return clients.map(([name]) => [
      name,
      answers.filter(([of]) => of === name).map(([, answer]) => answer.body.data?.whoami?.loginId ?? errorCode(answer)),
    ]);
  }

  it('successful: 40 whoami at once by four certificates, one of them locked: each answered for its own caller', async () => {
    const names: DemoLoginId[] = ['user01', 'user02', 'admin01', 'operator01'];
    await db().transaction((m) => m.update(User, { loginId: 'user02' }, { lockedAt: new Date() }));
    const before = statements();
    const answers = await allAtOnce(
      names.map((name) => [name, gw.asUser(name)]),
      WHOAMI,
    );
    const used = statements() - before;
    await db().transaction((m) => m.update(User, { loginId: 'user02' }, { lockedAt: null }));

    expect(answers).toEqual([
      ['user01', Array(10).fill('user01')],
      ['user02', Array(10).fill('ACCOUNT_LOCKED')],
      ['admin01', Array(10).fill('admin01')],
      ['operator01', Array(10).fill('operator01')],
    ]);
    // whoami reads nothing but the identity: one statement per request on SQLite, where each
    // read runs at once; fewer on a server, where requests that arrive together share one.
    if (testEngine === 'sqlite') expect(used).toBe(40);
    else expect(used).toBeLessThan(40);
  });

  it('successful: with PIN sessions, each request reads its own session in the shared statement', async () => {
    const user01 = await sessionAs(gw, 'user01');
    const admin01 = await sessionAs(gw, 'admin01');
    const withoutSession = gw.asUser('user02');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => [user01, admin01, withoutSession].map((client) => client.query('{ me { loginId } }'))).flat(),
    );
    expect(answers.map((answer) => answer.body.data?.me?.loginId ?? errorCode(answer))).toEqual(
      Array.from({ length: 10 }, () => ['user01', 'admin01', 'UNAUTHENTICATED']).flat(),
    );
  });

  it('successful: the accounts each caller may use, read together for many requests, are each caller’s own, oldest first', async () => {
    const user01 = await sessionAs(gw, 'user01');
    const admin01 = await sessionAs(gw, 'admin01');
    const alone = [(await user01.query(ACCOUNTS)).body.data.accounts, (await admin01.query(ACCOUNTS)).body.data.accounts];
    expect(alone[1].map((account: { id: number }) => account.id)).toEqual(
      [...alone[1].map((account: { id: number }) => account.id)].sort((a, b) => a - b),
    );
    const answers = await Promise.all(Array.from({ length: 10 }, () => [user01.query(ACCOUNTS), admin01.query(ACCOUNTS)]).flat());
    expect(answers.map((answer) => answer.body.data.accounts)).toEqual(Array.from({ length: 10 }, () => alone).flat());
  });

  it('failing: a certificate revoked between two rounds of requests at once is refused on every request of the second', async () => {
    const clients: Array<[string, GraphqlClient]> = [
      ['user01', gw.asUser('user01')],
      ['user02', gw.asUser('user02')],
    ];
    expect(await allAtOnce(clients, WHOAMI)).toEqual([
      ['user01', Array(10).fill('user01')],
      ['user02', Array(10).fill('user02')],
    ]);
    const { id } = await db().manager.findOneByOrFail(User, { loginId: 'user02' });
    await db().transaction((m) =>
      m.update(Certificate, { activeUserId: id }, { status: RevocationStatus.REVOKED, activeUserId: null, revokedAt: new Date() }),
    );
    expect(await allAtOnce(clients, WHOAMI)).toEqual([
      ['user01', Array(10).fill('user01')],
      ['user02', Array(10).fill('CERTIFICATE_REJECTED')],
    ]);
  });
});
