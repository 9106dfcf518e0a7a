import { performance } from 'node:perf_hooks';
import { Account } from '../../src/banking/accounts/account.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { Contract } from '../../src/contract/contract.entity';
import { Certificate } from '../../src/pki/certificate.entity';
import { User } from '../../src/users/user.entity';
import { login } from '../helpers/auth';
import { atBusinessMorning, CREATE_TRANSFER, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { testEngine } from '../helpers/database';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { giveConsent, operatorOf, partnerApi, registerPartner, type Consent, type TestPartner } from '../helpers/partners';
import { sessionOn } from '../helpers/races';

const STATEMENT = 'query($a: Int!) { statement(accountId: $a, first: 5) { items { id } } }';
const REVOKE_GRANT = 'mutation($id: Int!, $pw: String!) { revokePartnerGrant(grantId: $id, confirmationPassword: $pw) { id } }';
const STOP = 'mutation { emergencyStop(reason: "PC infected") { status } }';
const RESUME_CONTRACT =
  'mutation($id: Int!, $pw: String!) { resumeContract(contractId: $id, note: "checked with the customer", confirmationPassword: $pw) { status } }';
const REVOKE_CERTIFICATE = 'mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "PC lost") { status } }';

/** One partner request of a stream: when it left and came back (performance.now()), and what it came to. */
interface Shot {
  sentAt: number;
  doneAt: number;
  outcome: string;
}

const outcomeOf = (response: GraphqlResponse): string => errorCode(response) ?? 'OK';

/**
 * Issue 20: the invariants of DESIGN §6 hold for partner calls with two gateway instances on one
 * database (the in-process gateway A and a second process B, one public origin as behind a load
 * balancer). A lock, an emergency stop, a certificate's or a consent's revocation committed on one
 * instance refuses every partner request sent after it, on either; concurrent partner orders never
 * reserve beyond the person's daily limit.
 */
describe('partner calls on two gateway instances: lock, stop, revocation and limits hold', () => {
  let gw: TestGateway;
  let second: GatewayProcess;
  let partner: TestPartner & { id: number };
  let contractId: number;
  let user01Id: number;
  let chosen: number;
  const pw = (loginId: 'user01' | 'admin01' | 'operator01') => gw.credentials(loginId).confirmationPassword;
  const env = { TRANSFER_CUTOFF: 'none', PARTNER_REQUESTS_PER_MINUTE: '100000' };

  beforeAll(async () => {
    gw = await TestGateway.start(env);
    // One business day for both instances (B shares the clock): the day's limit is not split by midnight.
    atBusinessMorning(gw);
    // B serves the same public origin: a token is for `<origin>/graphql` whichever instance answers.
    second = await GatewayProcess.start(gw, { env: { ...env, PUBLIC_API_URL: gw.apiOrigin } });
    partner = await registerPartner(gw, { name: 'freee' });
    const db = gw.gateway.services.db.writableManager;
    contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    user01Id = (await db.findOneByOrFail(User, { loginId: 'user01' })).id;
    chosen = (await db.findOneByOrFail(Account, { contractId, accountNumber: '1234567' })).id;
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  /** user01 consents (signed in on A) to the partner for 本店 普通 1234567. */
  async function consent(): Promise<Consent> {
    const [session] = await sessionOn(gw, 'user01', [gw.apiOrigin]);
    return giveConsent(
      gw,
      partner,
      { session, identity: gw.demoIdentity('user01'), confirmationPassword: pw('user01') },
      { accountIds: [chosen] },
    );
  }

  /** `perInstance` connections of the partner to each of the given instances. */
  function partnerConnections(token: string, origins: string[], perInstance = 4): GraphqlClient[] {
    return origins.flatMap((origin) => Array.from({ length: perInstance }, () => partnerApi(gw, partner, token, origin)));
  }

  /**
   * Every connection sends partner requests one after another (alternately a statement read and a
   * small transfer) until 1.5 s after `change` has returned, that is after it was committed;
   * `change` starts once each connection has been served.
   */
  async function streamAcross(clients: GraphqlClient[], change: () => Promise<void>): Promise<{ shots: Shot[]; committedAt: number }> {
    const shots: Shot[] = [];
    let committedAt = Infinity;
    const served = new Set<number>();
    let allServed!: () => void;
    const ready = new Promise<void>((resolve) => (allServed = resolve));
    // A stream that never gets going is a failure, not a hang.
    const giveUpAt = performance.now() + 30_000;
    const loops = clients.map(async (client, index) => {
      for (let i = 0; performance.now() < Math.min(committedAt + 1_500, giveUpAt); i++) {
        const sentAt = performance.now();
        const response =
          i % 2 === 0
            ? await client.query(STATEMENT, { a: chosen })
            : await client.query(CREATE_TRANSFER, { input: transferInput(chosen, 100), pw: '' });
        shots.push({ sentAt, doneAt: performance.now(), outcome: outcomeOf(response) });
        if (outcomeOf(response) === 'OK' && !served.has(index)) {
          served.add(index);
          if (served.size === clients.length) allServed();
        }
      }
    });
    await Promise.race([
      ready,
      Promise.all(loops).then(() => {
        throw new Error(`only ${served.size} of ${clients.length} connections were served: ${JSON.stringify(shots.slice(0, 5))}`);
      }),
    ]);
    await change();
    committedAt = performance.now();
    await Promise.all(loops);
    return { shots, committedAt };
  }

  /**
   * Served before the change began; every request sent after it was committed refused with
   * `refusal`; those in between one or the other. A SQLite file two processes keep writing may
   * also answer SERVICE_UNAVAILABLE (503, try again: nothing was done); never anything else.
   */
  function expectRefusedFromCommit(shots: Shot[], committedAt: number, changeStartedAt: number, refusal: string): void {
    const busy = testEngine === 'sqlite' ? 'SERVICE_UNAVAILABLE' : 'OK';
    const outcomes = (of: Shot[]) => new Set(of.map((shot) => shot.outcome));
    expect([...outcomes(shots)].filter((outcome) => ![refusal, 'OK', busy].includes(outcome))).toEqual([]);
    const before = shots.filter((shot) => shot.doneAt < changeStartedAt);
    const after = shots.filter((shot) => shot.sentAt > committedAt);
    expect(before.filter((shot) => shot.outcome === 'OK').length).toBeGreaterThan(0);
    expect(outcomes(before).has(refusal)).toBe(false);
    expect(after.filter((shot) => shot.outcome === refusal).length).toBeGreaterThanOrEqual(8);
    expect(outcomes(after).has('OK')).toBe(false);
  }

  it('(b) concurrent partner orders on both instances never reserve beyond the person’s daily limit', async () => {
    const { accessToken } = await consent();
    const clients = partnerConnections(accessToken, [gw.apiOrigin, second.apiOrigin], 6);
    const amount = 100_000;
    const KEYED =
      'mutation($i: CreateTransferInput!, $k: String) { createTransfer(input: $i, confirmationPassword: "", idempotencyKey: $k) { id status } }';
    /** As a partner's client does: a 503 (a busy SQLite file; nothing was done) is sent again, with the same idempotency key. */
    const order = async (client: GraphqlClient, key: string): Promise<GraphqlResponse> => {
      for (;;) {
        const response = await client.query(KEYED, { i: transferInput(chosen, amount), k: key });
        if (errorCode(response) !== 'SERVICE_UNAVAILABLE') return response;
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 50));
      }
    };
    try {
      // 40 × ¥100,000 against user01's ¥3,000,000 a day: 30 fit.
      const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => order(clients[i % clients.length], `limit-${i}`)));
      const outcomes = responses.reduce<Record<string, number>>((acc, r) => {
        const key = errorCode(r) ?? r.body.data.createTransfer.status;
        return { ...acc, [key]: (acc[key] ?? 0) + 1 };
      }, {});
      expect(outcomes).toEqual({ PENDING_APPROVAL: 30, LIMIT_EXCEEDED: 10 });
      const db = gw.gateway.services.db.writableManager;
      const usage = await db.findBy(LimitUsage, { scopeKey: `user:${user01Id}` });
      const user01 = await db.findOneByOrFail(User, { id: user01Id });
      for (const day of usage) expect(day.used).toBeLessThanOrEqual(user01.dailyTransferLimit);
      const made = await db.findBy(Transfer, { makerUserId: user01Id, amount });
      expect(made).toHaveLength(30);
      expect(usage.reduce((sum, day) => sum + day.used, 0)).toBe(30 * amount);
    } finally {
      // The streams below make small orders; the limit is not what they test.
      await gw.gateway.services.db.transaction((m) => m.update(User, { id: user01Id }, { dailyTransferLimit: 1_000_000_000 }));
    }
  });

  it('(c) a consent revoked on instance A refuses the partner’s requests on instance B from then on', async () => {
    const { accessToken, grant } = await consent();
    const [session] = await sessionOn(gw, 'user01', [gw.apiOrigin]);
    let changeStartedAt = 0;
    const { shots, committedAt } = await streamAcross(partnerConnections(accessToken, [second.apiOrigin]), async () => {
      changeStartedAt = performance.now();
      expect((await session.query(REVOKE_GRANT, { id: grant.id, pw: pw('user01') })).body.errors).toBeUndefined();
    });
    expectRefusedFromCommit(shots, committedAt, changeStartedAt, 'UNAUTHENTICATED');
  });

  it('(a) the person locked on instance B: no partner request succeeds after the lock, on either instance', async () => {
    const { accessToken } = await consent();
    const customer = gw.withCertificate(gw.demoIdentity('user01'), second.apiOrigin);
    let changeStartedAt = 0;
    try {
      const { shots, committedAt } = await streamAcross(partnerConnections(accessToken, [gw.apiOrigin, second.apiOrigin]), async () => {
        changeStartedAt = performance.now();
        let code: string | undefined;
        for (let attempt = 0; attempt < 10 && code !== 'ACCOUNT_LOCKED'; attempt++) code = errorCode(await login(customer, 'wrong-pin-0'));
        expect(code).toBe('ACCOUNT_LOCKED');
      });
      expectRefusedFromCommit(shots, committedAt, changeStartedAt, 'ACCOUNT_LOCKED');
    } finally {
      // A password reset would unlock too, but would change the demo passwords the other tests use.
      await gw.gateway.services.db.transaction((m) => m.update(User, { id: user01Id }, { lockedAt: null, failedAttempts: 0 }));
    }
  });

  it('(a) the contract stopped on instance B: no partner request succeeds after the stop, on either instance', async () => {
    const { accessToken } = await consent();
    const [admin] = await sessionOn(gw, 'admin01', [second.apiOrigin]);
    let changeStartedAt = 0;
    try {
      const { shots, committedAt } = await streamAcross(partnerConnections(accessToken, [gw.apiOrigin, second.apiOrigin]), async () => {
        changeStartedAt = performance.now();
        expect((await admin.query(STOP)).body.data.emergencyStop.status).toBe('STOPPED');
      });
      expectRefusedFromCommit(shots, committedAt, changeStartedAt, 'CONTRACT_STOPPED');
    } finally {
      const operator = await operatorOf(gw);
      expect((await operator.query(RESUME_CONTRACT, { id: contractId, pw: pw('operator01') })).body.errors).toBeUndefined();
    }
  });

  // Last: user01's certificate stays revoked.
  it('(a) the consenting certificate revoked on instance B: no partner request succeeds after the revocation, on either instance', async () => {
    const { accessToken } = await consent();
    const [admin] = await sessionOn(gw, 'admin01', [second.apiOrigin]);
    const certificate = await gw.gateway.services.db.writableManager.findOneOrFail(Certificate, {
      where: { userId: user01Id },
      order: { id: 'DESC' },
    });
    let changeStartedAt = 0;
    const { shots, committedAt } = await streamAcross(partnerConnections(accessToken, [gw.apiOrigin, second.apiOrigin]), async () => {
      changeStartedAt = performance.now();
      expect((await admin.query(REVOKE_CERTIFICATE, { id: certificate.id })).body.errors).toBeUndefined();
    });
    expectRefusedFromCommit(shots, committedAt, changeStartedAt, 'UNAUTHENTICATED');
  });
});

describe('the partner rate limit across two gateway instances', () => {
  let gw: TestGateway;
  let second: GatewayProcess;
  const env = { TRANSFER_CUTOFF: 'none', PARTNER_REQUESTS_PER_MINUTE: '20' };

  beforeAll(async () => {
    gw = await TestGateway.start(env);
    second = await GatewayProcess.start(gw, { env: { ...env, PUBLIC_API_URL: gw.apiOrigin } });
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  it('lets exactly PARTNER_REQUESTS_PER_MINUTE of 60 concurrent requests through, whichever instance each reaches', async () => {
    const partner = await registerPartner(gw, { name: 'busy' });
    const db = gw.gateway.services.db.writableManager;
    const contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    const account = (await db.findOneByOrFail(Account, { contractId, accountNumber: '1234567' })).id;
    const [session] = await sessionOn(gw, 'user01', [gw.apiOrigin]);
    const { accessToken } = await giveConsent(
      gw,
      partner,
      { session, identity: gw.demoIdentity('user01'), confirmationPassword: gw.credentials('user01').confirmationPassword },
      { accountIds: [account] },
    );
    const clients = [gw.apiOrigin, second.apiOrigin].flatMap((origin) =>
      Array.from({ length: 6 }, () => partnerApi(gw, partner, accessToken, origin)),
    );
    // A 503 (a busy SQLite file) took no slot and is sent again, as a partner's client would.
    const read = async (client: GraphqlClient): Promise<GraphqlResponse> => {
      for (;;) {
        const response = await client.query(STATEMENT, { a: account });
        if (errorCode(response) !== 'SERVICE_UNAVAILABLE') return response;
      }
    };
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => read(clients[i % clients.length])));
    const outcomes = responses.reduce<Record<string, number>>((acc, r) => ({ ...acc, [outcomeOf(r)]: (acc[outcomeOf(r)] ?? 0) + 1 }), {});
    expect(outcomes).toEqual({ OK: 20, RATE_LIMITED: 40 });
    expect(new Set(responses.filter((r) => errorCode(r) === 'RATE_LIMITED').map((r) => r.status))).toEqual(new Set([429]));
  });
});
