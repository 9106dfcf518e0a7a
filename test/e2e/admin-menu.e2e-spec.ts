import { AuditAction } from '../../src/audit/audit-action';
import { User } from '../../src/users/user.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ME, login, loginAsPartner } from '../helpers/auth';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { systemContext } from '../../src/graphql/context';
import { enroll, firstLogin, onboardContract, sessionAs, type Onboarded } from '../helpers/lifecycle';

const USERS =
  '{ users { id loginId role status locked failedAttempts permissions transferLimitPerTransaction dailyTransferLimit passwordTemporary activeCertificate { id } } }';
const RESET =
  'mutation($id: Int!, $pw: String!) { resetUserPasswords(userId: $id, confirmationPassword: $pw) { user { locked passwordTemporary } temporaryPasswords { loginPassword confirmationPassword } } }';
const PERMISSIONS =
  'mutation($id: Int!, $p: [Permission!]!, $pw: String!) { setUserPermissions(userId: $id, permissions: $p, confirmationPassword: $pw) { permissions } }';
const LIMITS =
  'mutation($id: Int!, $l: UserLimitsInput!, $pw: String!) { setUserLimits(userId: $id, limits: $l, confirmationPassword: $pw) { transferLimitPerTransaction dailyTransferLimit } }';
const SUSPEND = 'mutation($id: Int!, $pw: String!) { suspendUser(userId: $id, confirmationPassword: $pw) { status } }';
const RESUME = 'mutation($id: Int!, $pw: String!) { resumeUser(userId: $id, confirmationPassword: $pw) { status } }';
const AUDIT =
  'query($first: Int!, $before: Int, $action: AuditAction, $contractId: Int) { auditEvents(first: $first, before: $before, action: $action, contractId: $contractId) { items { id action actorLoginId contractId outcome detail } nextCursor } }';

describe('the administrator’s menu and the bank’s console', () => {
  let gw: TestGateway;
  let admin: GraphqlClient;
  let operator: GraphqlClient;
  let other: Onboarded;
  const ids: Record<string, number> = {};
  let adminConfirmation: string;
  const adminPw = () => adminConfirmation;
  const user = (loginId: string) => gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId });

  beforeAll(async () => {
    gw = await TestGateway.start();
    admin = await sessionAs(gw, 'admin01');
    adminConfirmation = gw.credentials('admin01').confirmationPassword;
    operator = await sessionAs(gw, 'operator01');
    other = await onboardContract(gw, operator, 'OTHR0002', 'other-admin2');
    for (const u of (await admin.query(USERS)).body.data.users) ids[u.loginId] = u.id;
  });
  afterAll(() => gw.stop());

  it('successful: users lists only the contract’s own users, with status, lock, certificate and limits', async () => {
    const users = (await admin.query(USERS)).body.data.users;
    expect(users.map((u: any) => u.loginId)).toEqual(['admin01', 'user01', 'user02']);
    expect(users.find((u: any) => u.loginId === 'user01')).toMatchObject({
      role: 'USER',
      status: 'ACTIVE',
      locked: false,
      permissions: ['ACCOUNT_INQUIRY', 'TRANSFER'],
      transferLimitPerTransaction: 1000000,
      dailyTransferLimit: 3000000,
      activeCertificate: { id: expect.any(Number) },
    });
    expect((await other.client.query(USERS)).body.data.users.map((u: any) => u.loginId)).toEqual(['other-admin2']);
  });

  it('failing: another contract’s administrator can neither see nor touch this contract’s users', async () => {
    const pw = other.confirmationPassword;
    for (const [query, variables] of [
      [PERMISSIONS, { id: ids.user01, p: ['TRANSFER_APPROVAL'], pw }],
      [LIMITS, { id: ids.user01, l: { transferLimitPerTransaction: 1, dailyTransferLimit: 1 }, pw }],
      [RESET, { id: ids.user01, pw }],
      [SUSPEND, { id: ids.user01, pw }],
      [
        'mutation($id: Int!, $pw: String!) { issueEnrollmentCode(userId: $id, confirmationPassword: $pw) { code } }',
        { id: ids.user01, pw },
      ],
    ] as const) {
      const response = await other.client.query(query, variables);
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(response.body.errors![0].message).toBe('There is no such user in your contract.');
    }
    const certificateId = (await admin.query(USERS)).body.data.users.find((u: any) => u.loginId === 'user01').activeCertificate.id;
    expect(
      errorCode(
        await other.client.query('mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "x") { id } }', {
          id: certificateId,
        }),
      ),
    ).toBe('FORBIDDEN');
    const demo = await user('user01');
    expect(errorCode(await other.client.query(AUDIT, { first: 5, contractId: demo.contractId }))).toBe('FORBIDDEN');
    const untouched = await user('user01');
    expect(untouched).toMatchObject({
      status: 'ACTIVE',
      permissions: ['ACCOUNT_INQUIRY', 'TRANSFER'],
      transferLimitPerTransaction: 1000000,
    });
    expect((await gw.asUser('user01').query('{ whoami { loginId } }')).body.data.whoami.loginId).toBe('user01');
  });

  it('successful: permissions and limits change with the confirmation password; a wrong one changes nothing and counts', async () => {
    const wrong = await admin.query(PERMISSIONS, { id: ids.user02, p: ['TRANSFER'], pw: 'WrongConfirm1' });
    expect(errorCode(wrong)).toBe('LOGIN_FAILED');
    expect(wrong.body.errors![0].message).toMatch(/confirmation password is wrong/);
    expect((await user('admin01')).failedAttempts).toBe(1);
    expect((await user('user02')).permissions).toEqual(['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL']);

    const changed = await admin.query(PERMISSIONS, {
      id: ids.user02,
      p: ['TRANSFER_APPROVAL', 'ACCOUNT_INQUIRY', 'TRANSFER'],
      pw: adminPw(),
    });
    expect(changed.body.data.setUserPermissions.permissions).toEqual(['ACCOUNT_INQUIRY', 'TRANSFER', 'TRANSFER_APPROVAL']);
    const limits = await admin.query(LIMITS, {
      id: ids.user02,
      l: { transferLimitPerTransaction: 5000000000, dailyTransferLimit: 9007199254740991 },
      pw: adminPw(),
    });
    expect(limits.body.data.setUserLimits).toEqual({ transferLimitPerTransaction: 5000000000, dailyTransferLimit: 9007199254740991 });
    expect(
      errorCode(await admin.query(LIMITS, { id: ids.user02, l: { transferLimitPerTransaction: 2, dailyTransferLimit: 1 }, pw: adminPw() })),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await admin.query(LIMITS, { id: ids.user02, l: { transferLimitPerTransaction: -1, dailyTransferLimit: 1 }, pw: adminPw() }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await admin.query(LIMITS, { id: ids.user02, l: { transferLimitPerTransaction: 1.5, dailyTransferLimit: 2 }, pw: adminPw() }),
      ),
    ).toBe('BAD_USER_INPUT');
    const audit = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, { action: AuditAction.LIMITS_CHANGED });
    expect(JSON.parse(audit.detail!)).toMatchObject({ to: { dailyTransferLimit: 9007199254740991 } });
  });

  it('successful: a locked user is restarted by the administrator’s reset (R10), who then must change the temporary passwords', async () => {
    const victim = gw.asUser('user01');
    for (let i = 0; i < 6; i++) await login(victim, `Wrong${i}abc`);
    expect(errorCode(await login(victim, gw.credentials('user01').loginPassword))).toBe('ACCOUNT_LOCKED');
    expect((await admin.query(USERS)).body.data.users.find((u: any) => u.loginId === 'user01').locked).toBe(true);

    const reset = (await admin.query(RESET, { id: ids.user01, pw: adminPw() })).body.data.resetUserPasswords;
    expect(reset.user).toEqual({ locked: false, passwordTemporary: true });
    const afterReset = gw.asUser('user01');
    const result = (await login(afterReset, reset.temporaryPasswords.loginPassword)).body.data.login;
    expect(result.mustChangePassword).toBe(true);
    await firstLogin(gw, gw.demoIdentity('user01'), reset.temporaryPasswords, 'Reset');
  });

  it('failing: an administrator cannot reset another administrator; the bank does, with the in-branch note (R8)', async () => {
    expect(errorCode(await admin.query(RESET, { id: ids.admin01, pw: adminPw() }))).toBe('FORBIDDEN');
    const locked = gw.asUser('admin01');
    for (let i = 0; i < 6; i++) await login(locked, `Wrong${i}xyz`);
    const refused = await login(gw.asUser('admin01'), gw.credentials('admin01').loginPassword);
    expect(errorCode(refused)).toBe('ACCOUNT_LOCKED');
    expect(refused.body.errors![0].message).toMatch(/contact the bank/);

    const RESET_ADMIN =
      'mutation($id: String!, $note: String!, $pw: String!) { resetAdministratorPasswords(loginId: $id, note: $note, confirmationPassword: $pw) { loginPassword confirmationPassword } }';
    expect(
      errorCode(await operator.query(RESET_ADMIN, { id: 'admin01', note: '', pw: gw.credentials('operator01').confirmationPassword })),
    ).toBe('BAD_USER_INPUT');
    const temporary = (
      await operator.query(RESET_ADMIN, {
        id: 'admin01',
        note: 'Seal and ID checked at Shinjuku branch',
        pw: gw.credentials('operator01').confirmationPassword,
      })
    ).body.data.resetAdministratorPasswords;
    const relogged = gw.asUser('admin01');
    expect((await login(relogged, temporary.loginPassword)).body.data.login.mustChangePassword).toBe(true);
    // The administrator is back, with passwords of their own.
    const back = await firstLogin(gw, gw.demoIdentity('admin01'), temporary, 'Admin');
    admin = back.client;
    adminConfirmation = back.confirmationPassword;
    const event = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, {
      action: AuditAction.ADMINISTRATOR_PASSWORDS_RESET,
    });
    expect(JSON.parse(event.detail!)).toMatchObject({ note: 'Seal and ID checked at Shinjuku branch', wasLocked: true });
  });

  it('successful: a locked operator is unlocked by another operator, never by themselves', async () => {
    const created = await gw.gateway.services.operator.createOperator(
      systemContext('test', gw.gateway.services.db),
      'operator02',
      'Operator 02',
    );
    const identity = await enroll(gw, 'operator02', created.code.code, created.passwords.loginPassword);
    const operator02 = gw.withCertificate(identity);
    for (let i = 0; i < 6; i++) await login(operator02, `Wrong${i}op2`);
    expect(errorCode(await login(operator02, created.passwords.loginPassword))).toBe('ACCOUNT_LOCKED');

    const RESET_OPERATOR =
      'mutation($id: String!, $pw: String!) { resetOperatorPasswords(loginId: $id, note: "locked, verified in person", confirmationPassword: $pw) { loginPassword } }';
    const self = await operator.query(RESET_OPERATOR, { id: 'operator01', pw: gw.credentials('operator01').confirmationPassword });
    expect(errorCode(self)).toBe('FORBIDDEN');
    const reset = await operator.query(RESET_OPERATOR, { id: 'operator02', pw: gw.credentials('operator01').confirmationPassword });
    const temporary = reset.body.data.resetOperatorPasswords.loginPassword;
    expect((await login(gw.withCertificate(identity), temporary)).body.data.login.mustChangePassword).toBe(true);
  });

  it('successful: suspending ends the user’s session at once; resuming lets them log in again', async () => {
    const victim = await sessionAs(gw, 'user02');
    expect((await admin.query(SUSPEND, { id: ids.user02, pw: adminPw() })).body.data.suspendUser.status).toBe('SUSPENDED');
    const refused = await victim.query(ME);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.body.errors![0].message).toMatch(/suspended/);
    expect((await admin.query(RESUME, { id: ids.user02, pw: adminPw() })).body.data.resumeUser.status).toBe('ACTIVE');
    expect(errorCode(await victim.query(ME))).toBe('UNAUTHENTICATED'); // the old session stays ended
    const back = gw.asUser('user02');
    await loginAsPartner(back, gw.credentials('user02').loginPassword);
    expect((await back.query(ME)).body.data.me.loginId).toBe('user02');
  });

  it('successful: the audit log pages newest first, filters by action, and is scoped to the contract', async () => {
    const first = (await admin.query(AUDIT, { first: 3 })).body.data.auditEvents;
    expect(first.items).toHaveLength(3);
    expect(first.items[0].id).toBeGreaterThan(first.items[2].id);
    const next = (await admin.query(AUDIT, { first: 3, before: first.nextCursor })).body.data.auditEvents;
    expect(next.items[0].id).toBeLessThan(first.items[2].id);
    const demoContractId = (await user('admin01')).contractId;
    const all = (await admin.query(AUDIT, { first: 200 })).body.data.auditEvents.items;
    expect(all.every((e: any) => e.contractId === demoContractId)).toBe(true);
    const failures = (await admin.query(AUDIT, { first: 200, action: AuditAction.LOGIN_FAILED })).body.data.auditEvents.items;
    expect(failures.length).toBeGreaterThanOrEqual(6);
    expect(failures.every((e: any) => e.action === 'LOGIN_FAILED' && e.outcome === 'FAILURE')).toBe(true);
    const anyContract = (await operator.query(AUDIT, { first: 200 })).body.data.auditEvents.items;
    expect(new Set(anyContract.map((e: any) => e.contractId)).size).toBeGreaterThan(1);
  });
});
