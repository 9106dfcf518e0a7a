import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditAction } from '../../src/audit/audit-action';
import { systemActor } from '../../src/audit/audit-actor';
import { appendToArchive, archiveFileOf, checkArchive } from '../../src/audit/audit-archive';
import { auditEventLine } from '../../src/audit/audit-chain';
import { AuditChainHead } from '../../src/audit/audit-chain-head.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { AuditService } from '../../src/audit/audit.service';
import { addDays } from '../../src/common/clock';
import { Contract } from '../../src/contract/contract.entity';
import { login } from '../helpers/auth';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import type { LogEntry } from '../helpers/gateway-process';
import { capturingLogger } from '../helpers/logs';
import { sessionAs } from '../helpers/lifecycle';

const VERIFY = `query($c: Int) { verifyAuditChain(contractId: $c) {
  chain ok checkedEvents brokenAtEventId brokenAtSequence problem prunedThroughSequence prunedThroughHash archiveEndsAtAnchor } }`;
const RETENTION_DAYS = 30;
const PRUNE_SCRIPT = path.join(__dirname, '..', '..', 'dist', 'scripts', 'audit-archive.js');

/** Every line of an archive file, parsed. */
const archivedLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/**
 * AUDIT_RETENTION_DAYS: events past retention are written to the archive (JSON Lines per chain,
 * fsynced, with their hashes) and only then deleted; the chain's head keeps the anchor, so
 * verifyAuditChain still proves what remains, and the archive proves itself up to that anchor.
 */
describe('audit retention: archive first, then prune', () => {
  let gw: TestGateway;
  let archiveDir: string;
  let contractId: number;
  let contractChain: string;
  const db = () => gw.gateway.services.db.writableManager;
  const chainEvents = (chain: string) => db().find(AuditEvent, { where: { chain }, order: { sequence: 'ASC' } });
  const verify = async (operator: GraphqlClient, c: number | null) => (await operator.query(VERIFY, { c })).body.data.verifyAuditChain;

  /** Moves the gateway's clock past the retention of every event so far, and writes new ones (within it) on both chains. */
  async function agePastRetention(): Promise<GraphqlClient> {
    gw.clock.advanceDays(RETENTION_DAYS + 2);
    await sessionAs(gw, 'user01');
    await sessionAs(gw, 'user02');
    return sessionAs(gw, 'operator01');
  }

  beforeEach(async () => {
    archiveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-audit-archive-'));
    gw = await TestGateway.start({ AUDIT_RETENTION_DAYS: String(RETENTION_DAYS), AUDIT_ARCHIVE_DIR: archiveDir });
    contractId = (await db().findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    contractChain = `contract:${contractId}`;
    for (const id of ['user01', 'user02', 'admin01', 'operator01'] as const) await sessionAs(gw, id);
    await login(gw.asUser('user01'), 'WrongPin1');
  });
  afterEach(async () => {
    await gw.stop();
    fs.rmSync(archiveDir, { recursive: true, force: true });
  });

  it('successful: the scheduled run archives the events past retention with their hashes, prunes them, and both chains verify from their anchors', async () => {
    const old = { [contractChain]: await chainEvents(contractChain), bank: await chainEvents('bank') };
    const operator = await agePastRetention();
    expect(await verify(operator, contractId)).toMatchObject({ ok: true, prunedThroughSequence: 0, archiveEndsAtAnchor: null });

    await gw.gateway.services.scheduler.runDue();

    for (const [chain, c] of [
      [contractChain, contractId],
      ['bank', null],
    ] as const) {
      const archived = old[chain];
      expect(archived.length).toBeGreaterThan(chain === 'bank' ? 0 : 3);
      const file = archiveFileOf(archiveDir, chain);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      // Exactly the old events, oldest first, each as the audit-log download writes it.
      expect(archivedLines(file)).toEqual(archived.map((event) => JSON.parse(auditEventLine(event))));
      const remaining = await chainEvents(chain);
      expect(remaining.length).toBeGreaterThan(0);
      expect(remaining[0]).toMatchObject({ sequence: archived.length + 1, previousHash: archived.at(-1)!.hash });
      expect(await db().countBy(AuditEvent, { id: archived[0].id })).toBe(0);
      const archive = await checkArchive(file, gw.gateway.services.auditKey);
      expect(archive).toEqual({
        ok: true,
        chain,
        events: archived.length,
        sequence: archived.length,
        hash: archived.at(-1)!.hash,
        brokenAtLine: null,
        problem: null,
      });
      expect(await verify(operator, c)).toEqual({
        chain,
        ok: true,
        checkedEvents: (await chainEvents(chain)).length,
        brokenAtEventId: null,
        brokenAtSequence: null,
        problem: null,
        prunedThroughSequence: archive.sequence,
        prunedThroughHash: archive.hash,
        archiveEndsAtAnchor: true,
      });
    }
    // The administrator's export now starts after the anchor; a second run finds nothing to do.
    const admin = await sessionAs(gw, 'admin01');
    const exported = (await admin.download('/downloads/audit-log')).bytes
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(exported[0].sequence).toBe(old[contractChain].length + 1);
    expect(await gw.gateway.services.auditRetention.run()).toEqual({ archived: 0, pruned: 0, failed: 0 });
  });

  it('failing: after pruning, a remaining event edited or deleted — also the first one after the anchor — is still caught', async () => {
    const operator = await agePastRetention();
    await gw.gateway.services.auditRetention.run();
    const [first, second] = await chainEvents(contractChain);
    expect(second).toBeDefined();

    await db().update(AuditEvent, { id: second.id }, { detail: '{"reason":"nothing happened"}' });
    expect(await verify(operator, contractId)).toMatchObject({ ok: false, brokenAtEventId: second.id, brokenAtSequence: second.sequence });
    await db().update(AuditEvent, { id: second.id }, { detail: second.detail });
    expect(await verify(operator, contractId)).toMatchObject({ ok: true });

    await db().update(AuditEvent, { id: first.id }, { sourceAddress: '192.0.2.1' });
    expect(await verify(operator, contractId)).toMatchObject({ ok: false, brokenAtEventId: first.id, brokenAtSequence: first.sequence });
    await db().update(AuditEvent, { id: first.id }, { sourceAddress: first.sourceAddress });

    await db().delete(AuditEvent, { id: first.id });
    expect(await verify(operator, contractId)).toMatchObject({
      ok: false,
      brokenAtSequence: first.sequence,
      problem: expect.stringMatching(/missing/),
    });
  });

  it('failing: events deleted with the anchor moved over them but not archived are caught, and an archived line edited fails the archive’s check', async () => {
    const operator = await agePastRetention();
    await gw.gateway.services.auditRetention.run();
    const [first] = await chainEvents(contractChain);
    // Someone with the database prunes on by hand, without the archive: the chain alone would look whole.
    await db().update(
      AuditChainHead,
      { chain: contractChain },
      { prunedSequence: first.sequence!, prunedHash: first.hash!, prunedEventId: first.id },
    );
    await db().delete(AuditEvent, { id: first.id });
    expect(await verify(operator, contractId)).toMatchObject({
      ok: false,
      brokenAtSequence: first.sequence,
      archiveEndsAtAnchor: false,
      problem: expect.stringMatching(/archive/),
    });

    const file = archiveFileOf(archiveDir, contractChain);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1] = JSON.stringify({ ...JSON.parse(lines[1]), detail: '{"reason":"nothing happened"}' });
    fs.writeFileSync(file, lines.join('\n'));
    expect(await checkArchive(file, gw.gateway.services.auditKey)).toMatchObject({
      ok: false,
      events: 1,
      brokenAtLine: 2,
      problem: expect.stringMatching(/altered/),
    });
  });

  it('successful: a run that died after its archive was on disk but before deleting, then one that died mid-line, lose nothing and archive nothing twice', async () => {
    const old = await chainEvents(contractChain);
    const operator = await agePastRetention();
    const file = archiveFileOf(archiveDir, contractChain);
    // As runs that were killed leave it: three events archived and still in the database, then half a line.
    await appendToArchive(file, old.slice(0, 3));
    fs.appendFileSync(file, auditEventLine(old[3]).slice(0, 40));

    expect(await gw.gateway.services.auditRetention.run()).toMatchObject({ failed: 0 });

    expect(archivedLines(file).map((line) => line.sequence)).toEqual(old.map((event) => event.sequence));
    expect(await checkArchive(file, gw.gateway.services.auditKey)).toMatchObject({
      ok: true,
      sequence: old.length,
      hash: old.at(-1)!.hash,
    });
    expect(await verify(operator, contractId)).toMatchObject({ ok: true, prunedThroughSequence: old.length, archiveEndsAtAnchor: true });
  });

  it('failing: a chain another instance is pruning (it holds the lease) is left alone until that lease runs out', async () => {
    const old = await chainEvents(contractChain);
    const operator = await agePastRetention();
    const file = archiveFileOf(archiveDir, contractChain);
    await db().update(AuditChainHead, { chain: contractChain }, { pruneLeaseUntil: new Date(gw.clock.now().getTime() + 5 * 60_000) });

    await gw.gateway.services.auditRetention.run();
    expect(fs.existsSync(file)).toBe(false);
    expect((await chainEvents(contractChain))[0].sequence).toBe(1);
    expect(fs.existsSync(archiveFileOf(archiveDir, 'bank'))).toBe(true); // the other chains are not held up

    gw.clock.advanceMinutes(6);
    await gw.gateway.services.auditRetention.run();
    expect((await chainEvents(contractChain))[0].sequence).toBe(old.length + 1);
    expect(await verify(operator, contractId)).toMatchObject({ ok: true, prunedThroughSequence: old.length, archiveEndsAtAnchor: true });
  });

  it('successful: a pruning process killed midway, then two processes and this gateway at once, archive every event exactly once', async () => {
    // Contracts whose events are long past retention, by every instance's clock (two chains, 1,200 events each).
    const longAgo = new AuditService({ now: () => addDays(new Date(), -(RETENTION_DAYS + 10)) }, gw.gateway.services.auditKey);
    const chains = [9001, 9002];
    for (const c of chains) {
      for (let round = 0; round < 4; round++) {
        await gw.gateway.services.db.transaction(async (m) => {
          for (let i = 0; i < 300; i++) await longAgo.record(m, systemActor(c), { action: AuditAction.LOGIN, detail: { round, i } });
        });
      }
    }
    const prune = () => {
      const child = spawn(process.execPath, [PRUNE_SCRIPT, 'prune'], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: gw.databaseUrl,
          AUDIT_RETENTION_DAYS: String(RETENTION_DAYS),
          AUDIT_ARCHIVE_DIR: archiveDir,
          AUDIT_CHAIN_KEY_PATH: gw.config.audit.chainKeyPath,
          LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      });
      return { child, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
    };

    // Killed once its first archived events show in the file: between writing, fsyncing and deleting.
    const doomed = prune();
    const first = archiveFileOf(archiveDir, 'contract:9001');
    const written = () => fs.existsSync(first) && fs.statSync(first).size > 0;
    while (!written() && doomed.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 1));
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    gw.clock.advanceMinutes(11); // its lease on the chain it held runs out

    const [a, b] = [prune(), prune()];
    const here = await gw.gateway.services.auditRetention.run();
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
    expect(here.failed).toBe(0);

    const operator = await sessionAs(gw, 'operator01');
    for (const c of chains) {
      const file = archiveFileOf(archiveDir, `contract:${c}`);
      expect(archivedLines(file).map((line) => line.sequence)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
      const archive = await checkArchive(file, gw.gateway.services.auditKey);
      expect(archive).toMatchObject({ ok: true, events: 1200 });
      expect(await db().countBy(AuditEvent, { chain: `contract:${c}` })).toBe(0);
      expect(await verify(operator, c)).toMatchObject({
        ok: true,
        checkedEvents: 0,
        prunedThroughSequence: 1200,
        prunedThroughHash: archive.hash,
        archiveEndsAtAnchor: true,
      });
      expect(await db().findOneByOrFail(AuditChainHead, { chain: `contract:${c}` })).toMatchObject({ pruneLeaseUntil: null });
    }
  });
});

/**
 * Whoever can write in AUDIT_ARCHIVE_DIR could plant a link where a chain's file goes and have
 * retention append to, or cut short, a file elsewhere: such a folder or file is refused, logged, and
 * nothing is pruned that was not archived.
 */
describe('audit retention: an archive folder others can write in, or a planted link, is refused', () => {
  let gw: TestGateway;
  let archiveDir: string;
  let entries: LogEntry[];
  let contractChain: string;
  const db = () => gw.gateway.services.db.writableManager;

  beforeEach(async () => {
    archiveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-audit-archive-'));
    const capture = capturingLogger();
    entries = capture.entries;
    gw = await TestGateway.start(
      { AUDIT_RETENTION_DAYS: String(RETENTION_DAYS), AUDIT_ARCHIVE_DIR: archiveDir },
      { logger: capture.logger },
    );
    contractChain = `contract:${(await db().findOneByOrFail(Contract, { code: 'DEMO0001' })).id}`;
    await sessionAs(gw, 'user01');
    gw.clock.advanceDays(RETENTION_DAYS + 2);
  });
  afterEach(async () => {
    await gw.stop();
    fs.rmSync(archiveDir, { recursive: true, force: true });
  });

  it.each([
    ['writable by others', 0o777],
    ['writable by its group', 0o770],
  ])('failing: an archive folder %s is refused with a clear log line; nothing is archived or pruned', async (_name, mode) => {
    fs.chmodSync(archiveDir, mode);
    const before = await db().count(AuditEvent);
    const run = await gw.gateway.services.auditRetention.run();
    expect(run).toMatchObject({ archived: 0, pruned: 0 });
    expect(run.failed).toBeGreaterThan(0);
    expect(await db().count(AuditEvent)).toBe(before);
    expect(fs.readdirSync(archiveDir)).toEqual([]);
    const line = entries.find((entry) => entry.msg === 'audit retention refused the archive folder');
    expect(line).toMatchObject({ archiveDir, err: { message: expect.stringMatching(/writable by group or others \(mode 07[70]{2}\)/) } });
  });

  it('failing: a symbolic link planted where a chain’s archive goes is not followed; the file it points to is untouched and the chain is not pruned', async () => {
    const victim = path.join(gw.dir, 'victim.txt');
    fs.writeFileSync(victim, ''); // empty, as a fresh archive file would be
    fs.symlinkSync(victim, archiveFileOf(archiveDir, contractChain));
    const before = await db().countBy(AuditEvent, { chain: contractChain });

    const run = await gw.gateway.services.auditRetention.run();
    expect(run.failed).toBe(1);
    expect(fs.readFileSync(victim, 'utf8')).toBe('');
    expect(await db().countBy(AuditEvent, { chain: contractChain })).toBe(before);
    const line = entries.find((entry) => entry.msg === 'audit retention refused the archive folder');
    expect(line).toMatchObject({
      chain: contractChain,
      err: { message: expect.stringMatching(/symbolic link or not a plain file: refused/) },
    });
  });
});
