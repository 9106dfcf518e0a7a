import { AccountType } from '../../src/banking/account.entity';
import { nextBusinessDay } from '../../src/banking/bank-calendar';
import { writeZenginTransferFile } from '../../src/banking/zengin';
import { businessDate } from '../../src/banking/business-day';
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

/** A 総合振込 file (Shift_JIS, CR LF) paying `lines` from the demo account, for the day MMDD. */
export function zenginFile(lines: ReturnType<typeof bulkLines>, transferDate: string): Buffer {
  return writeZenginTransferFile({
    header: {
      requesterCode: '1234567890',
      requesterName: 'ｶ)ﾃﾞﾓ ｺ-ﾎﾟﾚ-ｼﾖﾝ',
      transferDate,
      bankCode: '0009',
      branchCode: '123',
      accountType: AccountType.ORDINARY,
      accountNumber: '1234567',
    },
    lines,
  });
}

/** MMDD of a YYYY-MM-DD date, as a Zengin header writes 振込指定日. */
export function monthDay(date: string): string {
  return date.slice(5, 7) + date.slice(8, 10);
}
