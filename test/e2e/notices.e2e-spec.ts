import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { systemClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config';
import { Notice, NoticeStatus } from '../../src/notices/notice.entity';
import { NoticeSender } from '../../src/notices/notice-sender';
import { LINK_PATTERN } from '../../src/notices/notice-text';
import { smtpTransport } from '../../src/notices/notice-transport';
import { loadPkiMaterial } from '../../src/pki/pki-material';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS, CREATE_TRANSFER, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';
import { TestSmtpServer, type ReceivedMail } from '../helpers/smtp';

/**
 * Issue 19, item 2: notices by e-mail, without links, through the transactional outbox, to a real
 * SMTP server (npm smtp-server) that offers STARTTLS with a certificate of its own test CA. The
 * sender runs when the test says (NOTICE_SEND_INTERVAL_SECONDS=0, sendDue()), so nothing waits on a timer.
 */
const SET_SETTINGS =
  'mutation($u: [NoticeTopic!]!, $a: [NoticeTopic!]!, $pw: String!) { setNoticeSettings(userTopics: $u, administratorTopics: $a, confirmationPassword: $pw) { userNoticeTopics administratorNoticeTopics } }';
const ALL_TOPICS = ['CREDENTIAL', 'EMERGENCY_STOP', 'LIMIT', 'LOGIN', 'ORDER'];

describe('e-mail notices through the outbox to a real SMTP server', () => {
  const pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-smtp-pki-'));
  // The SMTP server's own CA and certificate (for localhost), apart from the bank CA.
  const smtpPki = loadPkiMaterial(loadConfig({ CERTS_DIR: pkiDir }), systemClock);
  const smtpCa = path.join(pkiDir, 'ca.pem');
  let smtp: TestSmtpServer;
  let gw: TestGateway;
  let user01: GraphqlClient;
  let admin01: GraphqlClient;
  let accountId: number;

  const sendDue = () => gw.gateway.services.noticeSender.sendDue();
  const db = () => gw.gateway.services.db.writableManager;
  /** What the server received since `before` messages. */
  const since = (before: number): ReceivedMail[] => smtp.received.slice(before);

  beforeAll(async () => {
    smtp = await TestSmtpServer.start({ key: smtpPki.serverPrivateKeyPem, cert: smtpPki.serverCertificatePem });
    gw = await TestGateway.start({
      SMTP_URL: smtp.url,
      SMTP_CA_PATH: smtpCa,
      NOTICE_SEND_INTERVAL_SECONDS: '0',
      TRANSFER_CUTOFF: 'none',
    });
    user01 = await sessionAs(gw, 'user01');
    admin01 = await sessionAs(gw, 'admin01');
    accountId = (await user01.query(ACCOUNTS)).body.data.accounts[0].id;
    await sendDue();
  });
  afterAll(async () => {
    await gw?.stop();
    await smtp?.close();
    fs.rmSync(pkiDir, { recursive: true, force: true });
  });

  it('a transfer is told to its maker and the administrators once each: Japanese, its 受付番号 and amount, over STARTTLS, no link', async () => {
    const before = smtp.received.length;
    const made = await user01.query(CREATE_TRANSFER, {
      input: transferInput(accountId, 12_345),
      pw: gw.credentials('user01').confirmationPassword,
    });
    expect(made.body.errors).toBeUndefined();
    const id = made.body.data.createTransfer.id;
    const rows = await db().countBy(Notice, { status: NoticeStatus.PENDING });
    expect(await sendDue()).toBe(rows);

    const accepted = since(before).filter((mail) => mail.subject === '【昭和信用金庫】振込受付のお知らせ');
    expect(accepted.map((mail) => mail.to).sort()).toEqual(['keiri@demo-shoji.example', 'soumu@demo-shoji.example']);
    for (const mail of accepted) {
      expect(mail.text).toContain('振込を受け付けました。');
      expect(mail.text).toContain(`受付番号: ${id}`);
      expect(mail.text).toContain('金額: 12,345円');
      expect(mail.text).toContain('操作した利用者ID: user01');
      expect(mail.overTls).toBe(true);
      expect(mail.messageId).toMatch(/^<notice-\d+@localhost>$/);
    }
    // Each row went out once: a Message-ID never repeats, and nothing is left to send.
    const ids = smtp.received.map((mail) => mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await db().countBy(Notice, { status: NoticeStatus.PENDING })).toBe(0);
    expect(await sendDue()).toBe(0);
  });

  it('a login is told to the user with its time and address, and not to the administrators (the default settings)', async () => {
    const before = smtp.received.length;
    // A new login ends the older session: the rest of the file uses this one.
    user01 = await sessionAs(gw, 'user01');
    await sendDue();
    const logins = since(before).filter((mail) => mail.subject === '【昭和信用金庫】ログインのお知らせ');
    expect(logins.map((mail) => mail.to)).toEqual(['keiri@demo-shoji.example']);
    expect(logins[0].text).toMatch(/日時: \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}（日本時間）/);
    expect(logins[0].text).toMatch(/接続元IPアドレス: .*127\.0\.0\.1/);
  });

  it('the contract’s e-mail settings choose who is told: orders to the administrators only', async () => {
    const pw = gw.credentials('admin01').confirmationPassword;
    const refused = await admin01.query(SET_SETTINGS, { u: ['LOGIN'], a: ['ORDER'], pw });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0].extensions?.field).toBe('administratorTopics');
    const set = await admin01.query(SET_SETTINGS, { u: ['LOGIN'], a: ['ORDER', 'EMERGENCY_STOP'], pw });
    expect(set.body.data.setNoticeSettings).toEqual({
      userNoticeTopics: ['LOGIN'],
      administratorNoticeTopics: ['EMERGENCY_STOP', 'ORDER'],
    });
    const before = smtp.received.length;
    const made = await user01.query(CREATE_TRANSFER, {
      input: transferInput(accountId, 2_000),
      pw: gw.credentials('user01').confirmationPassword,
    });
    expect(made.body.errors).toBeUndefined();
    await sendDue();
    const orders = since(before).filter((mail) => mail.subject.includes('振込'));
    expect(orders.length).toBeGreaterThan(0);
    expect(new Set(orders.map((mail) => mail.to))).toEqual(new Set(['soumu@demo-shoji.example']));
    await admin01.query(SET_SETTINGS, { u: ALL_TOPICS, a: ALL_TOPICS.filter((t) => t !== 'LOGIN'), pw });
  });

  it('a user sets their address; an invalid one is refused with BAD_USER_INPUT and changes nothing', async () => {
    const user = () => db().findOneByOrFail(User, { loginId: 'user01' });
    const changes = () => db().countBy(AuditEvent, { action: AuditAction.EMAIL_ADDRESS_CHANGED });
    const before = await changes();
    const pw = gw.credentials('user01').confirmationPassword;
    const SET = 'mutation($e: String, $pw: String!) { setEmailAddress(emailAddress: $e, confirmationPassword: $pw) }';
    for (const bad of ['keiri', 'keiri@例え.jp', '<a@b.jp>', `${'a'.repeat(250)}@b.jp`]) {
      const refused = await user01.query(SET, { e: bad, pw });
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(refused.body.errors?.[0].extensions?.field).toBe('emailAddress');
    }
    expect((await user()).emailAddress).toBe('keiri@demo-shoji.example');
    expect(await changes()).toBe(before);

    const sent = smtp.received.length;
    const set = await user01.query(SET, { e: ' keiri2@demo-shoji.example ', pw });
    expect(set.body.data.setEmailAddress).toBe('keiri2@demo-shoji.example');
    await sendDue();
    // Told at the new address, and to the administrators.
    const told = since(sent).filter((mail) => mail.subject === '【昭和信用金庫】メールアドレス変更のお知らせ');
    expect(told.map((mail) => mail.to).sort()).toEqual(['keiri2@demo-shoji.example', 'soumu@demo-shoji.example']);
    await user01.query(SET, { e: 'keiri@demo-shoji.example', pw });
    await sendDue();
  });

  it('the administrator sets a user’s address; another contract’s user is refused', async () => {
    const user02 = await db().findOneByOrFail(User, { loginId: 'user02' });
    const SET =
      'mutation($u: Int!, $e: String, $pw: String!) { setUserEmailAddress(userId: $u, emailAddress: $e, confirmationPassword: $pw) { loginId emailAddress } }';
    const pw = gw.credentials('admin01').confirmationPassword;
    const set = await admin01.query(SET, { u: user02.id, e: 'buchou@demo-shoji.example', pw });
    expect(set.body.data.setUserEmailAddress).toEqual({ loginId: 'user02', emailAddress: 'buchou@demo-shoji.example' });
    const operator = await db().findOneByOrFail(User, { loginId: 'operator01' });
    expect(errorCode(await admin01.query(SET, { u: operator.id, e: 'x@y.jp', pw }))).toBe('FORBIDDEN');
    expect((await db().findOneByOrFail(User, { id: operator.id })).emailAddress).toBeNull();
    await sendDue();
  });

  it('createUser takes an optional address: checked as setUserEmailAddress checks it, audited and told with the new user', async () => {
    const CREATE =
      'mutation($input: CreateUserInput!, $pw: String!) { createUser(input: $input, confirmationPassword: $pw) { user { id loginId emailAddress } } }';
    const input = (loginId: string, emailAddress?: string | null) => ({
      loginId,
      displayName: '通知 太郎',
      permissions: ['ACCOUNT_INQUIRY'],
      transferLimitPerTransaction: 0,
      dailyTransferLimit: 0,
      ...(emailAddress === undefined ? {} : { emailAddress }),
    });
    const pw = gw.credentials('admin01').confirmationPassword;
    const changesOf = (userId: number) =>
      db().findBy(AuditEvent, { action: AuditAction.EMAIL_ADDRESS_CHANGED, targetType: 'User', targetId: String(userId) });
    const allChanges = () => db().countBy(AuditEvent, { action: AuditAction.EMAIL_ADDRESS_CHANGED });
    const before = await allChanges();

    // Refused before the password is checked (a wrong one is given), and nobody is created.
    for (const bad of ['keiri', 'keiri@例え.jp', '<a@b.jp>']) {
      const refused = await admin01.query(CREATE, { input: input('mailuser1', bad), pw: 'not-the-password' });
      expect({ bad, code: errorCode(refused), field: refused.body.errors?.[0].extensions?.field }).toEqual({
        bad,
        code: 'BAD_USER_INPUT',
        field: 'emailAddress',
      });
    }
    expect(await db().existsBy(User, { loginId: 'mailuser1' })).toBe(false);
    expect(await allChanges()).toBe(before);

    const sent = smtp.received.length;
    const created = await admin01.query(CREATE, { input: input('mailuser1', ' shinjin@demo-shoji.example '), pw });
    expect(created.body.errors).toBeUndefined();
    const user = created.body.data.createUser.user;
    expect(user).toMatchObject({ loginId: 'mailuser1', emailAddress: 'shinjin@demo-shoji.example' });
    expect((await db().findOneByOrFail(User, { id: user.id })).emailAddress).toBe('shinjin@demo-shoji.example');
    const audited = await changesOf(user.id);
    expect(audited.map((event) => [event.actorLoginId, JSON.parse(event.detail!)])).toEqual([['admin01', { set: true }]]);
    await sendDue();
    // Told at the new address, and to the administrators, as when the address is set later.
    const told = since(sent).filter((mail) => mail.subject === '【昭和信用金庫】メールアドレス変更のお知らせ');
    expect(told.map((mail) => mail.to).sort()).toEqual(['shinjin@demo-shoji.example', 'soumu@demo-shoji.example']);

    // Without one (absent or ""), the user has none and no address change is audited.
    for (const [loginId, emailAddress] of [
      ['mailuser2', undefined],
      ['mailuser3', ''],
    ] as const) {
      const plain = await admin01.query(CREATE, { input: input(loginId, emailAddress), pw });
      expect(plain.body.errors).toBeUndefined();
      expect(plain.body.data.createUser.user.emailAddress).toBeNull();
      expect(await changesOf(plain.body.data.createUser.user.id)).toEqual([]);
    }
    await sendDue();
  });

  it('no notice body or subject ever carries a link', () => {
    expect(smtp.received.length).toBeGreaterThan(5);
    for (const mail of smtp.received) {
      expect(mail.text).not.toMatch(LINK_PATTERN);
      expect(mail.text).not.toMatch(/http|www/i);
      expect(mail.subject).not.toMatch(LINK_PATTERN);
    }
  });

  describe('a server without STARTTLS', () => {
    let plain: TestSmtpServer;
    beforeAll(async () => {
      plain = await TestSmtpServer.start(
        { key: smtpPki.serverPrivateKeyPem, cert: smtpPki.serverCertificatePem },
        { disabledCommands: ['AUTH', 'STARTTLS'] },
      );
    });
    afterAll(() => plain?.close());

    const senderTo = (requireStartTls: boolean) =>
      new NoticeSender(
        gw.gateway.services.db,
        gw.clock,
        pino({ level: 'silent' }),
        smtpTransport({ url: plain.url, requireStartTls, caPath: smtpCa, from: 'ib-notice@localhost', timeoutMs: 10_000 }),
        { intervalSeconds: 0, leaseSeconds: 60, maxAttempts: 3, messageIdDomain: 'localhost' },
      );

    it('gets nothing: the notice is retried after 1, then 2 minutes, then given up as FAILED with the reason kept', async () => {
      await sendDue();
      user01 = await sessionAs(gw, 'user01');
      const notice = await db().findOneByOrFail(Notice, { status: NoticeStatus.PENDING, action: AuditAction.LOGIN });
      const sender = senderTo(true);
      const state = () => db().findOneByOrFail(Notice, { id: notice.id });

      expect(await sender.sendDue()).toBe(0);
      expect(await state()).toMatchObject({ status: NoticeStatus.PENDING, attempts: 1, claimedBy: null });
      expect((await state()).lastError).toBeTruthy();
      expect((await state()).nextAttemptAt.getTime() - gw.clock.now().getTime()).toBeGreaterThan(55_000);
      // Not due yet: not tried again.
      await sender.sendDue();
      expect((await state()).attempts).toBe(1);
      gw.clock.advance(61_000);
      await sender.sendDue();
      expect((await state()).attempts).toBe(2);
      gw.clock.advance(121_000);
      await sender.sendDue();
      expect(await state()).toMatchObject({ status: NoticeStatus.FAILED, attempts: 3 });
      expect((await state()).lastError).toBeTruthy();
      expect(plain.received).toEqual([]);
      await sender.stop();
    });

    it('gets the notice when STARTTLS is explicitly relaxed (SMTP_REQUIRE_STARTTLS=false)', async () => {
      user01 = await sessionAs(gw, 'user01');
      const sender = senderTo(false);
      expect(await sender.sendDue()).toBe(1);
      expect(plain.received).toHaveLength(1);
      expect(plain.received[0]).toMatchObject({
        to: 'keiri@demo-shoji.example',
        overTls: false,
        subject: '【昭和信用金庫】ログインのお知らせ',
      });
      await sender.stop();
    });
  });
});

describe('notices without SMTP_URL (development)', () => {
  const lines: Array<{ msg: string; notice?: { to: string; subject: string; text: string } }> = [];
  let gw: TestGateway;
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    gw = await TestGateway.start({}, { logger });
  });
  afterAll(() => gw?.stop());

  it('are shown in the log and kept in the outbox as LOGGED, nothing sent', async () => {
    await sessionAs(gw, 'user01');
    expect(await gw.gateway.services.noticeSender.sendDue()).toBe(1);
    const shown = lines.filter((line) => line.notice);
    expect(shown).toHaveLength(1);
    expect(shown[0].notice).toMatchObject({ to: 'keiri@demo-shoji.example', subject: '【昭和信用金庫】ログインのお知らせ' });
    const kept = await gw.gateway.services.db.writableManager.find(Notice);
    expect(kept.map((row) => row.status)).toEqual([NoticeStatus.LOGGED]);
  });
});
