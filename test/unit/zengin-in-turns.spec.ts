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
import { runToEnd } from '../../src/banking/zengin/in-turns';
import { decodeBase64 } from '../../src/banking/lines/lines-request';

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
    // 2,002 records in slices of RECORDS_PER_TURN: at least three turns for others before the answer.
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

describe('a file’s base64, decoded in slices (decodeBase64)', () => {
  /** The rule as written before the slices: standard alphabet, whitespace ignored, at most two `=` at the end. */
  const strictly = (text: string): Buffer | undefined => {
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
    return Buffer.from(compact, 'base64');
  };
  const SLICE = 256 * 1024; // characters per turn
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + (i >> 7)) & 0xff));

  it('decodes exactly what the strict rule decodes, and refuses exactly what it refuses, across slice boundaries', () => {
    const valid = [0, 1, 2, 3, 4, (SLICE / 4) * 3 - 1, (SLICE / 4) * 3, (SLICE / 4) * 3 + 1, 900_001].map((n) =>
      bytes(n).toString('base64'),
    );
    const first = valid[6]; // exactly one slice long
    const texts = [
      ...valid,
      ...valid.map((text) => text.replace(/=+$/, '')), // padding left out
      ...valid.map((text) => text.replace(/=+$/, '=')), // one `=` where two belong: the rule allows it
      valid[8].replace(/(.{76})/g, '$1\r\n'), // line breaks, as base64(1) writes them
      `${first.slice(0, -4)}QQ==${valid[3]}`, // padding at the end of the first slice, more after it
      `${first}====`,
      `${valid[8].slice(0, SLICE + 10)}!${valid[8].slice(SLICE + 11)}`, // a stray character in the second slice
      `${valid[8].slice(0, SLICE + 10)}-${valid[8].slice(SLICE + 11)}`, // base64url's alphabet
      `${valid[4]}Q`, // one character too many
      'QR==', // bits past the last byte: the rule does not look at them
      ' ',
    ];
    for (const [index, text] of texts.entries()) {
      const expected = strictly(text);
      const steps = decodeBase64(text);
      expect({ index, decoded: runToEnd(steps)?.toString('hex') }).toEqual({ index, decoded: expected?.toString('hex') });
    }
    // The cases include refusals and acceptances on both sides of a slice boundary.
    expect(texts.filter((text) => strictly(text) === undefined).length).toBeGreaterThanOrEqual(5);
  });

  it('yields between slices: a 1.2 MB file is decoded in several turns', () => {
    const text = bytes(1_200_000).toString('base64');
    const steps = decodeBase64(text);
    let turns = 1;
    for (let step = steps.next(); !step.done; step = steps.next()) turns++;
    expect(turns).toBe(Math.ceil(text.length / SLICE));
  });
});
