import { nextBusinessDay } from '../../src/banking/bank-calendar';
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
