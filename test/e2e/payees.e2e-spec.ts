import { MoreThan } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { businessDate } from '../../src/banking/calendar/business-day';
import { Payee } from '../../src/banking/payees/payee.entity';
import { findBank, findBranch } from '../../src/banking/zengin/bank-directory';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { Permission, User } from '../../src/users/user.entity';
import { ACCOUNTS, APPROVE, atBusinessMorning, CREATE_TRANSFER, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { loginAsPartner } from '../helpers/auth';
import { onboardContract, onboardUser, sessionAs, type Onboarded } from '../helpers/lifecycle';

const FIELDS = 'id nickname bankCode bankName branchCode branchName accountType accountNumber payeeName';
const CREATE = `mutation($i: CreatePayeeInput!) { createPayee(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($id: Int!, $i: UpdatePayeeInput!) { updatePayee(payeeId: $id, input: $i) { ${FIELDS} } }`;
const DELETE = `mutation($id: Int!) { deletePayee(payeeId: $id) { ${FIELDS} } }`;
const LIST = `query($first: Int!, $after: Int, $search: String) { payees(first: $first, after: $after, search: $search) { items { ${FIELDS} } nextCursor } }`;
const CREATE_FROM_PAYEE = `mutation($input: CreateTransferInput!, $pw: String!) {
  createTransfer(input: $input, confirmationPassword: $pw) {
    id status payeeId payeeName destinationBankCode destinationBranchCode destinationAccountType destinationAccountNumber amount
    destinationBankName destinationBankNameKana destinationBranchName destinationBranchNameKana requestedDate scheduledReason
  }
}`;

const payeeInput = (overrides: Record<string, unknown> = {}) => ({
  nickname: '東京商事',
  bankCode: '0001',
  branchCode: '001',
  accountType: 'ORDINARY',
  accountNumber: '1111111',
  payeeName: 'ﾄｳｷｮｳ ｼｮｳｼﾞ',
  ...overrides,
});

/**
 * Issue 17, item 3: 振込先登録. Payees of a contract are registered, changed and deleted by users
 * with PAYEE_MANAGEMENT (granted by the administrator), audited, listed to those who make
 * transfers, checked against the bank directory and the one payee-name rule; a transfer made from
 * a payee copies its account, so a later change of the payee does not alter it.
 */
describe('registered payees (振込先登録)', () => {
  let gw: TestGateway;
  let clerk: GraphqlClient; // PAYEE_MANAGEMENT only, granted by admin01
  let maker: GraphqlClient; // user01: TRANSFER
  let approver: GraphqlClient; // user02: TRANSFER_APPROVAL only
  let admin: GraphqlClient;
  let other: Onboarded; // another contract's administrator, with PAYEE_MANAGEMENT
  let accountId: number;
  const db = () => gw.gateway.services.db.writableManager;
  const lastAuditId = async () => (await db().find(AuditEvent, { order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;
  const auditSince = (id: number) => db().find(AuditEvent, { where: { id: MoreThan(id) }, order: { id: 'ASC' } });

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    // Enrolled before the clock moves (a certificate is valid from the gateway's now), logged in after it.
    const onboarded = await onboardUser(gw, await sessionAs(gw, 'admin01'), gw.credentials('admin01').confirmationPassword, 'payee-clerk', [
      'PAYEE_MANAGEMENT',
    ]);
    other = await onboardContract(gw, await sessionAs(gw, 'operator01'), 'PAYE0001', 'payee-other-admin');
    // That contract's administrator manages its payees too (set directly: the contract has no accounts to onboard a user with).
    await db().update(User, { loginId: 'payee-other-admin' }, { permissions: [Permission.PAYEE_MANAGEMENT] });
    atBusinessMorning(gw);
    clerk = onboarded.client;
    await loginAsPartner(clerk, onboarded.loginPassword);
    await loginAsPartner(other.client, other.loginPassword);
    admin = await sessionAs(gw, 'admin01');
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
  });
  afterAll(() => gw.stop());

  it('only PAYEE_MANAGEMENT registers a payee: makers, approvers and the administrator without it are FORBIDDEN and nothing is stored', async () => {
    for (const caller of [maker, approver, admin]) {
      const refused = await caller.query(CREATE, { i: payeeInput() });
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.body.errors![0].extensions?.required).toBe('PAYEE_MANAGEMENT');
    }
    expect(await db().count(Payee)).toBe(0);
  });

  it('a registered payee carries the directory names and the name as the bank records it; the registration is audited with its actor', async () => {
    const before = await lastAuditId();
    const created = await clerk.query(CREATE, { i: payeeInput() });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createPayee).toMatchObject({
      nickname: '東京商事',
      bankCode: '0001',
      bankName: 'みずほ',
      branchCode: '001',
      branchName: '東京営業部',
      accountNumber: '1111111',
      payeeName: 'トウキヨウ シヨウジ', // small kana enlarged, full-width: what the bank records
    });
    const audit = await auditSince(before);
    expect(audit.map((e) => e.action)).toEqual([AuditAction.PAYEE_CREATED]);
    const clerkId = (await db().findOneByOrFail(User, { loginId: 'payee-clerk' })).id;
    expect(audit[0]).toMatchObject({ actorUserId: clerkId, targetType: 'Payee', targetId: String(created.body.data.createPayee.id) });
    expect(JSON.parse(audit[0].detail!).payee).toMatchObject({ accountNumber: '1111111', payeeName: 'トウキヨウ シヨウジ' });
  });

  it.each([
    ['an unknown bank', { bankCode: '9999' }, 'bankCode'],
    ['an unknown branch', { branchCode: '999' }, 'branchCode'],
    ['a six-digit account number', { accountNumber: '123456' }, 'accountNumber'],
    ['a name with ー (the Zengin rule refuses it)', { payeeName: 'サービス' }, 'payeeName'],
    ['a name with ヲ', { payeeName: 'ヲガタ' }, 'payeeName'],
    ['a blank nickname', { nickname: '  ' }, 'nickname'],
    ['an account already registered for the contract', { nickname: '別名' }, 'accountNumber'],
  ])('%s is BAD_USER_INPUT naming the field; nothing is stored or audited', async (_what, overrides, field) => {
    const [payees, before] = [await db().count(Payee), await lastAuditId()];
    const refused = await clerk.query(CREATE, { i: payeeInput(overrides) });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors![0].extensions?.field).toBe(field);
    expect(await db().count(Payee)).toBe(payees);
    expect(await auditSince(before)).toEqual([]);
  });

  it('payees are listed to makers and the administrator, page by page, and found by nickname, kana in any width or account number; approvers alone cannot list them', async () => {
    await clerk.query(CREATE, { i: payeeInput({ nickname: '大阪物産', accountNumber: '2222222', payeeName: 'ｵｵｻｶ ﾌﾞｯｻﾝ' }) });
    await clerk.query(CREATE, { i: payeeInput({ nickname: '名古屋運輸', accountNumber: '3333333', payeeName: 'ﾅｺﾞﾔ ｳﾝﾕ' }) });
    const first = await maker.query(LIST, { first: 2 });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.payees.items.map((p: { nickname: string }) => p.nickname)).toEqual(['東京商事', '大阪物産']);
    const second = await admin.query(LIST, { first: 2, after: first.body.data.payees.nextCursor });
    expect(second.body.data.payees).toMatchObject({ items: [{ nickname: '名古屋運輸' }], nextCursor: null });
    const found = async (search: string) =>
      (await maker.query(LIST, { first: 10, search })).body.data.payees.items.map((p: { nickname: string }) => p.nickname);
    expect(await found('大阪')).toEqual(['大阪物産']);
    expect(await found('ﾌﾞｯｻﾝ')).toEqual(['大阪物産']);
    expect(await found('ぶっさん')).toEqual(['大阪物産']);
    expect(await found('3333333')).toEqual(['名古屋運輸']);
    expect(await found('%')).toEqual([]);
    expect(errorCode(await approver.query(LIST, { first: 10 }))).toBe('FORBIDDEN');
  });

  it("another contract's administrator sees none of these payees, and cannot reach one by id", async () => {
    const listed = await other.client.query(LIST, { first: 10 });
    expect(listed.body.data.payees.items).toEqual([]);
    const id = (await db().findOneByOrFail(Payee, { nickname: '東京商事' })).id;
    for (const attempt of [other.client.query(UPDATE, { id, i: { nickname: 'x' } }), other.client.query(DELETE, { id })]) {
      const refused = await attempt;
      expect(errorCode(refused)).toBe('NOT_FOUND');
      expect(refused.body.errors![0].extensions?.field).toBe('payeeId');
    }
    expect(await db().findOneByOrFail(Payee, { id })).toMatchObject({ nickname: '東京商事' });
  });

  it('createTransfer with a payeeId copies its account and name; changing the payee afterwards does not alter the order, which executes as made', async () => {
    const payee = (await db().findOneByOrFail(Payee, { nickname: '東京商事' })).id;
    const made = await maker.query(CREATE_FROM_PAYEE, {
      input: { fromAccountId: accountId, payeeId: payee, amount: 12_345 },
      pw: gw.credentials('user01').confirmationPassword,
    });
    expect(made.body.errors).toBeUndefined();
    const transfer = made.body.data.createTransfer;
    expect(transfer).toMatchObject({
      status: 'PENDING_APPROVAL',
      payeeId: payee,
      payeeName: 'トウキヨウ シヨウジ',
      destinationBankCode: '0001',
      destinationBranchCode: '001',
      destinationAccountType: 'ORDINARY',
      destinationAccountNumber: '1111111',
      // The directory's names when it was made, kept on the transfer as for one typed in.
      destinationBankName: findBank('0001')!.name,
      destinationBankNameKana: findBank('0001')!.kana,
      destinationBranchName: findBranch('0001', '001')!.name,
      destinationBranchNameKana: findBranch('0001', '001')!.kana,
      requestedDate: null,
    });
    expect(await db().findOneByOrFail(Transfer, { id: transfer.id })).toMatchObject({
      destinationBankName: findBank('0001')!.name,
      destinationBranchName: findBranch('0001', '001')!.name,
    });

    const before = await lastAuditId();
    const changed = await clerk.query(UPDATE, {
      id: payee,
      i: { branchCode: '004', accountNumber: '4444444', payeeName: 'ﾄｳｷｮｳ ｼｮｳｼﾞ ｶ)' },
    });
    expect(changed.body.data.updatePayee).toMatchObject({ branchName: '丸の内中央', accountNumber: '4444444', nickname: '東京商事' });
    const [event] = await auditSince(before);
    expect(event.action).toBe(AuditAction.PAYEE_CHANGED);
    expect(JSON.parse(event.detail!)).toMatchObject({
      from: { branchCode: '001', accountNumber: '1111111' },
      to: { branchCode: '004', accountNumber: '4444444', payeeName: 'トウキヨウ シヨウジ カ)' },
    });

    const approved = await approver.query(APPROVE, { id: transfer.id, pw: gw.credentials('user02').confirmationPassword });
    expect(approved.body.data.approveTransfer.status).toBe('EXECUTED');
    expect(await db().findOneByOrFail(Transfer, { id: transfer.id })).toMatchObject({
      destinationBranchCode: '001',
      destinationAccountNumber: '1111111',
      payeeName: 'トウキヨウ シヨウジ',
      payeeId: payee,
    });
  });

  it('createTransfer with a payeeId takes a transferDate: the order is kept for the day asked for', async () => {
    const payee = (await db().findOneByOrFail(Payee, { nickname: '大阪物産' })).id;
    const day = nextBusinessDay(businessDate(gw.clock.now()));
    const made = await maker.query(CREATE_FROM_PAYEE, {
      input: { fromAccountId: accountId, payeeId: payee, amount: 1_000, transferDate: day },
      pw: gw.credentials('user01').confirmationPassword,
    });
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data.createTransfer).toMatchObject({ payeeId: payee, requestedDate: day, scheduledReason: 'REQUESTED_DATE' });
    expect(await db().findOneByOrFail(Transfer, { id: made.body.data.createTransfer.id })).toMatchObject({ executionDate: day });
  });

  it.each([
    ['both a payee and destination fields', (payeeId: number) => ({ ...transferInput(0, 1), payeeId }), 'payeeId'],
    ['neither', () => ({ fromAccountId: 0, amount: 1 }), 'payeeId'],
    ['destination fields without payeeName', () => ({ ...transferInput(0, 1), payeeName: null }), 'payeeName'],
    ['an unknown payeeId', () => ({ fromAccountId: 0, payeeId: 999_999, amount: 1 }), 'payeeId'],
  ])(
    'createTransfer with %s is refused, naming the field, before the confirmation password; nothing is made',
    async (what, input, field) => {
      const payee = (await db().findOneByOrFail(Payee, { nickname: '大阪物産' })).id;
      const transfers = await db().count(Transfer);
      const refused = await maker.query(CREATE_FROM_PAYEE, {
        input: { ...input(payee), fromAccountId: accountId },
        pw: 'wrong-password',
      });
      expect(errorCode(refused)).toBe(what.startsWith('an unknown') ? 'NOT_FOUND' : 'BAD_USER_INPUT');
      expect(refused.body.errors![0].extensions?.field).toBe(field);
      expect(await db().count(Transfer)).toBe(transfers);
      expect((await db().findOneByOrFail(User, { loginId: 'user01' })).failedAttempts).toBe(0);
    },
  );

  it('a single transfer takes the one name rule: ｼｮｳｼﾞ is recorded and shown as シヨウジ, and ー is refused as in a Zengin file', async () => {
    const pw = gw.credentials('user01').confirmationPassword;
    const made = await maker.query(CREATE_TRANSFER, { input: transferInput(accountId, 1, { payeeName: 'ｼｮｳｼﾞ' }), pw });
    expect(made.body.data.createTransfer.payeeName).toBe('シヨウジ');
    const refused = await maker.query(CREATE_TRANSFER, { input: transferInput(accountId, 1, { payeeName: 'サービス' }), pw });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors![0].extensions?.field).toBe('payeeName');
    expect(refused.body.errors![0].message).toContain('write "-"');
  });

  it('a deleted payee is gone from the list and audited; transfers made from it keep their copy', async () => {
    const payee = await db().findOneByOrFail(Payee, { nickname: '東京商事' });
    const before = await lastAuditId();
    const deleted = await clerk.query(DELETE, { id: payee.id });
    expect(deleted.body.data.deletePayee).toMatchObject({ id: payee.id, accountNumber: '4444444' });
    expect((await auditSince(before)).map((e) => e.action)).toEqual([AuditAction.PAYEE_DELETED]);
    const listed = await maker.query(LIST, { first: 10 });
    expect(listed.body.data.payees.items.map((p: { id: number }) => p.id)).not.toContain(payee.id);
    expect(await db().countBy(Transfer, { payeeId: payee.id, destinationAccountNumber: '1111111' })).toBe(1);
    expect(errorCode(await clerk.query(DELETE, { id: payee.id }))).toBe('NOT_FOUND');
  });
});
