import { DomainError, ErrorCode } from '../common/domain-error';

/** Small kana become their full-size forms, as banks' transfer data has no small kana (ｯ → ツ). */
export const SMALL_TO_LARGE: Readonly<Record<string, string>> = {
  ァ: 'ア',
  ィ: 'イ',
  ゥ: 'ウ',
  ェ: 'エ',
  ォ: 'オ',
  ッ: 'ツ',
  ャ: 'ヤ',
  ュ: 'ユ',
  ョ: 'ヨ',
  ヮ: 'ワ',
  ヵ: 'カ',
  ヶ: 'ケ',
};

/** Characters a payee name (受取人名) may hold after normalisation: katakana, A–Z, 0–9, space and ()./-. */
const ALLOWED = /^[ァ-ヴー゛゜A-Z0-9 ()./-]+$/u;

/**
 * Normalises a payee name as banks use it: half-width katakana and letters (ｶ)ﾃﾞﾓ) become
 * full-width katakana, hiragana becomes katakana, letters are upper-case, small kana are
 * enlarged, and runs of spaces collapse. Anything else is BAD_USER_INPUT naming the character.
 */
export function normalizePayeeName(input: string): string {
  const name = input
    .normalize('NFKC')
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60)) // hiragana → katakana
    .replace(/[ァィゥェォッャュョヮヵヶ]/g, (c) => SMALL_TO_LARGE[c])
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toUpperCase()
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
  if (name.length === 0 || name.length > 48) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The payee name must have 1 to 48 characters.', { field: 'payeeName' });
  }
  if (!ALLOWED.test(name)) {
    const bad = [...name].find((c) => !ALLOWED.test(c));
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      `The payee name may contain katakana, A–Z, digits, spaces and ( ) . / - only (not "${bad}").`,
      {
        field: 'payeeName',
      },
    );
  }
  return name;
}
