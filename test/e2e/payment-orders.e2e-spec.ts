import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { User } from '../../src/users/user.entity';
import { atBusinessMorning, bulkLines, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { loginAsPartner } from '../helpers/auth';
import { onboardContract, onboardUser, sessionAs } from '../helpers/lifecycle';

type SignedIn = { client: GraphqlClient; loginPassword: string; confirmationPassword: string };

/** Each kind of payment order, as a client calls it: the same questions must get the same answers. */
interface Kind {
  name: string;
  /** The operations' names: approve<Kind>, reject<Kind>, cancel<Kind>, <read>(id:). */
  mutationSuffix: 'Transfer' | 'BulkTransfer';
  read: 'transfer' | 'bulkTransfer';
  idArgument: 'transferId' | 'bulkTransferId';
  targetType: string;
  cancelled: AuditAction;
  /** Makes one order of `amount` as `client`, on `transferDate` (bulk transfers only) if given. */
  create(client: GraphqlClient, accountId: number, pw: string, amount: number, transferDate?: string): Promise<GraphqlResponse>;
}

const ORDER_FIELDS = 'id status executionDate decidedAt account { id accountNumber } maker { loginId } approver { loginId }';

const KINDS: Kind[] = [
  {
    name: 'transfer',
    mutationSuffix: 'Transfer',
    read: 'transfer',
    idArgument: 'transferId',
    targetType: 'Transfer',
    cancelled: AuditAction.TRANSFER_CANCELLED,
    create: (client, accountId, pw, amount) =>
      client.query(
        `mutation($input: CreateTransferInput!, $pw: String!) { created: createTransfer(input: $input, confirmationPassword: $pw) { ${ORDER_FIELDS} } }`,
        {
          input: transferInput(accountId, amount),
          pw,
        },
      ),
  },
  {
    name: 'bulk transfer',
    mutationSuffix: 'BulkTransfer',
    read: 'bulkTransfer',
    idArgument: 'bulkTransferId',
    targetType: 'BulkTransfer',
    cancelled: AuditAction.BULK_TRANSFER_CANCELLED,
    create: (client, accountId, pw, amount, transferDate) =>
      client.query(
        `mutation($a: Int!, $l: [BulkTransferLineInput!]!, $pw: String!, $d: String) {
          created: createBulkTransfer(fromAccountId: $a, lines: $l, confirmationPassword: $pw, transferDate: $d) { ${ORDER_FIELDS} }
        }`,
        // Two lines, ¥1 and the rest: a line over the per-transfer limit is named by its number (2).
        { a: accountId, l: bulkLines(2, (line) => (line === 1 ? 1 : amount - 1)), pw, d: transferDate ?? null },
      ),
  },
];

const approve = (kind: Kind) =>
  `mutation($id: Int!, $pw: String!) { result: approve${kind.mutationSuffix}(${kind.idArgument}: $id, confirmationPassword: $pw) { ${ORDER_FIELDS} } }`;
const reject = (kind: Kind) =>
  `mutation($id: Int!, $pw: String!) { result: reject${kind.mutationSuffix}(${kind.idArgument}: $id, reason: "wrong", confirmationPassword: $pw) { ${ORDER_FIELDS} } }`;
const cancel = (kind: Kind) =>
  `mutation($id: Int!, $pw: String!) { result: cancel${kind.mutationSuffix}(${kind.idArgument}: $id, confirmationPassword: $pw) { ${ORDER_FIELDS} } }`;
const read = (kind: Kind) => `query($id: Int!) { result: ${kind.read}(id: $id) { ${ORDER_FIELDS} } }`;

const extensions = (response: GraphqlResponse) => response.body.errors?.[0]?.extensions;

describe('payment orders: one lifecycle, the same answers for every kind', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let approver: GraphqlClient;
  let admin: GraphqlClient;
  /** Enrolled before the clock moves (a certificate issued after it is not valid yet for the real handshake). */
  let makerChecker: SignedIn;
  let otherMaker: SignedIn;
  let otherContractAdmin: SignedIn;
  let accountId: number;
  let day: string;
  const pw = (loginId: 'user01' | 'user02' | 'admin01') => gw.credentials(loginId).confirmationPassword;
  const db = () => gw.gateway.services.db.writableManager;
  const balance = async () => (await db().findOneByOrFail(Account, { id: accountId })).balance;
  const usage = async (date: string) => {
    const user01 = await db().findOneByOrFail(User, { loginId: 'user01' });
    return (await db().findOneBy(LimitUsage, { scopeKey: `user:${user01.id}`, businessDate: date }))?.used ?? 0;
  };
  /** An order of `kind` by user01, waiting for approval (the demo contract requires it). */
  async function pending(kind: Kind, amount = 10_000, transferDate?: string): Promise<{ id: number; executionDate: string }> {
    const response = await kind.create(maker, accountId, pw('user01'), amount, transferDate);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.created.status).toBe('PENDING_APPROVAL');
    return response.body.data.created;
  }

  beforeAll(async () => {
    gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0' });
    const firstAdmin = await sessionAs(gw, 'admin01');
    makerChecker = await onboardUser(gw, firstAdmin, pw('admin01'), 'maker-checker', ['TRANSFER', 'TRANSFER_APPROVAL']);
    otherMaker = await onboardUser(gw, firstAdmin, pw('admin01'), 'other-maker', ['TRANSFER']);
    otherContractAdmin = await onboardContract(gw, await sessionAs(gw, 'operator01'), 'CNCL0001', 'cancel-admin');
    day = atBusinessMorning(gw);
    for (const user of [makerChecker, otherMaker, otherContractAdmin]) await loginAsPartner(user.client, user.loginPassword);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    admin = await sessionAs(gw, 'admin01');
    accountId = (await maker.query('{ accounts { id } }')).body.data.accounts[0].id;
  });
  afterAll(() => gw?.stop());

  describe.each(KINDS)('$name', (kind) => {
    it('failing: an unknown id is NOT_FOUND naming the id, to approve, reject, cancel and read alike', async () => {
      const answers = [
        await approver.query(approve(kind), { id: 987_654, pw: pw('user02') }),
        await approver.query(reject(kind), { id: 987_654, pw: pw('user02') }),
        await maker.query(cancel(kind), { id: 987_654, pw: pw('user01') }),
      ].map(extensions);
      expect(answers).toEqual(Array(3).fill({ code: 'NOT_FOUND', field: kind.idArgument }));
      expect(extensions(await maker.query(read(kind), { id: 987_654 }))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    });

    it('failing: approving an order that no longer waits for approval is BAD_USER_INPUT naming the id', async () => {
      const { id } = await pending(kind);
      expect((await approver.query(approve(kind), { id, pw: pw('user02') })).body.data.result.status).toBe('EXECUTED');
      for (const again of [approve(kind), reject(kind)]) {
        expect(extensions(await approver.query(again, { id, pw: pw('user02') }))).toEqual({
          code: 'BAD_USER_INPUT',
          field: kind.idArgument,
        });
      }
    });

    it('failing: the maker cannot approve or reject their own order (maker ≠ checker): FORBIDDEN, and nothing changes', async () => {
      const own = await kind.create(makerChecker.client, accountId, makerChecker.confirmationPassword, 10_000);
      const id = own.body.data.created.id;
      for (const mutation of [approve(kind), reject(kind)]) {
        expect(errorCode(await makerChecker.client.query(mutation, { id, pw: makerChecker.confirmationPassword }))).toBe('FORBIDDEN');
      }
      expect((await approver.query(read(kind), { id })).body.data.result.status).toBe('PENDING_APPROVAL');
    });

    it('failing: over the per-transfer limit is LIMIT_EXCEEDED in one shape (a bulk transfer names the line), and nothing is made', async () => {
      const before = await usage(day);
      const refused = await kind.create(maker, accountId, pw('user01'), 1_000_002);
      expect(extensions(refused)).toEqual({
        code: 'LIMIT_EXCEEDED',
        limit: 'PER_TRANSFER',
        limitAmount: 1_000_000,
        remaining: 1_000_000,
        ...(kind.read === 'bulkTransfer' ? { record: 2 } : {}),
      });
      expect(refused.body.errors![0].message).toMatch(/per-transfer limit of ¥1,000,000; nothing was done\.$/);
      expect(await usage(day)).toBe(before);
    });

    it('successful: the order shows the account paid from, its maker and its approver', async () => {
      const { id } = await pending(kind);
      const approved = (await approver.query(approve(kind), { id, pw: pw('user02') })).body.data.result;
      expect(approved).toMatchObject({
        account: { id: accountId, accountNumber: '1234567' },
        maker: { loginId: 'user01' },
        approver: { loginId: 'user02' },
      });
    });

    it('successful: 予約取消 by the maker: a pending order is CANCELLED, its reserved limit released, audited, nothing moved', async () => {
      const opening = await balance();
      const before = await usage(day);
      const { id } = await pending(kind, 20_000);
      expect(await usage(day)).toBe(before + 20_000);
      const cancelled = await maker.query(cancel(kind), { id, pw: pw('user01') });
      expect(cancelled.body.errors).toBeUndefined();
      expect(cancelled.body.data.result).toMatchObject({ id, status: 'CANCELLED', approver: null, decidedAt: expect.any(String) });
      expect(await usage(day)).toBe(before);
      expect(await balance()).toBe(opening);
      expect(await db().countBy(AuditEvent, { action: kind.cancelled, targetType: kind.targetType, targetId: String(id) })).toBe(1);
      // Decided once: it can be neither approved nor cancelled again.
      expect(extensions(await approver.query(approve(kind), { id, pw: pw('user02') }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: kind.idArgument,
      });
      expect(extensions(await maker.query(cancel(kind), { id, pw: pw('user01') }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: kind.idArgument,
      });
    });

    it('successful: 予約取消 by the contract’s administrator, of an order another user made', async () => {
      const { id } = await pending(kind);
      const cancelled = await admin.query(cancel(kind), { id, pw: pw('admin01') });
      expect(cancelled.body.errors).toBeUndefined();
      expect(cancelled.body.data.result).toMatchObject({ id, status: 'CANCELLED', maker: { loginId: 'user01' } });
      const event = await db().findOneByOrFail(AuditEvent, { action: kind.cancelled, targetId: String(id) });
      expect(event.actorLoginId).toBe('admin01');
    });

    it('failing: nobody else cancels: another maker does not see it, an approver may not, another contract’s administrator does not see it', async () => {
      const { id } = await pending(kind);
      const answers = {
        otherMaker: extensions(await otherMaker.client.query(cancel(kind), { id, pw: otherMaker.confirmationPassword }))?.code,
        approvingMaker: extensions(await makerChecker.client.query(cancel(kind), { id, pw: makerChecker.confirmationPassword }))?.code,
        approverWithoutTransfer: extensions(await approver.query(cancel(kind), { id, pw: pw('user02') }))?.code,
        otherContractAdmin: extensions(
          await otherContractAdmin.client.query(cancel(kind), { id, pw: otherContractAdmin.confirmationPassword }),
        )?.code,
      };
      expect(answers).toEqual({
        otherMaker: 'NOT_FOUND',
        approvingMaker: 'FORBIDDEN',
        approverWithoutTransfer: 'FORBIDDEN',
        otherContractAdmin: 'NOT_FOUND',
      });
      expect((await maker.query(read(kind), { id })).body.data.result.status).toBe('PENDING_APPROVAL');
    });

    it('failing: an executed order cannot be cancelled; a wrong confirmation password cancels nothing', async () => {
      const { id } = await pending(kind);
      const wrong = await maker.query(cancel(kind), { id, pw: 'not-the-password' });
      expect(errorCode(wrong)).toBe('LOGIN_FAILED');
      expect((await maker.query(read(kind), { id })).body.data.result.status).toBe('PENDING_APPROVAL');
      await approver.query(approve(kind), { id, pw: pw('user02') });
      const opening = await balance();
      expect(extensions(await maker.query(cancel(kind), { id, pw: pw('user01') }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: kind.idArgument,
      });
      expect((await maker.query(read(kind), { id })).body.data.result.status).toBe('EXECUTED');
      expect(await balance()).toBe(opening);
    });
  });

  describe('a 予約 approved for a later day', () => {
    it('successful: 予約取消 of an approved 予約 (SCHEDULED for a later day) releases that day’s reservation', async () => {
      const later = nextBusinessDay(nextBusinessDay(day));
      const bulk = KINDS[1];
      const { id, executionDate } = await pending(bulk, 30_000, later);
      expect(executionDate).toBe(later);
      const approved = await approver.query(approve(bulk), { id, pw: pw('user02') });
      expect(approved.body.data.result.status).toBe('SCHEDULED');
      expect(await usage(later)).toBe(30_000);
      const cancelled = await maker.query(cancel(bulk), { id, pw: pw('user01') });
      expect(cancelled.body.data.result).toMatchObject({ status: 'CANCELLED', approver: { loginId: 'user02' } });
      expect(await usage(later)).toBe(0);
      gw.clock.moveTo(new Date(`${later}T10:00:00+09:00`));
      expect(await gw.gateway.services.scheduler.runDue()).toEqual({ executed: 0, failed: 0, taken: 0 });
    });
  });
});
