import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditAction } from '../../src/audit/audit-action';
import { systemClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config';
import { Notice, NoticeStatus } from '../../src/notices/notice.entity';
import { LINK_PATTERN } from '../../src/notices/notice-text';
import { loadPkiMaterial } from '../../src/pki/pki-material';
import { User } from '../../src/users/user.entity';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { TestSmtpServer } from '../helpers/smtp';

/**
 * DESIGN.md §6.11: every notice is sent exactly once, even across crashes. Two gateway processes
 * on one database (MariaDB with TEST_DATABASE_URL) send the outbox to a real SMTP server; the
 * first is SIGKILLed while the server holds back its answer to one message of the batch, and the
 * second takes over once that row's lease has run out.
 */
const NOTICES = 10;
const LEASE_SECONDS = 60;

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the outbox across a SIGKILLed sender', () => {
  const pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-smtp-pki-'));
  const smtpPki = loadPkiMaterial(loadConfig({ CERTS_DIR: pkiDir }), systemClock);
  let smtp: TestSmtpServer;
  let gw: TestGateway;
  const processes: GatewayProcess[] = [];

  beforeAll(async () => {
    smtp = await TestSmtpServer.start({ key: smtpPki.serverPrivateKeyPem, cert: smtpPki.serverCertificatePem });
    // The in-process gateway writes notices and never sends them: only the processes do.
    gw = await TestGateway.start({ NOTICE_SEND_INTERVAL_SECONDS: '0', TRANSFER_CUTOFF: 'none' });
  });
  afterAll(async () => {
    for (const process of processes) await process.kill();
    await gw?.stop();
    await smtp?.close();
    fs.rmSync(pkiDir, { recursive: true, force: true });
  });

  const sender = async () => {
    const started = await GatewayProcess.start(gw, {
      env: {
        SMTP_URL: smtp.url,
        SMTP_CA_PATH: path.join(pkiDir, 'ca.pem'),
        NOTICE_SEND_INTERVAL_SECONDS: '1',
        NOTICE_LEASE_SECONDS: String(LEASE_SECONDS),
        SCHEDULER_INTERVAL_SECONDS: '0',
      },
    });
    processes.push(started);
    return started;
  };

  /** `count` logins of user01, audited as the login service audits them: each writes its notice in its transaction. Returns the new rows' ids. */
  async function logins(count: number): Promise<number[]> {
    const { db, audit } = gw.gateway.services;
    const user = await db.writableManager.findOneByOrFail(User, { loginId: 'user01' });
    for (let i = 0; i < count; i++) {
      const actor = {
        userId: user.id,
        loginId: user.loginId,
        contractId: user.contractId,
        certificateFingerprint: null,
        sourceAddress: `192.0.2.${i}`,
      };
      await db.transaction((m) => audit.record(m, actor, { action: AuditAction.LOGIN }));
    }
    const ids = (await db.writableManager.find(Notice, { where: { status: NoticeStatus.PENDING }, order: { id: 'ASC' } })).map((n) => n.id);
    expect(ids).toHaveLength(count);
    return ids;
  }

  it('each notice reaches the SMTP server exactly once when the sending instance is killed mid-batch and another takes over', async () => {
    const { db } = gw.gateway.services;
    const ids = await logins(NOTICES);

    smtp.holdMessage(4);
    const first = await sender();
    const held = await smtp.whileHolding();
    expect(smtp.received).toHaveLength(3);
    await first.kill('SIGKILL');
    await smtp.dropHeld();

    // Sent rows were marked one by one; the one in flight is still PENDING under the dead instance's lease.
    const heldId = Number(/notice-(\d+)@/.exec(held.messageId)![1]);
    expect(await db.writableManager.countBy(Notice, { status: NoticeStatus.SENT })).toBe(3);
    const orphan = await db.writableManager.findOneByOrFail(Notice, { id: heldId });
    expect(orphan).toMatchObject({ status: NoticeStatus.PENDING, attempts: 1 });
    expect(orphan.claimedBy).not.toBeNull();
    expect(orphan.leaseUntil!.getTime()).toBeGreaterThan(gw.clock.now().getTime());

    // The second instance's clock is past that lease (it shares the test's clock).
    gw.clock.advance((LEASE_SECONDS + 1) * 1000);
    const second = await sender();
    await smtp.untilReceived(NOTICES);
    await until(async () => (await db.writableManager.countBy(Notice, { status: NoticeStatus.SENT })) === NOTICES, 'every row marked SENT');

    const received = smtp.received.map((mail) => mail.messageId);
    expect([...received].sort()).toEqual(ids.map((id) => `<notice-${id}@localhost>`).sort());
    expect(new Set(received).size).toBe(NOTICES);
    expect(received).toContain(held.messageId);
    expect(await db.writableManager.findOneByOrFail(Notice, { id: heldId })).toMatchObject({ status: NoticeStatus.SENT, attempts: 2 });
    for (const mail of smtp.received) {
      expect(mail.overTls).toBe(true);
      expect(mail.text).not.toMatch(LINK_PATTERN);
    }
    expect(await second.stop()).toBe(0);
  });

  it('two instances sending one backlog at once send each notice once', async () => {
    const { db } = gw.gateway.services;
    const before = smtp.received.length;
    const ids = await logins(2 * NOTICES);
    const [a, b] = await Promise.all([sender(), sender()]);
    await smtp.untilReceived(before + ids.length);
    await until(async () => (await db.writableManager.countBy(Notice, { status: NoticeStatus.PENDING })) === 0, 'every row marked');
    const received = smtp.received.slice(before).map((mail) => mail.messageId);
    expect([...received].sort()).toEqual(ids.map((id) => `<notice-${id}@localhost>`).sort());
    // Every row was claimed once: a second claim would have counted a second attempt.
    const senders = await db.writableManager.find(Notice, { where: ids.map((id) => ({ id })) });
    expect(senders.every((row) => row.status === NoticeStatus.SENT && row.attempts === 1)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  });
});
