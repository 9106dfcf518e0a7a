import { In } from 'typeorm';
import { User } from '../../src/users/user.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { PasswordCheck } from '../../src/auth/password-check.entity';
import { PasswordKind } from '../../src/auth/password-history.entity';
import { login } from '../helpers/auth';
import { errorCode, type GraphqlResponse } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';

/**
 * DESIGN.md §6.5 with §6.1: every password check holds its attempt slot under a lease. A check
 * whose gateway dies, or whose result cannot be recorded, tells nobody anything about the
 * password, and its slot is given back once the lease has run out — so a crash never uses up a
 * user's attempts, and the 6-guess bound still holds.
 */
const LEASE_SECONDS = 30;
const env = { PASSWORD_CHECK_LEASE_SECONDS: String(LEASE_SECONDS) };

const codesOf = (responses: Array<GraphqlResponse | null>) =>
  responses.flatMap((r) => (r?.body.errors ?? []).map((e) => e.extensions?.code));
const tally = (codes: Array<string | undefined>) =>
  codes.reduce<Record<string, number>>((acc, code) => ({ ...acc, [String(code)]: (acc[String(code)] ?? 0) + 1 }), {});

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function helpersFor(gw: TestGateway) {
  const db = () => gw.gateway.services.db.writableManager;
  return {
    db,
    user: (loginId: string) => db().findOneByOrFail(User, { loginId }),
    checksOf: async (loginId: string) => db().countBy(PasswordCheck, { userId: (await db().findOneByOrFail(User, { loginId })).id }),
    events: (loginId: string, actions: string[]) => db().find(AuditEvent, { where: { actorLoginId: loginId, action: In(actions) } }),
  };
}

describe('a gateway killed in the middle of password checks', () => {
  let gw: TestGateway;
  let second: GatewayProcess;

  beforeAll(async () => {
    gw = await TestGateway.start(env);
    second = await GatewayProcess.start(gw, { env });
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  it('successful: users whose right PINs were being checked by a SIGKILLed instance log in on another once the lease has run out, with nothing left counted', async () => {
    const { db, user, checksOf, events } = helpersFor(gw);
    const victims: DemoLoginId[] = ['user01', 'user02', 'admin01'];
    const ids = await Promise.all(victims.map(async (loginId) => (await user(loginId)).id));
    // Seven right PINs per user at the second process, each on its own connection; it hashes two
    // at a time (~60 ms each), so most of them are still queued or hashing when it is killed.
    const pending = victims.flatMap((loginId) =>
      Array.from({ length: 7 }, () =>
        login(gw.withCertificate(gw.demoIdentity(loginId), second.apiOrigin), gw.credentials(loginId).loginPassword).catch(() => null),
      ),
    );
    const slotsInFlight = async () => (await db().findBy(User, { id: In(ids) })).reduce((sum, u) => sum + u.attemptsInFlight, 0);
    await until(async () => (await slotsInFlight()) >= 6, 'slots taken on the second process');
    await second.kill('SIGKILL');
    await Promise.all(pending);

    const leftBehind = Object.fromEntries(
      await Promise.all(victims.map(async (loginId) => [loginId, (await user(loginId)).attemptsInFlight] as const)),
    );
    // The crash really left checks that will never record a result.
    expect(Object.values(leftBehind).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    gw.clock.advance((LEASE_SECONDS + 1) * 1000);
    for (const loginId of victims) {
      const response = await login(gw.asUser(loginId), gw.credentials(loginId).loginPassword);
      expect({ loginId, errors: response.body.errors }).toEqual({ loginId, errors: undefined });
      expect(response.body.data.login.token).toEqual(expect.any(String));
      const after = await user(loginId);
      expect({
        loginId,
        failedAttempts: after.failedAttempts,
        attemptsInFlight: after.attemptsInFlight,
        lockedAt: after.lockedAt,
        checks: await checksOf(loginId),
      }).toEqual({
        loginId,
        failedAttempts: 0,
        attemptsInFlight: 0,
        lockedAt: null,
        checks: 0,
      });
      // Nobody typed a wrong password; what the crash left is given back, and audited as such.
      expect(await events(loginId, ['LOGIN_FAILED', 'USER_LOCKED'])).toEqual([]);
      const reclaims = await events(loginId, ['PASSWORD_CHECK_RECLAIMED']);
      expect({ loginId, reclaimed: reclaims.reduce((sum, e) => sum + JSON.parse(e.detail!).reclaimed, 0) }).toEqual({
        loginId,
        reclaimed: leftBehind[loginId],
      });
    }
  });
});

describe('expired leases reclaimed by two gateways at once', () => {
  let gw: TestGateway;
  let second: GatewayProcess;

  beforeAll(async () => {
    gw = await TestGateway.start(env);
    second = await GatewayProcess.start(gw, { env });
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  it('failing: a slot left by a crashed check is counted back once, and exactly 6 guesses are still evaluated in all', async () => {
    const { user, checksOf, events } = helpersFor(gw);
    const { credentials, db } = gw.gateway.services;
    const target = await user('user01');
    const prepared = await credentials.prepareTemporaryPasswords();
    // Six connections to each gateway, opened beforehand so that the guesses arrive together.
    const identity = gw.demoIdentity('user01');
    const clients = Array.from({ length: 12 }, (_, i) => gw.withCertificate(identity, i % 2 ? second.apiOrigin : gw.apiOrigin));
    await Promise.all(clients.map((client) => client.query('{ whoami { loginId } }')));

    // Whether two reclaimers really meet depends on timing, so the race is run several times.
    const ROUNDS = 5;
    for (let round = 1; round <= ROUNDS; round++) {
      const now = gw.clock.now();
      await db.transaction(async (m) => {
        await credentials.applyTemporaryPasswords(m, target.id, prepared);
        // Two wrong PINs answered, then a check whose instance died: 3 of 6 attempts used.
        await m.update(User, { id: target.id }, { failedAttempts: 3, attemptsInFlight: 1 });
        await m.insert(PasswordCheck, {
          userId: target.id,
          kind: PasswordKind.LOGIN,
          startedAt: new Date(now.getTime() - 2 * LEASE_SECONDS * 1000),
          leaseExpiresAt: new Date(now.getTime() - LEASE_SECONDS * 1000),
        });
      });

      // Twelve wrong PINs at once: every one of them first tries to reclaim that slot.
      const responses = await Promise.all(clients.map((client, i) => login(client, `Race${round}x${i}`)));

      const reclaims = await events('user01', ['PASSWORD_CHECK_RECLAIMED']);
      expect({ round, reclaimed: reclaims.map((e) => JSON.parse(e.detail!).reclaimed) }).toEqual({
        round,
        reclaimed: Array(round).fill(1),
      });
      // 3 - 1 reclaimed + 4 evaluated now = 6: one slot back, not two.
      expect({ round, evaluated: (await events('user01', ['LOGIN_FAILED'])).length }).toEqual({ round, evaluated: 4 * round });
      expect({ round, answers: tally(codesOf(responses)).LOGIN_FAILED }).toEqual({ round, answers: 3 }); // the 4th answers ACCOUNT_LOCKED
      const after = await user('user01');
      expect({
        round,
        failedAttempts: after.failedAttempts,
        attemptsInFlight: after.attemptsInFlight,
        locked: after.lockedAt !== null,
        checks: await checksOf('user01'),
      }).toEqual({
        round,
        failedAttempts: 6,
        attemptsInFlight: 0,
        locked: true,
        checks: 0,
      });
    }
  });
});

describe('password checks that lose their slot or cannot record their result', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start(env);
  });
  afterAll(async () => {
    await gw?.stop();
  });

  /**
   * Keeps the hasher busy with other work until `loginId` has a check waiting behind it, then
   * runs `meanwhile` before that check can start hashing.
   */
  async function whileQueued(loginId: DemoLoginId, pin: string, meanwhile: () => Promise<void> | void): Promise<GraphqlResponse> {
    const { user } = helpersFor(gw);
    const hasher = gw.gateway.services.passwords;
    const blockers: Array<Promise<unknown>> = [];
    let outstanding = 0;
    const block = () => {
      outstanding++;
      blockers.push(hasher.hash('Blocker-password-1').finally(() => outstanding--));
    };
    const response = login(gw.asUser(loginId), pin);
    // Two hashing and several waiting ahead of the check once it queues (~60 ms each).
    await until(async () => {
      while (outstanding < 8) block();
      return (await user(loginId)).attemptsInFlight > 0;
    }, 'the check to take its slot');
    await meanwhile();
    const result = await response;
    await Promise.all(blockers);
    return result;
  }

  it('failing: a check that waited for the hasher past half its lease answers RATE_LIMITED without evaluating or counting the guess', async () => {
    const { user, checksOf, events } = helpersFor(gw);
    const response = await whileQueued('user01', 'WrongPin1', () => gw.clock.advance((LEASE_SECONDS / 2 + 1) * 1000));
    expect(errorCode(response)).toBe('RATE_LIMITED');
    expect(response.body.errors![0].extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const after = await user('user01');
    expect({ failedAttempts: after.failedAttempts, attemptsInFlight: after.attemptsInFlight, checks: await checksOf('user01') }).toEqual({
      failedAttempts: 0,
      attemptsInFlight: 0,
      checks: 0,
    });
    expect(await events('user01', ['LOGIN_FAILED'])).toEqual([]);
  });

  it('failing: a right PIN still queued when the passwords are reset does not log in with the old password, and the counts stay at zero', async () => {
    const { user, checksOf } = helpersFor(gw);
    const { credentials, db } = gw.gateway.services;
    const target = await user('user02');
    const prepared = await credentials.prepareTemporaryPasswords();
    const response = await whileQueued('user02', gw.credentials('user02').loginPassword, () =>
      db.transaction((m) => credentials.applyTemporaryPasswords(m, target.id, prepared)),
    );
    expect(response.body.data?.login ?? null).toBeNull();
    expect(errorCode(response)).toBe('RATE_LIMITED');
    const after = await user('user02');
    expect({ failedAttempts: after.failedAttempts, attemptsInFlight: after.attemptsInFlight, checks: await checksOf('user02') }).toEqual({
      failedAttempts: 0,
      attemptsInFlight: 0,
      checks: 0,
    });
  });

  it('failing: a wrong PIN whose result cannot be recorded answers INTERNAL, not LOGIN_FAILED, and its slot comes back after the lease', async () => {
    const { db, user, checksOf, events } = helpersFor(gw);
    await db().query('ALTER TABLE audit_events RENAME TO audit_events_moved');
    let response: GraphqlResponse;
    try {
      response = await login(gw.asUser('admin01'), 'WrongPin1');
    } finally {
      await db().query('ALTER TABLE audit_events_moved RENAME TO audit_events');
    }
    expect(errorCode(response)).toBe('INTERNAL');
    expect(response.body.errors![0].extensions!.remainingAttempts).toBeUndefined();
    // Fail-closed until the lease runs out: the attempt is held, not yet given back.
    const held = await user('admin01');
    expect({ failedAttempts: held.failedAttempts, attemptsInFlight: held.attemptsInFlight }).toEqual({
      failedAttempts: 1,
      attemptsInFlight: 1,
    });

    gw.clock.advance((LEASE_SECONDS + 1) * 1000);
    const next = await login(gw.asUser('admin01'), 'WrongPin2');
    expect(errorCode(next)).toBe('LOGIN_FAILED');
    // The answer nobody saw is not counted: this is the first of six.
    expect(next.body.errors![0].extensions!.remainingAttempts).toBe(5);
    expect(await events('admin01', ['PASSWORD_CHECK_RECLAIMED'])).toHaveLength(1);
    const after = await user('admin01');
    expect({ failedAttempts: after.failedAttempts, attemptsInFlight: after.attemptsInFlight, checks: await checksOf('admin01') }).toEqual({
      failedAttempts: 1,
      attemptsInFlight: 0,
      checks: 0,
    });
  });
});
