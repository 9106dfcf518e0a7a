import { setTimeout as sleep } from 'node:timers/promises';
import { AuditAction } from '../../src/audit/audit-action';
import { systemActor } from '../../src/audit/audit-actor';
import { chainOf, eventHash, GENESIS_HASH, unkeyedEventHash, type ChainedFields } from '../../src/audit/audit-chain';
import { AuditChainHead } from '../../src/audit/audit-chain-head.entity';
import { AuditEvent, AuditOutcome } from '../../src/audit/audit-event.entity';
import { Contract } from '../../src/contract/contract.entity';
import { fillerAuditEvent } from '../helpers/audit';
import { login } from '../helpers/auth';
import type { GraphqlClient, GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { sessionAs } from '../helpers/lifecycle';

const VERIFY = 'query($c: Int) { verifyAuditChain(contractId: $c) { chain ok checkedEvents brokenAtEventId brokenAtSequence problem } }';

/** DESIGN.md §7: the audit is tamper-evident — each contract's events, and the bank's, form a hash chain. */
describe('tamper-evident audit', () => {
  let gw: TestGateway;
  let operator: GraphqlClient;
  let contractId: number;
  const db = () => gw.gateway.services.db.writableManager;
  const verify = async (c: number | null = contractId) => (await operator.query(VERIFY, { c })).body.data.verifyAuditChain;
  const chainEvents = () => db().find(AuditEvent, { where: { contractId }, order: { sequence: 'ASC' } });

  beforeEach(async () => {
    gw = await TestGateway.start();
    operator = await sessionAs(gw, 'operator01');
    contractId = (await db().findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    for (const id of ['user01', 'user02', 'admin01'] as const) await sessionAs(gw, id);
    await login(gw.asUser('user01'), 'WrongPin1');
  });
  afterEach(() => gw.stop());

  it('successful: an untouched chain verifies, for a contract and for the bank', async () => {
    const events = await chainEvents();
    expect(events.length).toBeGreaterThan(3);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(await verify()).toMatchObject({ chain: `contract:${contractId}`, ok: true, checkedEvents: events.length, problem: null });
    expect(await verify(null)).toMatchObject({ chain: 'bank', ok: true });
  });

  it('failing: an event edited in the database is caught at that event', async () => {
    const [, second] = await chainEvents();
    await db().update(AuditEvent, { id: second.id }, { detail: '{"reason":"nothing happened"}' });
    expect(await verify()).toMatchObject({ ok: false, brokenAtEventId: second.id, brokenAtSequence: 2, checkedEvents: 1 });
  });

  it('failing: an event deleted from the middle, or the newest one, is caught', async () => {
    const events = await chainEvents();
    await db().delete(AuditEvent, { id: events[1].id });
    expect(await verify()).toMatchObject({ ok: false, brokenAtSequence: 2, problem: expect.stringMatching(/missing/) });
    await db().insert(AuditEvent, events[1]); // put it back as it was: the chain is whole again
    expect(await verify()).toMatchObject({ ok: true });
    await db().delete(AuditEvent, { id: events.at(-1)!.id });
    expect(await verify()).toMatchObject({ ok: false, brokenAtSequence: events.length, problem: expect.stringMatching(/newest/) });
  });

  it('failing: the newest event deleted and the head rolled back to the one before is caught, by the checkpoint the scheduler or a verification left outside the database', async () => {
    // The scheduler's run checkpoints every chain's head; a verification that passes does too.
    await gw.gateway.services.scheduler.runDue();
    for (const checkpointedBy of ['the scheduler', 'a verification'] as const) {
      const events = await chainEvents();
      const [before, newest] = events.slice(-2);
      await db().delete(AuditEvent, { id: newest.id });
      await db().update(AuditChainHead, { chain: chainOf(contractId) }, { sequence: before.sequence!, hash: before.hash! });
      expect({ checkpointedBy, ...(await verify()) }).toMatchObject({
        checkpointedBy,
        ok: false,
        brokenAtSequence: newest.sequence,
        problem: expect.stringMatching(
          new RegExp(`after place ${before.sequence} are missing .*checkpoint .* up to place ${newest.sequence}`),
        ),
      });
      // Put back as it was, the chain verifies (and that verification checkpoints the head).
      await db().insert(AuditEvent, newest);
      await db().update(AuditChainHead, { chain: chainOf(contractId) }, { sequence: newest.sequence!, hash: newest.hash! });
      expect(await verify()).toMatchObject({ ok: true });
      await login(gw.asUser('user01'), 'WrongPin1'); // a newer event for the next round
      expect(await verify()).toMatchObject({ ok: true });
    }
    // Cut back and written on since: the scheduler does not move the checkpoint over the gap.
    const [before, newest] = (await chainEvents()).slice(-2);
    await db().delete(AuditEvent, { id: newest.id });
    await db().update(AuditChainHead, { chain: chainOf(contractId) }, { sequence: before.sequence!, hash: before.hash! });
    for (let i = 0; i < 2; i++) {
      await login(gw.asUser('user01'), 'WrongPin1');
      await gw.gateway.services.scheduler.runDue();
    }
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAtSequence: newest.sequence,
      problem: expect.stringMatching(/not the one the checkpoint .* saw there/),
    });
  });

  it('failing: an event edited with every later hash recomputed, as anyone without the audit key can, is caught; so is passing the chain off as unkeyed', async () => {
    const events = await chainEvents();
    const chain = chainOf(contractId);
    /** What someone with the database but not the key can do: edit, then re-link every later event and the head. */
    const rewrite = async (hashOf: (fields: ChainedFields) => string) => {
      let previousHash = events[0].hash!;
      for (const event of events.slice(1)) {
        const fields = { ...event, detail: event.id === events[1].id ? '{"reason":"nothing happened"}' : event.detail };
        const link = { ...fields, chain, sequence: event.sequence!, previousHash };
        const hash = hashOf(link);
        await db().update(AuditEvent, { id: event.id }, { detail: link.detail, previousHash, hash });
        previousHash = hash;
      }
      await db().update(AuditChainHead, { chain }, { sequence: events.at(-1)!.sequence!, hash: previousHash });
    };
    await rewrite(unkeyedEventHash);
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAtEventId: events[1].id,
      brokenAtSequence: 2,
      problem: expect.stringMatching(/altered/),
    });
    await rewrite((fields) => eventHash(fields, Buffer.from('a guess at the audit key, long enough to be one')));
    expect(await verify()).toMatchObject({ ok: false, brokenAtEventId: events[1].id, problem: expect.stringMatching(/altered/) });
    // Moving the seal's boundary past the end, so that every event would be checked unkeyed.
    await rewrite(unkeyedEventHash);
    await db().update(AuditChainHead, { chain }, { keyedFromSequence: events.length + 1, keyedFromHash: events.at(-1)!.hash! });
    expect(await verify()).toMatchObject({ ok: false, problem: expect.stringMatching(/seal does not match/) });
    await db().update(AuditChainHead, { chain }, { seal: null });
    expect(await verify()).toMatchObject({ ok: false, problem: expect.stringMatching(/no seal of the audit key/) });
  });

  it('successful: a chain written before the audit key (unkeyed, no seal) is sealed at start and verifies; from then on its unkeyed events cannot be rewritten either', async () => {
    const legacyContract = 9100;
    const chain = chainOf(legacyContract);
    const legacy: AuditEvent[] = [];
    let previousHash = GENESIS_HASH;
    for (let sequence = 1; sequence <= 5; sequence++) {
      const link = {
        occurredAt: new Date(),
        action: AuditAction.LOGIN,
        outcome: AuditOutcome.SUCCESS,
        contractId: legacyContract,
        actorUserId: null,
        actorLoginId: 'legacy01',
        certificateFingerprint: null,
        targetType: null,
        targetId: null,
        sourceAddress: '127.0.0.1',
        detail: JSON.stringify({ sequence }),
        chain,
        sequence,
        previousHash,
      };
      previousHash = unkeyedEventHash(link);
      legacy.push(await db().save(db().create(AuditEvent, { ...link, hash: previousHash })));
    }
    await db().insert(AuditChainHead, { chain, sequence: 5, hash: previousHash });
    expect(await verify(legacyContract)).toMatchObject({ ok: false, problem: expect.stringMatching(/no seal/) });

    expect(await gw.gateway.services.audit.sealUnsealedChains(gw.gateway.services.db)).toBe(1); // what a start does
    expect(await verify(legacyContract)).toMatchObject({ ok: true, checkedEvents: 5 });
    await gw.gateway.services.db.transaction((m) =>
      gw.gateway.services.audit.record(m, systemActor(legacyContract), { action: AuditAction.LOGIN, detail: { keyed: true } }),
    );
    expect(await verify(legacyContract)).toMatchObject({ ok: true, checkedEvents: 6 });

    // The unkeyed part rewritten consistently, as it could be before the key: the first keyed event no longer follows.
    let relinked = GENESIS_HASH;
    for (const event of legacy) {
      const detail = event.sequence === 2 ? '{"sequence":"nothing happened"}' : event.detail;
      const hash = unkeyedEventHash({ ...event, detail, chain, sequence: event.sequence!, previousHash: relinked });
      await db().update(AuditEvent, { id: event.id }, { detail, previousHash: relinked, hash });
      relinked = hash;
    }
    expect(await verify(legacyContract)).toMatchObject({
      ok: false,
      brokenAtSequence: 6,
      problem: expect.stringMatching(/does not follow/),
    });
  });

  it('failing: an event taken out of the chain (its chain columns cleared) is caught', async () => {
    const events = await chainEvents();
    const last = events.at(-1)!;
    await db().update(AuditEvent, { id: last.id }, { chain: null, sequence: null, previousHash: null, hash: null });
    expect(await verify()).toMatchObject({ ok: false });
  });

  it('successful: 60 audited requests at once, on two gateway processes, make one unbroken chain', async () => {
    const other = await GatewayProcess.start(gw);
    try {
      const here = (id: 'user01' | 'user02' | 'admin01') => gw.asUser(id);
      const there = (id: 'user01' | 'user02' | 'admin01') => gw.withCertificate(gw.demoIdentity(id), other.apiOrigin);
      const pins = {
        user01: gw.credentials('user01').loginPassword,
        user02: gw.credentials('user02').loginPassword,
        admin01: gw.credentials('admin01').loginPassword,
      };
      const requests = Array.from({ length: 60 }, (_, i) => {
        const id = (['user01', 'user02', 'admin01'] as const)[i % 3];
        return login(i % 2 ? here(id) : there(id), pins[id]);
      });
      const answers = await Promise.all(requests);
      // Busy users may be asked to retry (RATE_LIMITED); no writer may fail on the chain itself.
      expect(answers.flatMap((a) => (a.body.errors ?? []).map((e) => e.extensions?.code))).not.toContain('INTERNAL');
      // A user's checks run at most 6 at a time on both instances together, so most of a user's 20
      // arrive while all 6 are busy and are turned away at once: a dozen or more successful logins
      // still write the chain at once.
      expect(answers.filter((a) => a.body.data?.login?.token).length).toBeGreaterThanOrEqual(12);
      const events = await chainEvents();
      expect(new Set(events.map((e) => e.sequence)).size).toBe(events.length);
      expect(await verify()).toMatchObject({ ok: true, checkedEvents: events.length });
    } finally {
      await other.kill();
    }
  });

  it('successful: the export holds every event of the contract with its chain fields, and each line checks out offline', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const exported = await admin.download('/downloads/audit-log');
    expect(exported.status).toBe(200);
    const lines = exported.bytes
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    // Read after the download: the export records itself first, so it is the file's last event.
    const events = await db().find(AuditEvent, { where: { contractId }, order: { id: 'ASC' } });
    expect(lines.map((l) => l.id)).toEqual(events.map((e) => e.id));
    expect(lines.at(-1)).toMatchObject({ action: AuditAction.AUDIT_LOG_DOWNLOADED, actorLoginId: 'admin01' });
    for (const line of lines) {
      const { chain, sequence, previousHash, hash, ...fields } = line;
      expect(
        eventHash({ ...fields, occurredAt: new Date(fields.occurredAt), chain, sequence, previousHash }, gw.gateway.services.auditKey),
      ).toBe(hash);
    }
    // An administrator exports only their own contract.
    const other = await admin.download(`/downloads/audit-log?contractId=${contractId + 1000}`);
    expect(other.status).toBe(403);
    expect(JSON.parse(other.bytes.toString('utf8')).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  /** Appends `count` correctly chained events to the contract's chain, as AuditService would, in batches. */
  async function extendChain(count: number): Promise<void> {
    const chain = chainOf(contractId);
    let head = await db().findOneByOrFail(AuditChainHead, { chain });
    const from = head.sequence;
    for (let done = 0; done < count;) {
      const batch = [];
      for (const end = Math.min(count, done + 500); done < end; done++) {
        const link = {
          ...fillerAuditEvent(contractId, done),
          chain,
          sequence: head.sequence + 1,
          previousHash: head.hash,
        };
        const hash = eventHash(link, gw.gateway.services.auditKey);
        batch.push({ ...link, hash });
        head = { ...head, sequence: link.sequence, hash };
      }
      await db().createQueryBuilder().insert().into(AuditEvent).values(batch).updateEntity(false).execute();
    }
    await db().update(AuditChainHead, { chain, sequence: from }, { sequence: head.sequence, hash: head.hash });
  }

  it('successful: a log of 10,000 events exports and verifies whole, a page at a time, answering other requests between the pages', async () => {
    await extendChain(10_000);
    const admin = await sessionAs(gw, 'admin01');
    const user = gw.asUser('user01');
    await user.query('{ whoami { loginId } }'); // its connection is open before the export starts
    const events = await db().find(AuditEvent, { select: { id: true }, where: { contractId }, order: { id: 'ASC' } });
    const exportIds = async () => {
      const exported = await admin.download('/downloads/audit-log');
      return exported.bytes
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line: string) => JSON.parse(line).id);
    };
    for (const [name, asked] of [
      ['export', exportIds],
      ['verify', () => operator.query(VERIFY, { c: contractId })],
    ] as const) {
      const finished: string[] = [];
      const long = (asked as () => Promise<unknown>)().then((answer) => (finished.push(name), answer));
      // Asked while the long read is under way: on SQLite a read that never let go of the event
      // loop would hold this timer (and the request) until its end.
      await sleep(20);
      const whoami = await user.query('{ whoami { loginId } }');
      finished.push('whoami');
      expect(whoami.body.data.whoami.loginId).toBe('user01');
      const answer = await long;
      expect(finished).toEqual(['whoami', name]);
      // The export also holds its own audit event, written before the first page is read.
      if (name === 'export') expect((answer as number[]).slice(0, -1)).toEqual(events.map((e) => e.id));
      else expect((answer as GraphqlResponse).body.data.verifyAuditChain).toMatchObject({ ok: true, checkedEvents: events.length + 1 });
    }
  });

  it('successful: events written while a long chain is being checked are followed to the head, not taken for deleted ones', async () => {
    await extendChain(10_000);
    const user02 = gw.asUser('user02');
    await user02.query('{ whoami { loginId } }');
    const checking = operator.query(VERIFY, { c: contractId });
    await sleep(20);
    // Audited while the check is under way: each login moves the contract's chain and its head.
    for (let i = 0; i < 3; i++) expect((await login(user02, gw.credentials('user02').loginPassword)).body.data.login.token).toBeTruthy();
    const during = (await checking).body.data.verifyAuditChain;
    const events = await chainEvents();
    expect(during).toMatchObject({ ok: true, problem: null });
    expect(during.checkedEvents).toBeGreaterThan(10_000);
    expect(during.checkedEvents).toBeLessThanOrEqual(events.length);
    // A head beyond its events is still a deletion.
    await db().delete(AuditEvent, { id: events.at(-1)!.id });
    expect(await verify()).toMatchObject({ ok: false, brokenAtSequence: events.length, problem: expect.stringMatching(/newest/) });
  });
});
