import { businessDate } from '../../src/banking/calendar/business-day';
import { normalizePayeeName } from '../../src/banking/payee-name';
import { toZenginKana, validateTransferLines, zenginNameProblem } from '../../src/banking/zengin';
import { AccountType } from '../../src/banking/accounts/account.entity';
import { DomainError } from '../../src/common/domain-error';
import { YenScalar } from '../../src/common/money';

describe('payee names as banks record them', () => {
  it.each([
    ['ｶ)ﾃﾞﾓ ｼｮｳｼﾞ', 'カ)デモ シヨウジ'],
    ['かぶしきがいしゃ　でも', 'カブシキガイシヤ デモ'],
    ['ｱｲｳ  abc  123', 'アイウ ABC 123'],
    ['（カ）テスト', '(カ)テスト'],
  ])('successful: %s → %s', (input, expected) => {
    expect(normalizePayeeName(input)).toBe(expected);
  });

  it.each([['山田太郎'], ['テスト!'], [''], ['ア'.repeat(49)]])('%s is refused with BAD_USER_INPUT', (input) => {
    expect(() => normalizePayeeName(input)).toThrow(DomainError);
    try {
      normalizePayeeName(input);
    } catch (error) {
      expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    }
  });
});

/**
 * One rule for every payee name (issue 17, item 3): a single transfer, a registered payee and a
 * line of a bulk or salary transfer accept exactly the names a Zengin file can carry. The
 * characters below were accepted for a single transfer and refused in a file before.
 */
describe('one payee-name rule for single transfers, payees and bulk lines', () => {
  const refusal = (input: string) => {
    try {
      normalizePayeeName(input);
    } catch (error) {
      return error as DomainError;
    }
    throw new Error(`${input} was accepted`);
  };
  const jsonLine = (payeeName: string) =>
    validateTransferLines([
      { bankCode: '0001', branchCode: '001', accountType: AccountType.ORDINARY, accountNumber: '7654321', payeeName, amount: 1 },
    ]);

  it.each([
    ['サービス', 'ｰ', 'write "-"'],
    ['ｻｰﾋﾞｽ', 'ｰ', 'write "-"'],
    ['ヲガタ', 'ｦ', 'write "ｵ"'],
    ['ヰセキ', 'ヰ', 'not allowed'],
    ['ヱビス', 'ヱ', 'not allowed'],
    ['ア゛', '゛', 'voiced mark'],
    ['゜', '゜', 'voiced mark'],
    ['ｱﾞ', 'ﾞ', 'voiced mark'],
  ])('%s (with %s) is refused for a single transfer and for a bulk line alike, with the reason', (input, _char, reason) => {
    const error = refusal(input);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field: 'payeeName' });
    expect(error.message).toContain(reason);
    const line = jsonLine(input);
    expect(line.ok).toBe(false);
    if (!line.ok) expect(line.problems).toEqual([expect.objectContaining({ record: 1, field: 'payeeName' })]);
  });

  it('a name is measured as the bank sends it, half-width: 15 voiced kana fill the 30 positions, 16 do not', () => {
    expect(normalizePayeeName('ガ'.repeat(15))).toBe('ガ'.repeat(15));
    expect(refusal('ガ'.repeat(16)).message).toContain('32 half-width characters');
    expect(refusal('ア'.repeat(31)).message).toContain('at most 30');
  });

  it('small kana are enlarged and widths unified as the bank records the name: ｼｮｳｼﾞ, ショウジ and しょうじ are シヨウジ, sent as ｼﾖｳｼﾞ', () => {
    for (const input of ['ｼｮｳｼﾞ', 'ショウジ', 'しょうじ']) expect(normalizePayeeName(input)).toBe('シヨウジ');
    expect(toZenginKana('シヨウジ')).toBe('ｼﾖｳｼﾞ');
    const line = jsonLine('ｼｮｳｼﾞ');
    expect(line.ok && line.lines[0].payeeName).toBe('ｼﾖｳｼﾞ');
  });

  it('every name the rule accepts is one a Zengin file carries unchanged, and reads back as the same name', () => {
    for (const input of ['ｶ)ﾃﾞﾓ ｼｮｳｼﾞ', 'かぶしきがいしゃ　でも', 'ヴィッツ', 'ﾊﾟﾝ-ﾔ (ﾕ) A.B/C', 'ｷﾞﾝｺｳ 0123']) {
      const recorded = normalizePayeeName(input);
      const sent = toZenginKana(recorded);
      expect(zenginNameProblem(sent)).toBeUndefined();
      expect(normalizePayeeName(sent)).toBe(recorded);
    }
  });
});

describe('the business day follows Asia/Tokyo', () => {
  it('successful: 23:59 UTC is already the next day in Tokyo; 14:59 UTC is still today', () => {
    expect(businessDate(new Date('2026-11-25T14:59:59Z'))).toBe('2026-11-25');
    expect(businessDate(new Date('2026-11-25T15:00:00Z'))).toBe('2026-11-26');
    expect(businessDate(new Date('2026-12-31T23:59:00Z'))).toBe('2027-01-01');
  });
});

describe('the Yen scalar', () => {
  it('successful: whole yen up to 2^53 − 1 pass unchanged', () => {
    expect(YenScalar.parseValue(0)).toBe(0);
    expect(YenScalar.parseValue(9007199254740991)).toBe(9007199254740991);
  });

  it.each([[-1], [1.5], [2 ** 53], ['1000'], [null], [true]])('failing: %p is refused', (value) => {
    expect(() => YenScalar.parseValue(value)).toThrow(/whole numbers/);
  });
});
