import { businessDate } from '../../src/banking/calendar/business-day';
import { normalizePayeeName } from '../../src/banking/payee-name';
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

  it.each([['山田太郎'], ['テスト!'], [''], ['ア'.repeat(49)]])('failing: %s is refused with BAD_USER_INPUT', (input) => {
    expect(() => normalizePayeeName(input)).toThrow(DomainError);
    try {
      normalizePayeeName(input);
    } catch (error) {
      expect((error as DomainError).code).toBe('BAD_USER_INPUT');
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
