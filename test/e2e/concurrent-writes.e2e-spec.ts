import { SessionEndReason } from '../../src/auth/session.entity';
import { AuditAction } from '../../src/audit/audit-action';
import { jest } from '@jest/globals';
import { IsNull } from 'typeorm';
import { createCsr } from '../../scripts/cert';
import { User } from '../../src/users/user.entity';
import { DomainError } from '../../src/common/domain-error';
import { UniqueViolation } from '../../src/db/database';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Session } from '../../src/auth/session.entity';
import { Contract } from '../../src/contract/contract.entity';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { Certificate, RevocationStatus } from '../../src/pki/certificate.entity';
import { EnrollmentCode } from '../../src/pki/enrollment-code.entity';
import { LOGIN, loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway, type DemoLoginId } from '../helpers/gateway';
import { CREATE_CONTRACT, CREATE_USER, enroll, firstLogin } from '../helpers/lifecycle';

const REVOKE = 'mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "PC lost") { id status } }';
const ISSUE_CODE = 'mutation($id: Int!, $pw: String!) { issueEnrollmentCode(userId: $id, confirmationPassword: $pw) { code } }';
const RENEW = 'mutation($csr: String!) { renewCertificate(csrPem: $csr) { id serialNumber } }';

/** What each response answered: its error code, or OK. */
const outcomes = (responses: GraphqlResponse[]) => responses.map((r) => errorCode(r) ?? 'OK').sort();
const count = (responses: GraphqlResponse[], outcome: string) => outcomes(responses).filter((o) => o === outcome).length;
/** A database's own words (SQL, constraint names) never reach a client, in any environment. */
const leaksDatabaseText = (responses: GraphqlResponse[]) =>
  responses.some((r) => /UNIQUE constraint|Duplicate entry|ER_DUP|SQLITE_|INSERT INTO/i.test(JSON.stringify(r.body.errors ?? [])));

/**
 * Requests that race for one unique value or one "active row" (DESIGN.md §6): the database
 * decides who wins, and every loser gets a clear code — never INTERNAL.
 */
describe('concurrent writes to unique values', () => {
  let gw: TestGateway;
  const db = () => gw.gateway.services.db.writableManager;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  /**
   * Runs `requests` while a slow writer holds the write path, until `writers` transactions are
   * waiting behind it (or the requests are done): as under load, every request has read the
   * state before any of them writes. On SQLite a process's transactions queue one behind the
   * other, so without this a fast request often finishes before the next one reads.
   */
  async function whileWritesHeld<T>(writers: number, requests: () => Promise<T>): Promise<T> {
    const database = gw.gateway.services.db;
    let release!: () => void;
    const slowWriter = database.transaction(() => new Promise<void>((resolve) => (release = resolve)));
    const started = jest.spyOn(database, 'transaction');
    try {
      let finished = false;
      const done = requests().finally(() => (finished = true));
      while (!finished && started.mock.calls.length < writers) await new Promise((resolve) => setTimeout(resolve, 5));
      release();
      await slowWriter;
      return await done;
    } finally {
      release();
      started.mockRestore();
    }
  }

  /** `n` connections presenting `loginId`'s certificate and sharing one PIN session. */
  async function parallelSessions(loginId: DemoLoginId, n: number): Promise<GraphqlClient[]> {
    const token = await loginAsPartner(gw.asUser(loginId), gw.credentials(loginId).loginPassword);
    return Array.from({ length: n }, () => {
      const client = gw.asUser(loginId);
      client.bearer = token;
      return client;
    });
  }

  it('failing: a unique-key refusal is recognised on this engine: a value users choose is BAD_USER_INPUT naming the field, any other key a UniqueViolation naming its index', async () => {
    const database = gw.gateway.services.db;
    const { id: _userId, ...admin01 } = await db().findOneByOrFail(User, { loginId: 'admin01' });
    const sameLoginId = await database.transaction((m) => m.insert(User, admin01)).catch((error: unknown) => error);
    expect(sameLoginId).toBeInstanceOf(DomainError);
    expect(sameLoginId).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'loginId' } });
    const renamed = await database
      .transaction((m) => m.insert(User, admin01), { fields: { UQ_users_loginId: 'administratorLoginId' } })
      .catch((error: unknown) => error);
    expect(renamed).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'administratorLoginId' } });

    const { id: _certificateId, ...certificate } = await db().findOneByOrFail(Certificate, {
      status: RevocationStatus.ACTIVE,
      userId: (await db().findOneByOrFail(User, { loginId: 'user02' })).id,
    });
    const sameFingerprint = await database
      .transaction((m) => m.insert(Certificate, { ...certificate, serialNumber: 'ff01', activeUserId: null }))
      .catch((error: unknown) => error);
    expect(sameFingerprint).toBeInstanceOf(UniqueViolation);
    expect(sameFingerprint).toMatchObject({ index: 'UQ_certificates_fingerprint', table: 'certificates', columns: ['fingerprint'] });
    const sameIssuerAndSerial = await database
      .transaction((m) => m.insert(Certificate, { ...certificate, fingerprint: 'f'.repeat(64), activeUserId: null }))
      .catch((error: unknown) => error);
    expect(sameIssuerAndSerial).toMatchObject({
      index: 'UQ_certificates_issuer_serial',
      table: 'certificates',
      columns: ['issuer', 'serialNumber'],
    });
    for (const error of [sameLoginId, renamed, sameFingerprint, sameIssuerAndSerial]) {
      expect((error as Error).message).not.toMatch(/INSERT|constraint failed|Duplicate entry|admin01/);
    }
    expect(await db().countBy(User, { loginId: 'admin01' })).toBe(1);
  });

  it('failing: six parallel createUser with one new login ID create one user; the other five get BAD_USER_INPUT naming loginId', async () => {
    const admins = await parallelSessions('admin01', 6);
    const input = {
      loginId: 'race-user1',
      displayName: 'Race User',
      permissions: ['ACCOUNT_INQUIRY'],
      transferLimitPerTransaction: 0,
      dailyTransferLimit: 0,
    };
    const responses = await Promise.all(
      admins.map((admin) => admin.query(CREATE_USER, { input, confirmationPassword: gw.credentials('admin01').confirmationPassword })),
    );

    expect(outcomes(responses)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'OK']);
    for (const refused of responses.filter((r) => errorCode(r)))
      expect(refused.body.errors![0].extensions).toMatchObject({ field: 'loginId' });
    expect(leaksDatabaseText(responses)).toBe(false);
    expect(await db().countBy(User, { loginId: 'race-user1' })).toBe(1);
    const created = (await db().find(AuditEvent, { where: { action: AuditAction.USER_CREATED } })).filter((e) =>
      e.detail?.includes('race-user1'),
    );
    expect(created).toHaveLength(1);
    // The losers' password checks succeeded, so nothing counts toward the administrator's lock.
    expect((await db().findOneByOrFail(User, { loginId: 'admin01' })).failedAttempts).toBe(0);
  });

  it('failing: parallel createContract with one contract number, or one administrator login ID, creates one contract; the rest get BAD_USER_INPUT naming the field', async () => {
    const operators = await parallelSessions('operator01', 6);
    const pw = gw.credentials('operator01').confirmationPassword;
    const sameCode = await Promise.all(
      operators.map((operator, i) =>
        operator.query(CREATE_CONTRACT, {
          input: { code: 'RACE0001', name: 'Race Co.', administratorLoginId: `race-admin-a${i}`, administratorName: 'Race Admin' },
          confirmationPassword: pw,
        }),
      ),
    );
    expect(outcomes(sameCode)).toEqual([...Array(5).fill('BAD_USER_INPUT'), 'OK']);
    for (const refused of sameCode.filter((r) => errorCode(r))) expect(refused.body.errors![0].extensions).toMatchObject({ field: 'code' });
    expect(await db().countBy(Contract, { code: 'RACE0001' })).toBe(1);

    const sameAdministrator = await Promise.all(
      operators.map((operator, i) =>
        operator.query(CREATE_CONTRACT, {
          input: { code: `RACE010${i}`, name: 'Race Co.', administratorLoginId: 'race-admin-b', administratorName: 'Race Admin' },
          confirmationPassword: pw,
        }),
      ),
    );
    expect(outcomes(sameAdministrator)).toEqual([...Array(5).fill('BAD_USER_INPUT'), 'OK']);
    for (const refused of sameAdministrator.filter((r) => errorCode(r)))
      expect(refused.body.errors![0].extensions).toMatchObject({ field: 'administratorLoginId' });
    expect(await db().countBy(User, { loginId: 'race-admin-b' })).toBe(1);
    // All or nothing: no contract was left behind without its administrator.
    const raceContracts = (await db().find(Contract)).filter((c) => c.code.startsWith('RACE01'));
    expect(raceContracts).toHaveLength(1);
    expect(leaksDatabaseText([...sameCode, ...sameAdministrator])).toBe(false);
  });

  it('successful: six concurrent logins of one user each succeed or answer a clear code, and exactly one session stays open', async () => {
    const clients = Array.from({ length: 6 }, () => gw.asUser('user01'));
    const responses = await Promise.all(clients.map((client) => client.query(LOGIN, { pin: gw.credentials('user01').loginPassword })));

    expect(outcomes(responses).filter((o) => o !== 'OK' && o !== 'RATE_LIMITED')).toEqual([]);
    expect(count(responses, 'OK')).toBeGreaterThanOrEqual(1);
    const user01 = await db().findOneByOrFail(User, { loginId: 'user01' });
    expect(await db().countBy(Session, { userId: user01.id, endedAt: IsNull() })).toBe(1);
    expect(await db().countBy(Session, { activeUserId: user01.id })).toBe(1);
    expect(user01.failedAttempts).toBe(0);
  });

  it('successful: six parallel enrollment codes for one user leave exactly one outstanding code, and no INTERNAL', async () => {
    const admins = await parallelSessions('admin01', 6);
    const user02 = await db().findOneByOrFail(User, { loginId: 'user02' });
    const responses = await Promise.all(
      admins.map((admin) => admin.query(ISSUE_CODE, { id: user02.id, pw: gw.credentials('admin01').confirmationPassword })),
    );

    expect(outcomes(responses).filter((o) => o !== 'OK' && o !== 'RATE_LIMITED')).toEqual([]);
    expect(await db().countBy(EnrollmentCode, { outstandingUserId: user02.id })).toBe(1);
  });

  it('failing: ten parallel revocations of one certificate: one succeeds, nine get BAD_USER_INPUT, and one revocation is audited', async () => {
    const [admin] = await parallelSessions('admin01', 1);
    const created = await admin.query(CREATE_USER, {
      input: {
        loginId: 'revoke-me1',
        displayName: 'Lost PC',
        permissions: ['ACCOUNT_INQUIRY'],
        transferLimitPerTransaction: 0,
        dailyTransferLimit: 0,
      },
      confirmationPassword: gw.credentials('admin01').confirmationPassword,
    });
    const { temporaryPasswords, enrollmentCode } = created.body.data.createUser;
    const identity = await enroll(gw, 'revoke-me1', enrollmentCode.code, temporaryPasswords.loginPassword);
    const lostPc = await firstLogin(gw, identity, temporaryPasswords, 'Rv1');
    const userId = (await db().findOneByOrFail(User, { loginId: 'revoke-me1' })).id;
    const sessionsBefore = await db().countBy(Session, { userId });

    const admins = await parallelSessions('admin01', 10);
    const responses = await whileWritesHeld(10, () => Promise.all(admins.map((a) => a.query(REVOKE, { id: identity.certificateId }))));

    expect(outcomes(responses)).toEqual([...Array(9).fill('BAD_USER_INPUT'), 'OK']);
    for (const refused of responses.filter((r) => errorCode(r))) expect(refused.body.errors![0].message).toMatch(/already revoked/);
    const audited = await db().findBy(AuditEvent, { action: AuditAction.CERTIFICATE_REVOKED, targetId: String(identity.certificateId) });
    expect(audited).toHaveLength(1);
    expect(await db().countBy(Session, { userId, endReason: SessionEndReason.CERTIFICATE_REVOKED })).toBe(1);
    expect(await db().countBy(Session, { userId })).toBe(sessionsBefore);
    expect(errorCode(await lostPc.client.query('{ whoami { loginId } }'))).toBe('CERTIFICATE_REJECTED');
  });

  it('successful: parallel renewals of one certificate leave exactly one active certificate, and no INTERNAL', async () => {
    // Certificates valid for 20 days are inside the 30-day renewal window from the start.
    const shortLived = await TestGateway.start({ CERTIFICATE_VALIDITY_DAYS: '20' });
    try {
      const token = await loginAsPartner(shortLived.asUser('user01'), shortLived.credentials('user01').loginPassword);
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => {
          const client = shortLived.asUser('user01');
          client.bearer = token;
          const keys = generateRsaKeyPair();
          return client.query(RENEW, { csr: createCsr(keys.privateKeyPem, keys.publicKeyPem, 'user01') });
        }),
      );
      // A renewal that arrives after another one revoked the certificate it presents is refused.
      expect(outcomes(responses).filter((o) => o !== 'OK' && o !== 'CERTIFICATE_REJECTED' && o !== 'UNAUTHENTICATED')).toEqual([]);
      expect(count(responses, 'OK')).toBeGreaterThanOrEqual(1);
      const userId = (await shortLived.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user01' })).id;
      const active = await shortLived.gateway.services.db.writableManager.findBy(Certificate, { userId, status: RevocationStatus.ACTIVE });
      expect(active).toHaveLength(1);
      expect(active[0].activeUserId).toBe(userId);
    } finally {
      await shortLived.stop();
    }
  });
});
