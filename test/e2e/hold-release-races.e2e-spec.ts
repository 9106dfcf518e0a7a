import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { sessionOn, untilNotRateLimited } from '../helpers/races';

/**
 * Issue 19, item 3, and DESIGN.md §6.10: a held transfer is decided exactly once. The operator's
 * release (which runs it at once) races the customer's 予約取消, another release and the
 * operator's own cancellation, on two gateway processes sharing one database: for each order
 * exactly one wins, the money moves at most once, and the daily limits hold exactly what ran.
 */

const AMOUNT = 3_000;
const VERIFIED = '代表者へ届出番号で折返し、ご本人が振込先と金額を確認';
const ENV = {
  SCHEDULER_INTERVAL_SECONDS: '0',
  // Every order runs the moment it is released, whatever the hour.
  TRANSFER_CUTOFF: 'none',
  // Every transfer to the (never paid) test destination is held.
  NEW_PAYEE_HOLD_HOURS: '24',
  NEW_PAYEE_HOLD_AMOUNT: '1000',
};

type Step = 'release' | 'operatorCancel' | 'customerCancel';
const MUTATION: Record<Step, string> = {
  release:
    'mutation($id: Int!, $pw: String!) { done: releaseHeldTransfer(transferId: $id, verification: "' +
    VERIFIED +
    '", confirmationPassword: $pw) { status } }',
  operatorCancel:
    'mutation($id: Int!, $pw: String!) { done: cancelHeldTransfer(transferId: $id, note: "ご本人に確認できず取消", confirmationPassword: $pw) { status } }',
  customerCancel: 'mutation($id: Int!, $pw: String!) { done: cancelTransfer(transferId: $id, confirmationPassword: $pw) { status } }',
};

/** What a decision came to: the status it left, or its error code. */
const outcome = (response: GraphqlResponse): string => errorCode(response) ?? response.body.data.done.status;

describe('a held transfer’s release racing cancellations and another release on two gateway processes', () => {
  let gw: TestGateway;
  let second: GatewayProcess;
  let accountId: number;

  beforeAll(async () => {
    gw = await TestGateway.start(ENV);
    second = await GatewayProcess.start(gw, { env: ENV });
    const db = gw.gateway.services.db.writableManager;
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false }));
    const contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    accountId = (await db.findOneByOrFail(Account, { contractId, accountNumber: '1234567' })).id;
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  /** `count` held transfers of user01 (each checked HELD); the balance, the day's usage and the audit log's end before the race. */
  async function heldOrders(
    maker: GraphqlClient,
    count: number,
  ): Promise<{ ids: number[]; books: { opening: number; usedBefore: number; auditFrom: number } }> {
    const db = gw.gateway.services.db.writableManager;
    const opening = (await db.findOneByOrFail(Account, { id: accountId })).balance;
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const made = await maker.query(
        'mutation($i: CreateTransferInput!, $pw: String!) { made: createTransfer(input: $i, confirmationPassword: $pw) { id status holdRule } }',
        { i: transferInput(accountId, AMOUNT), pw: gw.credentials('user01').confirmationPassword },
      );
      // The whole body, so that a refusal shows its error.
      expect(made.body).toMatchObject({ data: { made: { status: 'HELD', holdRule: 'NEW_PAYEE' } } });
      ids.push(made.body.data.made.id);
    }
    const user01 = await db.findOneByOrFail(User, { loginId: 'user01' });
    const day = (await db.findOneByOrFail(Transfer, { id: ids[0] })).executionDate;
    const usedBefore = (await db.findOneByOrFail(LimitUsage, { scopeKey: `user:${user01.id}`, businessDate: day })).used;
    return { ids, books: { opening, usedBefore, auditFrom: await lastAuditId() } };
  }

  /** The books after a race: each order as its one winner left it, the account and the day's usage moved by what ran, once. */
  async function expectBooksAgree(
    winners: Map<number, 'EXECUTED' | 'CANCELLED'>,
    books: { opening: number; usedBefore: number; auditFrom: number },
  ) {
    const db = gw.gateway.services.db.writableManager;
    let executedSum = 0;
    for (const [id, status] of winners) {
      expect({ id, status: (await db.findOneByOrFail(Transfer, { id })).status }).toEqual({ id, status });
      expect({ id, lines: await db.countBy(StatementLine, { transferId: id }) }).toEqual({ id, lines: status === 'EXECUTED' ? 1 : 0 });
      if (status === 'EXECUTED') executedSum += AMOUNT;
    }
    expect((await db.findOneByOrFail(Account, { id: accountId })).balance).toBe(books.opening - executedSum);
    const user01 = await db.findOneByOrFail(User, { loginId: 'user01' });
    const day = (await db.findOneByOrFail(Transfer, { id: [...winners.keys()][0] })).executionDate;
    const usage = await db.findOneBy(LimitUsage, { scopeKey: `user:${user01.id}`, businessDate: day });
    // Reserved when they were made; a cancellation gives its reservation back, a run keeps it.
    const cancelledSum = (winners.size - executedSum / AMOUNT) * AMOUNT;
    expect(usage?.used ?? 0).toBe(books.usedBefore - cancelledSum);
    const events = await db.createQueryBuilder(AuditEvent, 'e').where('e.id > :from', { from: books.auditFrom }).getMany();
    const count = (action: AuditAction) => events.filter((e) => e.action === action).length;
    const executed = [...winners.values()].filter((status) => status === 'EXECUTED').length;
    expect({
      released: count(AuditAction.ORDER_RELEASED),
      executed: count(AuditAction.TRANSFER_EXECUTED),
      cancelled: count(AuditAction.TRANSFER_CANCELLED),
    }).toEqual({ released: executed, executed, cancelled: winners.size - executed });
  }

  const lastAuditId = async () =>
    (await gw.gateway.services.db.writableManager.find(AuditEvent, { order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;

  it('release against the customer’s 予約取消: for each of 16 orders exactly one wins — run or cancelled — and the money moves at most once', async () => {
    const origins = [gw.apiOrigin, second.apiOrigin];
    const makers = await sessionOn(gw, 'user01', origins);
    const operators = await sessionOn(gw, 'operator01', origins);
    const { ids, books } = await heldOrders(makers[0], 16);
    const pw = { user01: gw.credentials('user01').confirmationPassword, operator01: gw.credentials('operator01').confirmationPassword };

    const raced = await Promise.all(
      ids.map(async (id, i) => {
        const [released, cancelled] = await Promise.all([
          untilNotRateLimited(() => operators[i % 2].query(MUTATION.release, { id, pw: pw.operator01 })),
          untilNotRateLimited(() => makers[(i + 1) % 2].query(MUTATION.customerCancel, { id, pw: pw.user01 })),
        ]);
        return { id, release: outcome(released), cancel: outcome(cancelled) };
      }),
    );
    const winners = new Map<number, 'EXECUTED' | 'CANCELLED'>();
    for (const { id, release, cancel } of raced) {
      expect({ id, outcomes: [release, cancel].sort() }).toEqual({
        id,
        outcomes: cancel === 'CANCELLED' ? ['BAD_USER_INPUT', 'CANCELLED'] : ['BAD_USER_INPUT', 'EXECUTED'],
      });
      winners.set(id, cancel === 'CANCELLED' ? 'CANCELLED' : 'EXECUTED');
    }
    await expectBooksAgree(winners, books);
  });

  it('two releases and the operator’s cancellation at once, on both processes: exactly one of the three decides each of 12 orders', async () => {
    const origins = [gw.apiOrigin, second.apiOrigin];
    const [maker] = await sessionOn(gw, 'user01', origins);
    const operators = await sessionOn(gw, 'operator01', origins);
    const { ids, books } = await heldOrders(maker, 12);
    const pw = gw.credentials('operator01').confirmationPassword;

    const raced = await Promise.all(
      ids.map(async (id, i) => {
        const answers = await Promise.all(
          (['release', 'release', 'operatorCancel'] as Step[]).map((step, j) =>
            untilNotRateLimited(() => operators[(i + j) % 2].query(MUTATION[step], { id, pw })),
          ),
        );
        return { id, outcomes: answers.map(outcome) };
      }),
    );
    const winners = new Map<number, 'EXECUTED' | 'CANCELLED'>();
    for (const { id, outcomes } of raced) {
      const won = outcomes.filter((o) => o !== 'BAD_USER_INPUT');
      expect({ id, won: won.length, lost: outcomes.length - won.length }).toEqual({ id, won: 1, lost: 2 });
      expect(['EXECUTED', 'CANCELLED']).toContain(won[0]);
      winners.set(id, won[0] as 'EXECUTED' | 'CANCELLED');
    }
    await expectBooksAgree(winners, books);
  });
});
