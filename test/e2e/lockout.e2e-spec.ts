import { AuditAction } from '../../src/audit/audit-action';
import { User } from '../../src/users/user.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { CHANGE_PASSWORD, LOGIN, login, loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { GatewayProcess, TOPOLOGIES } from '../helpers/gateway-process';

/**
 * DESIGN.md §6.1: no more than 6 password guesses for one user are ever evaluated between two
 * successes or resets — however many arrive at once, on two gateway processes sharing one
 * database, one connection or many, as aliases or as array batches, login and confirmation
 * passwords mixed; and the same on the workers of one WORKERS=2 gateway.
 */
describe.each(TOPOLOGIES)('the 6-strike lock under concurrency, $name', (topology) => {
  let gw: TestGateway;
  let second: GatewayProcess;
  let origins: string[];

  beforeAll(async () => {
    gw = await TestGateway.start();
    second = await GatewayProcess.start(gw, { env: { WORKERS: String(topology.workers) } });
    origins = second.originsFor(gw, topology);
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  const db = () => gw.gateway.services.db.writableManager;
  const user = (loginId: string) => db().findOneByOrFail(User, { loginId });
  const evaluatedFailures = async (loginId: string) =>
    (await db().find(AuditEvent, { where: { actorLoginId: loginId } })).filter((e) =>
      ['LOGIN_FAILED', 'CONFIRMATION_PASSWORD_FAILED'].includes(e.action),
    ).length;

  /** `count` clients, taking turns on the topology's origins. */
  function clientsFor(loginId: DemoLoginId, count: number): GraphqlClient[] {
    const identity = gw.demoIdentity(loginId);
    return Array.from({ length: count }, (_, i) => gw.withCertificate(identity, origins[i % origins.length]));
  }

  const codesOf = (responses: GraphqlResponse[]) => responses.flatMap((r) => (r.body.errors ?? []).map((e) => e.extensions?.code));
  const tally = (codes: Array<string | undefined>) =>
    codes.reduce<Record<string, number>>((acc, code) => ({ ...acc, [String(code)]: (acc[String(code)] ?? 0) + 1 }), {});

  async function expectLockedEverywhere(loginId: DemoLoginId) {
    const locked = await user(loginId);
    expect(locked.lockedAt).not.toBeNull();
    expect(locked.failedAttempts).toBe(6);
    expect(locked.attemptsInFlight).toBe(0);
    for (const client of clientsFor(loginId, 2)) {
      expect(errorCode(await login(client, gw.credentials(loginId).loginPassword))).toBe('ACCOUNT_LOCKED');
    }
    const lockEvents = await db().find(AuditEvent, { where: { action: AuditAction.USER_LOCKED, actorLoginId: loginId } });
    expect(lockEvents).toHaveLength(1);
  }

  it('failing: 120 concurrent wrong PINs on 30 connections evaluate exactly 6 and lock', async () => {
    const clients = clientsFor('user01', 30);
    // Four requests queued on each connection (keep-alive), all 30 connections at once.
    const responses = await Promise.all(
      clients.flatMap((client, c) => Array.from({ length: 4 }, (_, i) => login(client, `Wrong${c}x${i}`))),
    );
    const codes = tally(codesOf(responses));
    expect(responses).toHaveLength(120);
    expect(responses.every((r) => r.body.data?.login == null)).toBe(true);
    expect(codes.LOGIN_FAILED).toBe(5); // the 6th evaluated failure answers ACCOUNT_LOCKED
    expect((codes.ACCOUNT_LOCKED ?? 0) + (codes.RATE_LIMITED ?? 0) + codes.LOGIN_FAILED).toBe(120);
    expect(await evaluatedFailures('user01')).toBe(6);
    await expectLockedEverywhere('user01');
    // The connections really were spread: over both workers too, when it is a cluster.
    if (topology.workers > 1) expect(await second.workersThatServed(2)).toEqual([1, 2]);
  });

  it('failing: documents of aliased login mutations are refused before any guess is evaluated', async () => {
    const document = (d: number, count: number) =>
      `mutation { ${Array.from({ length: count }, (_, i) => `a${i}: login(pin: "Wrong${d}x${i}") { token }`).join(' ')} }`;
    // One password check per operation (DESIGN.md §6.8): 2 aliases are refused as such, 50 as too many aliases.
    const responses = await Promise.all(clientsFor('user02', 20).map((client, d) => client.query(document(d, d % 2 ? 50 : 2))));
    expect(tally(codesOf(responses))).toEqual({ BAD_USER_INPUT: 20 });
    expect(await evaluatedFailures('user02')).toBe(0);
    expect((await user('user02')).failedAttempts).toBe(0);
  });

  it('failing: ten concurrent array batches of ten logins run one check each, evaluate 6 and lock', async () => {
    const batch = (b: number) =>
      JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ query: LOGIN, variables: { pin: `Wrong${b}x${i}` } })));
    const responses = await Promise.all(clientsFor('admin01', 10).map((client, b) => client.request('/graphql', { body: batch(b) })));
    const perOperation = responses.flatMap((r) => (Array.isArray(r.body) ? r.body : [r.body]));
    const codes = tally(perOperation.flatMap((body) => (body.errors ?? []).map((e: any) => e.extensions?.code)));
    // One password check per batch: the other nine of each batch that reached GraphQL are refused
    // before anything is counted (a batch arriving after the lock is refused whole at the door).
    for (const batchBody of responses.map((r) => r.body).filter(Array.isArray)) {
      expect(batchBody.filter((body: any) => body.errors?.[0]?.extensions?.limit === 'PASSWORD_CHECKS')).toHaveLength(9);
    }
    expect(codes.LOGIN_FAILED).toBe(5);
    expect(Object.keys(codes).sort()).toEqual(expect.arrayContaining(['ACCOUNT_LOCKED', 'LOGIN_FAILED']));
    expect(await evaluatedFailures('admin01')).toBe(6);
    await expectLockedEverywhere('admin01');
  });

  it('failing: wrong login and confirmation passwords count together: 60 mixed guesses evaluate 6 and lock', async () => {
    const owner = clientsFor('operator01', 1)[0];
    const token = await loginAsPartner(owner, gw.credentials('operator01').loginPassword);
    const clients = clientsFor('operator01', 20);
    clients.forEach((client) => (client.bearer = token));
    const responses = await Promise.all(
      clients.flatMap((client, c) => [
        login(client, `WrongPin${c}`),
        client.query(CHANGE_PASSWORD, { kind: 'CONFIRMATION', current: `WrongConf${c}`, next: 'NewPassw0rd9' }),
        login(client, `WrongPin${c}b`),
      ]),
    );
    const codes = tally(codesOf(responses));
    expect(codes.LOGIN_FAILED).toBe(5);
    expect(await evaluatedFailures('operator01')).toBe(6);
    await expectLockedEverywhere('operator01');
  });

  it('successful: a success resets the count (5 wrong, right, 5 wrong leaves one attempt)', async () => {
    const fresh = await TestGateway.start();
    try {
      const client = fresh.asUser('user01');
      for (let i = 0; i < 5; i++) expect(errorCode(await login(client, `Wrong${i}`))).toBe('LOGIN_FAILED');
      await loginAsPartner(client, fresh.credentials('user01').loginPassword);
      let last;
      for (let i = 0; i < 5; i++) last = await login(client, `Again${i}`);
      expect(last!.body.errors![0].extensions!.remainingAttempts).toBe(1);
      const sixth = await login(client, 'OneTooMany1');
      expect(errorCode(sixth)).toBe('ACCOUNT_LOCKED');
      expect(sixth.body.errors![0].message).toMatch(/Ask your administrator/);
    } finally {
      await fresh.stop();
    }
  });
});
