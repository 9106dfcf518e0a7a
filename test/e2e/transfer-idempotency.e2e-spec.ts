import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { IdempotencyKey } from '../../src/banking/orders/idempotency-key.entity';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { User } from '../../src/users/user.entity';
import { loginAsPartner } from '../helpers/auth';
import { ACCOUNTS, APPROVE, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { CREATE_USER, enroll, firstLogin, onboardContract, onboardUser, sessionAs } from '../helpers/lifecycle';

const CREATE_WITH_KEY = `mutation Create($input: CreateTransferInput!, $pw: String!, $key: String) {
  createTransfer(input: $input, confirmationPassword: $pw, idempotencyKey: $key) { id status amount payeeName }
}`;
const TRANSFER = 'query($id: Int!) { transfer(id: $id) { id status amount payeeName maker { loginId } } }';

/**
 * Issue 10, item 1: a partner retries what it was not sure about (DESIGN.md §6.7). A retry with
 * the same idempotency key and input answers the original transfer and moves nothing; the same
 * key with anything else is refused; `transfer(id)` reads one transfer under the list's rules.
 */
describe('reading and retrying transfers', () => {
  let gw: TestGateway;
  let second: GatewayProcess;
  let maker: GraphqlClient;
  let approver: GraphqlClient;
  let accountId: number;
  let user01Id: number;
  const db = () => gw.gateway.services.db.writableManager;
  const makerPw = () => gw.credentials('user01').confirmationPassword;
  const withKey = (key: unknown, amount: number, overrides: Record<string, unknown> = {}, pw = makerPw(), client = maker) =>
    client.query(CREATE_WITH_KEY, { input: transferInput(accountId, amount, overrides), pw, key });
  /** Everything a transfer changes, for "nothing changed" and "changed once" assertions. */
  const books = async () => ({
    transfers: await db().count(Transfer),
    keys: await db().count(IdempotencyKey),
    reserved: (await db().findBy(LimitUsage, { scopeKey: `user:${user01Id}` })).reduce((sum, row) => sum + row.used, 0),
    balance: (await db().findOneByOrFail(Account, { id: accountId })).balance,
    lines: await db().count(StatementLine),
    created: await db().countBy(AuditEvent, { action: AuditAction.TRANSFER_CREATED }),
    failedAttempts: (await db().findOneByOrFail(User, { id: user01Id })).failedAttempts,
  });

  beforeAll(async () => {
    // Transfers run when made, on any day and hour: this spec is about retries, and the second process keeps the real time.
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    second = await GatewayProcess.start(gw, { env: { TRANSFER_CUTOFF: 'none' } });
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    user01Id = (await db().findOneByOrFail(User, { loginId: 'user01' })).id;
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  /** One user's confirmation password is checked at most 6 at a time (§6.1): a client retries RATE_LIMITED, as a partner would. */
  async function untilNotRateLimited(send: () => Promise<GraphqlResponse>): Promise<GraphqlResponse> {
    for (;;) {
      const response = await send();
      if (errorCode(response) !== 'RATE_LIMITED') return response;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }

  it('successful: 20 parallel retries of one key, through two gateway processes, make one transfer with one reservation and all answer it', async () => {
    const before = await books();
    const clients = Array.from({ length: 10 }, (_, i) => {
      const client = gw.withCertificate(gw.demoIdentity('user01'), i % 2 === 0 ? gw.apiOrigin : second.apiOrigin);
      client.bearer = maker.bearer;
      return client;
    });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => untilNotRateLimited(() => withKey('order-2026-0001', 123_456, {}, makerPw(), clients[i % 10]))),
    );
    expect(responses.map((r) => r.body.errors)).toEqual(Array(20).fill(undefined));
    const ids = new Set(responses.map((r) => r.body.data.createTransfer.id));
    expect(ids.size).toBe(1);
    const after = await books();
    expect(after).toEqual({
      ...before,
      transfers: before.transfers + 1,
      keys: before.keys + 1,
      reserved: before.reserved + 123_456,
      created: before.created + 1,
    });
    expect(await db().findOneByOrFail(Transfer, { id: [...ids][0] })).toMatchObject({ amount: 123_456, status: 'PENDING_APPROVAL' });
  });

  it('successful: a retry after approval answers the transfer as executed and moves no money again; half-width and full-width payee are one input', async () => {
    const first = (await withKey('order-2026-0002', 5_000)).body.data.createTransfer;
    const approved = await approver.query(APPROVE, { id: first.id, pw: gw.credentials('user02').confirmationPassword });
    expect(approved.body.data.approveTransfer.status).toBe('EXECUTED');
    const before = await books();
    const retry = await withKey('order-2026-0002', 5_000, { payeeName: 'カ)デモ　シヨウジ' });
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data.createTransfer).toEqual({ ...first, status: 'EXECUTED' });
    expect(await books()).toEqual(before);
  });

  it('failing: the same key with another amount or payee is IDEMPOTENCY_KEY_REUSED before the password is checked, and nothing changes', async () => {
    await withKey('order-2026-0003', 7_000);
    const before = await books();
    for (const overrides of [{}, { payeeName: 'ｶ)ﾍﾞﾂﾉ ｶｲｼﾔ' }]) {
      const amount = Object.keys(overrides).length ? 7_000 : 7_001;
      const refused = await withKey('order-2026-0003', amount, overrides, 'NotMyPassword9');
      expect(refused.body.errors![0].extensions).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
      expect(refused.body.errors![0].message).toMatch(/different request/);
    }
    expect(await books()).toEqual(before);
  });

  it('failing: another user of the contract sending the same key and input is IDEMPOTENCY_KEY_REUSED', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const other = await onboardUser(gw, admin, gw.credentials('admin01').confirmationPassword, 'keys-maker', ['TRANSFER']);
    await withKey('order-2026-0004', 8_000);
    const before = await books();
    const refused = await withKey('order-2026-0004', 8_000, {}, other.confirmationPassword, other.client);
    expect(errorCode(refused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await books()).toEqual(before);
  });

  it('failing: a retry with a wrong confirmation password is LOGIN_FAILED and counts toward the lock; a correct one still answers the original', async () => {
    const first = (await withKey('order-2026-0005', 9_000)).body.data.createTransfer;
    const before = await books();
    expect(errorCode(await withKey('order-2026-0005', 9_000, {}, 'NotMyPassword9'))).toBe('LOGIN_FAILED');
    expect(await books()).toEqual({ ...before, failedAttempts: before.failedAttempts + 1 });
    expect((await withKey('order-2026-0005', 9_000)).body.data.createTransfer.id).toBe(first.id);
    expect((await books()).failedAttempts).toBe(0);
  });

  it.each([
    ['an empty key', ''],
    ['a key of 65 characters', 'k'.repeat(65)],
    ['a key with a space', 'order 1'],
    ['a key with a control character', 'order\n1'],
    ['a key with non-ASCII characters', '注文-0001'],
  ])('failing: %s is BAD_USER_INPUT naming idempotencyKey, before the password, and nothing changes', async (_name, key) => {
    const before = await books();
    const refused = await withKey(key, 1_000, {}, 'NotMyPassword9');
    expect(refused.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await books()).toEqual(before);
  });

  it('successful: a key of 64 visible ASCII characters is accepted', async () => {
    const key = '!~' + 'a'.repeat(60) + '-_';
    expect((await withKey(key, 1_000)).body.errors).toBeUndefined();
    expect(await db().countBy(IdempotencyKey, { idempotencyKey: key })).toBe(1);
  });

  it('successful: transfer(id) answers a maker their own transfer and an approver any of the contract’s', async () => {
    const made = (await withKey('order-2026-0007', 3_000)).body.data.createTransfer;
    for (const client of [maker, approver]) {
      const read = await client.query(TRANSFER, { id: made.id });
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data.transfer).toEqual({ ...made, maker: { loginId: 'user01' } });
    }
  });

  it('failing: another maker’s transfer, another contract’s and an unknown id are NOT_FOUND alike', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const other = await onboardUser(gw, admin, gw.credentials('admin01').confirmationPassword, 'other-maker', ['TRANSFER']);
    const othersTransfer = await withKey(null, 1_000, {}, other.confirmationPassword, other.client);
    expect(othersTransfer.body.errors).toBeUndefined();
    const operator = await sessionAs(gw, 'operator01');
    const elsewhere = await onboardContract(gw, operator, 'ELSE0001', 'else-admin');
    // A maker and approver of another contract (which has no accounts: it only asks).
    const created = await elsewhere.client.query(CREATE_USER, {
      input: {
        loginId: 'else-maker',
        displayName: 'Else Maker',
        permissions: ['TRANSFER', 'TRANSFER_APPROVAL'],
        transferLimitPerTransaction: 1000,
        dailyTransferLimit: 1000,
      },
      confirmationPassword: elsewhere.confirmationPassword,
    });
    const { temporaryPasswords, enrollmentCode } = created.body.data.createUser;
    const identity = await enroll(gw, 'else-maker', enrollmentCode.code, temporaryPasswords.loginPassword);
    const outsider = await firstLogin(gw, identity, temporaryPasswords, 'elsemaker');
    const mine = (await withKey('order-2026-0008', 1_000)).body.data.createTransfer;
    const notFound = (response: GraphqlResponse) => response.body.errors?.[0]?.extensions;
    expect(notFound(await maker.query(TRANSFER, { id: othersTransfer.body.data.createTransfer.id }))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
    expect(notFound(await outsider.client.query(TRANSFER, { id: mine.id }))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(notFound(await approver.query(TRANSFER, { id: 999_999 }))).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });

  // Last: certificates issued after the clock moves ahead would not be valid yet for the real TLS handshake.
  it('successful: 24 hours later the key may be used again, and makes a new transfer', async () => {
    const first = (await withKey('order-2026-0006', 2_000)).body.data.createTransfer;
    gw.clock.advance(23 * 3600_000);
    await loginAsPartner(maker, gw.credentials('user01').loginPassword);
    expect(errorCode(await withKey('order-2026-0006', 2_001))).toBe('IDEMPOTENCY_KEY_REUSED');
    gw.clock.advance(3600_000 + 60_000);
    await loginAsPartner(maker, gw.credentials('user01').loginPassword);
    await loginAsPartner(approver, gw.credentials('user02').loginPassword);
    const again = await withKey('order-2026-0006', 2_001);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.createTransfer.id).not.toBe(first.id);
    expect(await db().countBy(IdempotencyKey, { idempotencyKey: 'order-2026-0006' })).toBe(1);
    expect((await withKey('order-2026-0006', 2_001)).body.data.createTransfer.id).toBe(again.body.data.createTransfer.id);
  });
});
