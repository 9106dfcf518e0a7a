import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { BulkTransfer } from '../../src/banking/bulk-transfers/bulk-transfer.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { Contract } from '../../src/contract/contract.entity';
import { User } from '../../src/users/user.entity';
import { bulkLines, tokyoTime, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { sessionOn, untilNotRateLimited } from '../helpers/races';

/**
 * Issue 17, item 5, and DESIGN.md §6.10: every payment order is decided exactly once. A
 * cancellation (予約取消) racing an approval that executes the order, or racing the scheduled run,
 * on two gateway processes sharing one database: for each order exactly one of them wins, the
 * money moves at most once, and the daily limits hold exactly what executed.
 */

type KindName = 'transfer' | 'bulkTransfer';
const KINDS: KindName[] = ['transfer', 'bulkTransfer'];
const ID_ARGUMENT = { transfer: 'transferId', bulkTransfer: 'bulkTransferId' } as const;
const SUFFIX = { transfer: 'Transfer', bulkTransfer: 'BulkTransfer' } as const;
const ENTITY = { transfer: Transfer, bulkTransfer: BulkTransfer } as const;
/** Two lines of ¥1,000 and ¥2,000 per bulk transfer. */
const AMOUNT = { transfer: 3_000, bulkTransfer: 3_000 } as const;
const LINES = { transfer: 1, bulkTransfer: 2 } as const;

interface Order {
  kind: KindName;
  id: number;
}

async function create(client: GraphqlClient, kind: KindName, accountId: number, pw: string): Promise<Order> {
  const response =
    kind === 'transfer'
      ? await client.query(
          'mutation($i: CreateTransferInput!, $pw: String!) { made: createTransfer(input: $i, confirmationPassword: $pw) { id status } }',
          { i: transferInput(accountId, AMOUNT.transfer), pw },
        )
      : await client.query(
          'mutation($a: Int!, $l: [BulkTransferLineInput!]!, $pw: String!) { made: createBulkTransfer(fromAccountId: $a, lines: $l, confirmationPassword: $pw) { id status } }',
          { a: accountId, l: bulkLines(2, (line) => line * 1_000), pw },
        );
  expect(response.body.errors).toBeUndefined();
  return { kind, id: response.body.data.made.id };
}

function decide(client: GraphqlClient, step: 'approve' | 'cancel', order: Order, pw: string): Promise<GraphqlResponse> {
  const mutation = `${step}${SUFFIX[order.kind]}`;
  return untilNotRateLimited(() =>
    client.query(
      `mutation($id: Int!, $pw: String!) { done: ${mutation}(${ID_ARGUMENT[order.kind]}: $id, confirmationPassword: $pw) { status } }`,
      {
        id: order.id,
        pw,
      },
    ),
  );
}

/** What a decision request came to: the status it left, or its error code. */
const outcome = (response: GraphqlResponse): string => errorCode(response) ?? response.body.data.done.status;

/**
 * The books after the race: each order EXECUTED or CANCELLED as its winner said; the account
 * debited once per executed order and never for a cancelled one (its statement lines likewise);
 * the user's usage on `day` exactly what executed; one audit event per outcome.
 */
async function expectBooksAgree(
  gw: TestGateway,
  orders: Order[],
  winners: Map<Order, 'EXECUTED' | 'CANCELLED'>,
  books: { accountId: number; opening: number; day: string },
) {
  const db = gw.gateway.services.db.writableManager;
  let executedSum = 0;
  for (const order of orders) {
    const stored = await db.findOneByOrFail(ENTITY[order.kind], { id: order.id });
    expect({ ...order, status: stored.status }).toEqual({ ...order, status: winners.get(order) });
    const lines = await db.countBy(StatementLine, order.kind === 'transfer' ? { transferId: order.id } : { bulkTransferId: order.id });
    expect({ ...order, lines }).toEqual({ ...order, lines: stored.status === 'EXECUTED' ? LINES[order.kind] : 0 });
    if (stored.status === 'EXECUTED') executedSum += AMOUNT[order.kind];
  }
  expect((await db.findOneByOrFail(Account, { id: books.accountId })).balance).toBe(books.opening - executedSum);
  const user01 = await db.findOneByOrFail(User, { loginId: 'user01' });
  expect((await db.findOneBy(LimitUsage, { scopeKey: `user:${user01.id}`, businessDate: books.day }))?.used ?? 0).toBe(executedSum);
  const count = (action: AuditAction) => db.countBy(AuditEvent, { action });
  const executed = [...winners.values()].filter((status) => status === 'EXECUTED').length;
  expect({
    executed: (await count(AuditAction.TRANSFER_EXECUTED)) + (await count(AuditAction.BULK_TRANSFER_EXECUTED)),
    cancelled: (await count(AuditAction.TRANSFER_CANCELLED)) + (await count(AuditAction.BULK_TRANSFER_CANCELLED)),
  }).toEqual({ executed, cancelled: orders.length - executed });
}

interface Pair {
  gw: TestGateway;
  second: GatewayProcess;
  accountId: number;
  opening: number;
}

/** This gateway and a second gateway process on its database, both with `env`, for the describe block that calls it. */
function twoProcesses(env: Record<string, string>): Pair {
  const pair = {} as Pair;
  beforeAll(async () => {
    pair.gw = await TestGateway.start({ SCHEDULER_INTERVAL_SECONDS: '0', ...env });
    pair.second = await GatewayProcess.start(pair.gw, { env: { SCHEDULER_INTERVAL_SECONDS: '0', ...env } });
    const db = pair.gw.gateway.services.db.writableManager;
    const contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    const account = await db.findOneByOrFail(Account, { contractId, accountNumber: '1234567' });
    pair.accountId = account.id;
    pair.opening = account.balance;
  });
  afterAll(async () => {
    await pair.second?.stop();
    await pair.gw?.stop();
  });
  return pair;
}

describe('予約取消 racing an approval on another gateway process', () => {
  // Every order runs the moment it is approved (no cut-off), so an approval that wins executes it in the same transaction.
  const pair = twoProcesses({ TRANSFER_CUTOFF: 'none' });

  it('successful: for each of 24 orders exactly one wins — executed by the approval or cancelled — and the money moves at most once', async () => {
    const { gw, second, accountId, opening } = pair;
    const origins = [gw.apiOrigin, second.apiOrigin];
    const makers = await sessionOn(gw, 'user01', origins);
    const approvers = await sessionOn(gw, 'user02', origins);
    const orders: Order[] = [];
    for (let i = 0; i < 24; i++)
      orders.push(await create(makers[0], KINDS[i % 2], accountId, gw.credentials('user01').confirmationPassword));

    // The maker cancels on one process while the approver approves on the other (sides swapped every other order).
    const raced = await Promise.all(
      orders.map(async (order, i) => {
        const [cancelled, approved] = await Promise.all([
          decide(makers[i % 2], 'cancel', order, gw.credentials('user01').confirmationPassword),
          decide(approvers[(i + 1) % 2], 'approve', order, gw.credentials('user02').confirmationPassword),
        ]);
        return { order, cancel: outcome(cancelled), approve: outcome(approved) };
      }),
    );
    const winners = new Map<Order, 'EXECUTED' | 'CANCELLED'>();
    for (const { order, cancel, approve } of raced) {
      // Exactly one: the winner's answer is the order's new status, the loser is told it is no longer pending.
      expect([cancel, approve].sort()).toEqual(cancel === 'CANCELLED' ? ['BAD_USER_INPUT', 'CANCELLED'] : ['BAD_USER_INPUT', 'EXECUTED']);
      winners.set(order, cancel === 'CANCELLED' ? 'CANCELLED' : 'EXECUTED');
    }
    const day = (await gw.gateway.services.db.writableManager.findOneByOrFail(Transfer, { id: orders[0].id })).executionDate;
    await expectBooksAgree(gw, orders, winners, { accountId, opening, day });
  });
});

describe('予約取消 racing the scheduled run on another gateway process', () => {
  // A cut-off at 00:00 makes every order a 予約 for the next business day, whatever the hour.
  const pair = twoProcesses({ TRANSFER_CUTOFF: '00:00' });

  it('successful: for each of 40 予約 exactly one wins — run or cancelled — and the limits of the day hold exactly what ran', async () => {
    const { gw, second, accountId, opening } = pair;
    await gw.gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false }));
    // The maker works on the second process (the real clock); the scheduled run is this process's, its clock moved to the day.
    const [maker] = await sessionOn(gw, 'user01', [second.apiOrigin]);
    const orders: Order[] = [];
    for (let i = 0; i < 40; i++) orders.push(await create(maker, KINDS[i % 2], accountId, gw.credentials('user01').confirmationPassword));
    const db = gw.gateway.services.db.writableManager;
    const runDay = (await db.findOneByOrFail(Transfer, { id: orders[0].id })).executionDate;
    expect(await db.countBy(Transfer, { status: TransferStatus.SCHEDULED })).toBe(20);
    gw.clock.moveTo(tokyoTime(runDay, '09:00'));

    // The cancellations come newest first, and the run (oldest first) starts as soon as the first is through, so that they meet on the way.
    const newestFirst = [...orders].reverse();
    const cancelling = newestFirst.map((order) => decide(maker, 'cancel', order, gw.credentials('user01').confirmationPassword));
    await Promise.race(cancelling);
    const [run, cancels] = await Promise.all([gw.gateway.services.scheduler.runDue(), Promise.all(cancelling)]);
    const cancelOutcomes = new Map(newestFirst.map((order, i) => [order, outcome(cancels[i])]));
    const winners = new Map<Order, 'EXECUTED' | 'CANCELLED'>();
    for (const order of orders) {
      const cancel = cancelOutcomes.get(order)!;
      expect({ ...order, cancel: ['CANCELLED', 'BAD_USER_INPUT'].includes(cancel) }).toEqual({ ...order, cancel: true });
      winners.set(order, cancel === 'CANCELLED' ? 'CANCELLED' : 'EXECUTED');
    }
    const cancelled = [...winners.values()].filter((status) => status === 'CANCELLED').length;
    expect(run).toMatchObject({ executed: orders.length - cancelled, failed: 0 });
    await expectBooksAgree(gw, orders, winners, { accountId, opening, day: runDay });
  });
});
