import { expect } from '@jest/globals';
import { Account, AccountType } from '../../src/banking/accounts/account.entity';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { writeZenginTransferFile } from '../../src/banking/zengin';
import { businessDate } from '../../src/banking/calendar/business-day';
import { StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { LimitUsage } from '../../src/banking/limits/limit-usage.entity';
import { Transfer, TransferStatus } from '../../src/banking/transfers/transfer.entity';
import { User } from '../../src/users/user.entity';
import { DEMO_BANK_CODE } from '../../src/config';
import { loginAsPartner } from './auth';
import { errorCode, type GraphqlClient, type GraphqlResponse } from './client';
import type { TestGateway } from './gateway';

export const CREATE_TRANSFER = `mutation Create($input: CreateTransferInput!, $pw: String!) {
  createTransfer(input: $input, confirmationPassword: $pw) {
    id status amount payeeName businessDate
    maker { loginId } approver { loginId } account { id accountNumber balance }
  }
}`;

export const APPROVE =
  'mutation($id: Int!, $pw: String!) { approveTransfer(transferId: $id, confirmationPassword: $pw) { id status approver { loginId } account { balance } } }';
export const REJECT =
  'mutation($id: Int!, $pw: String!) { rejectTransfer(transferId: $id, reason: "wrong payee", confirmationPassword: $pw) { id status rejectionReason } }';
export const ACCOUNTS = '{ accounts { id branchCode branchName accountType accountNumber holderName balance } }';

export function transferInput(fromAccountId: number, amount: unknown, overrides: Record<string, unknown> = {}) {
  return {
    fromAccountId,
    destinationBankCode: '0009',
    destinationBranchCode: '123',
    destinationAccountType: 'ORDINARY',
    destinationAccountNumber: '7654321',
    payeeName: 'ｶ)ﾃﾞﾓ ｼｮｳｼﾞ',
    amount,
    ...overrides,
  };
}

/**
 * Makes a transfer as a client under load would: the confirmation password is checked at most 6
 * at a time per user (DESIGN.md §6.1), so a RATE_LIMITED answer (nothing done) is tried again.
 */
async function createTransferRetryingRateLimits(
  client: GraphqlClient,
  fromAccountId: number,
  amount: number,
  confirmationPassword: string,
): Promise<GraphqlResponse> {
  for (;;) {
    const response = await client.query(CREATE_TRANSFER, { input: transferInput(fromAccountId, amount), pw: confirmationPassword });
    if (errorCode(response) !== 'RATE_LIMITED') return response;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
}

/**
 * user01 makes `count` transfers of `amount` from its first account all at once, over 24
 * connections spread evenly over `origins` (gateway instances), in one session. Returns how many
 * ended in each outcome (the transfer's status, or the error code) and the account's id.
 */
export async function concurrentTransfers(
  gw: TestGateway,
  origins: string[],
  count: number,
  amount: number,
): Promise<{ outcomes: Record<string, number>; accountId: number }> {
  const token = await loginAsPartner(gw.asUser('user01'), gw.credentials('user01').loginPassword);
  const clients = Array.from({ length: 24 }, (_, i) => {
    const client = gw.withCertificate(gw.demoIdentity('user01'), origins[i % origins.length]);
    client.bearer = token;
    return client;
  });
  const accountId: number = (await clients[0].query(ACCOUNTS)).body.data.accounts[0].id;
  const pw = gw.credentials('user01').confirmationPassword;
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) => createTransferRetryingRateLimits(clients[i % clients.length], accountId, amount, pw)),
  );
  const outcomes = responses.reduce<Record<string, number>>((acc, r) => {
    const key = errorCode(r) ?? r.body.data.createTransfer.status;
    return { ...acc, [key]: (acc[key] ?? 0) + 1 };
  }, {});
  return { outcomes, accountId };
}

/**
 * DESIGN.md §6.3 after concurrent immediate transfers from user01's account: the balance is the
 * opening balance less what executed and not below zero, one statement line per executed
 * transfer, the user's daily limit usage equal to what executed, nothing left half-done.
 * Returns the sum executed.
 */
export async function expectTransferBooksAgree(gw: TestGateway, accountId: number, openingBalance: number): Promise<number> {
  const db = gw.gateway.services.db.writableManager;
  const executed = await db.findBy(Transfer, { accountId, status: TransferStatus.EXECUTED });
  const executedSum = executed.reduce((sum, t) => sum + t.amount, 0);
  const lines = await db.findBy(StatementLine, { accountId });
  const debits = lines.filter((l) => l.transferId !== null);
  const account = await db.findOneByOrFail(Account, { id: accountId });
  expect(account.balance).toBeGreaterThanOrEqual(0);
  expect(account.balance).toBe(openingBalance - executedSum);
  expect(debits).toHaveLength(executed.length); // one statement line per executed transfer, no more
  expect(debits.reduce((sum, l) => sum + l.amount, 0)).toBe(executedSum);
  const user01 = await db.findOneByOrFail(User, { loginId: 'user01' });
  const usage = await db.findOneByOrFail(LimitUsage, { scopeKey: `user:${user01.id}`, businessDate: businessDate(gw.clock.now()) });
  expect(usage.used).toBe(executedSum);
  expect(await db.countBy(Transfer, { status: TransferStatus.PENDING_APPROVAL })).toBe(0);
  return executedSum;
}

/** A moment of a day in Asia/Tokyo: tokyoTime('2026-12-01', '15:00'). */
export function tokyoTime(date: string, time = '10:00'): Date {
  return new Date(`${date}T${time}:00+09:00`);
}

/**
 * Moves the gateway's clock to 10:00 (Asia/Tokyo) of the next bank business day, so that a
 * transfer made now runs the same day, before the cut-off, whatever day and hour the tests run.
 * Call it before logging in (sessions time out when the clock jumps) and after enrolling.
 */
export function atBusinessMorning(gw: TestGateway): string {
  const day = nextBusinessDay(businessDate(gw.clock.now()));
  gw.clock.moveTo(tokyoTime(day));
  return day;
}

/** Bank and branch codes that the zengin-code directory knows, to pay to: `count` of them, spread over many banks. */
export function directoryDestinations(count: number): Array<{ bankCode: string; branchCode: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- 5 MB of data, loaded only by the specs that need it
  const banks = require('zengin-code') as Record<string, { branches: Record<string, unknown> }>;
  const pairs: Array<{ bankCode: string; branchCode: string }> = [];
  for (const [bankCode, bank] of Object.entries(banks)) {
    for (const branchCode of Object.keys(bank.branches).slice(0, 3)) pairs.push({ bankCode, branchCode });
    if (pairs.length >= count) break;
  }
  return pairs.slice(0, count);
}

/** `count` bulk-transfer lines to directory banks, the amounts given by index (1-based), payees ﾃｽﾄ 0001… */
export function bulkLines(count: number, amount: (line: number) => number) {
  const destinations = directoryDestinations(Math.min(count, 200));
  return Array.from({ length: count }, (_, i) => ({
    ...destinations[i % destinations.length],
    accountType: AccountType.ORDINARY,
    accountNumber: String(1_000_000 + i + 1),
    payeeName: `ﾃｽﾄ ${String(i + 1).padStart(5, '0')}`,
    amount: amount(i + 1),
  }));
}

/**
 * A 総合振込 file (Shift_JIS, CR LF) paying `lines` from the demo account (the first: 本店 普通
 * 1234567), for the day MMDD; `typeCode` 11 or 12 makes it a 給与 or 賞与 file; `payer` names another account in the header.
 */
export function zenginFile(
  lines: ReturnType<typeof bulkLines>,
  transferDate: string,
  typeCode: '21' | '11' | '12' = '21',
  payer: { branchCode?: string; accountType?: AccountType; accountNumber?: string } = {},
): Buffer {
  return writeZenginTransferFile({
    header: {
      typeCode,
      requesterCode: '1234567890',
      requesterName: 'ｶ)ﾃﾞﾓ ｺ-ﾎﾟﾚ-ｼﾖﾝ',
      transferDate,
      // This bank (BANK_CODE's default) and the demo account paid from: 本店 普通 1234567.
      bankCode: DEMO_BANK_CODE,
      branchCode: '001',
      accountType: AccountType.ORDINARY,
      accountNumber: '1234567',
      ...payer,
    },
    lines,
  });
}

/** MMDD of a YYYY-MM-DD date, as a Zengin header writes 振込指定日. */
export function monthDay(date: string): string {
  return date.slice(5, 7) + date.slice(8, 10);
}
