import { User } from '../../src/users/user.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { businessDate } from '../../src/banking/calendar/business-day';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { Contract } from '../../src/contract/contract.entity';
import { loginAsPartner } from '../helpers/auth';
import { atBusinessMorning, concurrentTransfers, expectTransferBooksAgree } from '../helpers/banking';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess, TOPOLOGIES } from '../helpers/gateway-process';

/**
 * DESIGN.md §6.3: the sum of a user's (and a contract's) transfers on a day never exceeds the
 * limit, balances never go negative, and a transfer is all or nothing — with 120 transfers at
 * once from two gateway processes on one database, and on the two workers of one WORKERS=2 gateway.
 */
describe.each(TOPOLOGIES)('transfers under concurrency, $name', (topology) => {
  let gw: TestGateway;
  let second: GatewayProcess;
  let origins: string[];
  let accountId: number;
  let user01Id: number;
  let contractId: number;
  const db = () => gw.gateway.services.db.writableManager;

  beforeAll(async () => {
    // Every transfer runs the moment it is made, whatever day and hour the tests run: this spec is
    // about concurrency (bank-days.e2e-spec.ts is about the calendar). Both gateways are at 10:00
    // (Tokyo) of a business day (the process shares the test's clock): a day's limit is never split by midnight.
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    atBusinessMorning(gw);
    second = await GatewayProcess.start(gw, { env: { TRANSFER_CUTOFF: 'none', WORKERS: String(topology.workers) } });
    origins = second.originsFor(gw, topology);
    const contract = await db().findOneByOrFail(Contract, { code: 'DEMO0001' });
    contractId = contract.id;
    user01Id = (await db().findOneByOrFail(User, { loginId: 'user01' })).id;
    // Immediate execution (no approval step), so every accepted transfer moves money at once.
    await gw.gateway.services.db.transaction((m) =>
      m.update(Contract, { id: contractId }, { requiresApproval: false, dailyTransferLimit: 100_000_000 }),
    );
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  async function fire(count: number, amount: number): Promise<Record<string, number>> {
    const fired = await concurrentTransfers(gw, origins, count, amount);
    accountId = fired.accountId;
    return fired.outcomes;
  }

  it('failing: 120 concurrent transfers of ¥100,000 against a ¥3,000,000 daily limit execute exactly ¥3,000,000', async () => {
    const opening = 50_212_000;
    const outcome = await fire(120, 100_000);
    expect(outcome).toEqual({ EXECUTED: 30, LIMIT_EXCEEDED: 90 });
    expect(await expectTransferBooksAgree(gw, accountId, opening)).toBe(3_000_000);
    if (topology.workers > 1) expect(await second.workersThatServed(2)).toEqual([1, 2]);
  });

  it('failing: when funds run out first, the balance stops at exactly zero and never goes negative', async () => {
    const executedBefore = (await db().findBy(Transfer, { accountId, status: TransferStatus.EXECUTED })).reduce((s, t) => s + t.amount, 0);
    await gw.gateway.services.db.transaction(async (m) => {
      await m.update(User, { id: user01Id }, { dailyTransferLimit: 1_000_000_000 });
      // Leave exactly ¥1,000,000: ten of the transfers below fit.
      await m.update(Account, { id: accountId }, { balance: 1_000_000 });
    });
    const outcome = await fire(120, 100_000);
    expect(outcome).toEqual({ EXECUTED: 10, INSUFFICIENT_FUNDS: 110 });
    expect((await db().findOneByOrFail(Account, { id: accountId })).balance).toBe(0);
    const executedNow = (await db().findBy(Transfer, { accountId, status: TransferStatus.EXECUTED })).reduce((s, t) => s + t.amount, 0);
    expect(executedNow - executedBefore).toBe(1_000_000);
  });

  it('failing: a list of transfers costs the same number of SQL statements for 10 rows as for 100 (no N+1)', async () => {
    const approver = gw.asUser('user02');
    await loginAsPartner(approver, gw.credentials('user02').loginPassword);
    const LIST =
      'query($first: Int!) { transfers(first: $first) { items { id maker { loginId } approver { loginId } account { accountNumber } } } }';
    const counter = gw.gateway.services.db.queryCounter;
    const measure = async (first: number) => {
      const before = counter.count;
      const response = await approver.query(LIST, { first });
      expect(response.body.data.transfers.items).toHaveLength(first);
      return counter.count - before;
    };
    // Rejected rows from other makers and approvers, so maker, approver and account all vary.
    const user02Id = (await db().findOneByOrFail(User, { loginId: 'user02' })).id;
    const admin01Id = (await db().findOneByOrFail(User, { loginId: 'admin01' })).id;
    const otherAccount = (await db().findOneByOrFail(Account, { contractId, accountNumber: '7654321' })).id;
    await gw.gateway.services.db.transaction((m) =>
      m.insert(
        Transfer,
        Array.from({ length: 100 }, (_, i) => ({
          contractId,
          accountId: i % 2 ? accountId : otherAccount,
          makerUserId: i % 3 ? user01Id : admin01Id,
          makerCertificateFingerprint: 'f'.repeat(64),
          approverUserId: user02Id,
          approverCertificateFingerprint: 'e'.repeat(64),
          destinationBankCode: '0009',
          destinationBranchCode: '123',
          destinationAccountType: 'ORDINARY' as never,
          destinationAccountNumber: '7654321',
          payeeName: 'カ)テスト',
          amount: 1000 + i,
          businessDate: businessDate(gw.clock.now()),
          executionDate: businessDate(gw.clock.now()),
          status: TransferStatus.REJECTED,
          createdAt: gw.clock.now(),
          decidedAt: gw.clock.now(),
          rejectionReason: 'test data',
        })),
      ),
    );
    const ten = await measure(10);
    const hundred = await measure(100);
    expect(hundred).toBe(ten);
    expect(ten).toBeLessThanOrEqual(6);
  });
});
