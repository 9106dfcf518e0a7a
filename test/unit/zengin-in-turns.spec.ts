import { setImmediate as nextTurn } from 'node:timers/promises';
import { AccountType } from '../../src/banking/accounts/account.entity';
import {
  parseZenginTransferFile,
  parseZenginTransferFileInTurns,
  validateTransferLines,
  validateTransferLinesInTurns,
  writeZenginTransferFile,
  type TransferLineInput,
} from '../../src/banking/zengin';
import { DATA } from '../../src/banking/zengin/zengin-layout';

// The imports read a file a slice of records per turn of the event loop (issue 22): the answer
// must be exactly the one-go reading's, refusals included, and other work must run in between.

const RECORD = 120 + 2; // a record and its CR LF

const line = (i: number): TransferLineInput => ({
  bankCode: i % 2 ? '0009' : '0001',
  branchCode: '001',
  accountType: AccountType.ORDINARY,
  accountNumber: String(1_000_000 + i),
  payeeName: `ﾔﾏﾀﾞ ﾀﾛｳ ${i}`,
  amount: 1_000 + i,
});

function file(count: number): Buffer {
  return writeZenginTransferFile({
    header: {
      requesterCode: '1234567890',
      requesterName: 'ｶ)ﾃﾞﾓｼﾖｳｼﾞ',
      transferDate: '1125',
      bankCode: '0009',
      branchCode: '123',
      accountType: AccountType.ORDINARY,
      accountNumber: '1234567',
    },
    lines: Array.from({ length: count }, (_, i) => line(i)),
  });
}

/** Turns of the event loop that other work got while `work` ran. */
async function turnsBeside<T>(work: Promise<T>): Promise<{ result: T; turns: number }> {
  let done = false;
  let turns = 0;
  const counting = (async () => {
    while (!done) {
      await nextTurn();
      turns++;
    }
  })();
  const result = await work.finally(() => (done = true));
  await counting;
  return { result, turns };
}

describe('Zengin files and JSON lines checked in turns', () => {
  it('successful: a 2,000-line file reads exactly as in one go, with other work served in between', async () => {
    const bytes = file(2_000);
    const { result, turns } = await turnsBeside(parseZenginTransferFileInTurns(bytes));
    expect(result.ok).toBe(true);
    expect(result).toEqual(parseZenginTransferFile(bytes));
    // 2,002 records in slices of 250: at least three turns for others before the answer.
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('failing: bad records in different slices are all named, as in one go, and the file is refused whole', async () => {
    const bytes = file(1_500);
    // Records 3, 700 and 1,400 (header = record 1): an unknown bank code in each, in three slices.
    for (const record of [3, 700, 1_400]) bytes.write('9998', (record - 1) * RECORD + DATA.bankCode.start, 'latin1');
    const result = await parseZenginTransferFileInTurns(bytes);
    expect(result).toEqual(parseZenginTransferFile(bytes));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.record, p.field])).toEqual([
      [3, 'bankCode'],
      [700, 'bankCode'],
      [1_400, 'bankCode'],
    ]);
  });

  it('successful and failing: JSON lines check the same in turns as in one go', async () => {
    const good = Array.from({ length: 1_200 }, (_, i) => line(i));
    const { result, turns } = await turnsBeside(validateTransferLinesInTurns(good));
    expect(result).toEqual(validateTransferLines(good));
    expect(result.ok).toBe(true);
    expect(turns).toBeGreaterThanOrEqual(2);
    const bad = good.map((l, i) => (i === 1_100 ? { ...l, amount: 0 } : l));
    const refused = await validateTransferLinesInTurns(bad);
    expect(refused).toEqual(validateTransferLines(bad));
    expect(refused.ok ? [] : refused.problems.map((p) => [p.record, p.field])).toEqual([[1_101, 'amount']]);
  });
});
