import { DomainError, ErrorCode } from '../common/domain-error';
import { toZenginKana, zenginNameProblem } from './zengin/zengin-kana';

// The web app imports this file too (web/src/common/payee-name.ts), so that its confirmation page
// shows the name exactly as recorded here: keep it, and what it imports, free of Node and the database.

/** 受取人名 is C(30) in Zengin data: at most 30 half-width characters (ガ takes two: ｶﾞ). */
export const PAYEE_NAME_WIDTH = 30;

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

/** A voiced or semi-voiced mark left on its own once the name is composed (ｱﾞ, ゛): no kana takes it. */
const LONE_MARK = /[\u3099-\u309c]/u;

/**
 * 受取人名 as the bank records it — one rule for a single transfer, a registered payee and every
 * line of a bulk or salary transfer: half-width katakana and letters (ｶ)ﾃﾞﾓ) become full-width
 * katakana, hiragana becomes katakana, letters are upper-case, small kana are enlarged
 * (ｼｮｳｼﾞ → シヨウジ), and runs of spaces collapse. The result must then be writable as Zengin
 * data unchanged (zenginNameProblem on its half-width form, at most 30 half-width characters), so
 * that what the customer confirms is what the bank sends: ー, ヲ, ヰ, ヱ and a lone ゛ or ゜ are
 * refused with the reason, never replaced. Anything else is BAD_USER_INPUT naming the character.
 */
export function normalizePayeeName(input: string, width: number = PAYEE_NAME_WIDTH): string {
  const name = recordedForm(input);
  const problem = payeeNameProblem(name, width);
  if (problem) throw new DomainError(ErrorCode.BAD_USER_INPUT, `Payee name (受取人名): ${problem}`, { field: 'payeeName' });
  return name;
}

/** The widths, case and kana sizes of a name as the bank records it, unchecked (also for searching by name). */
export function recordedForm(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60)) // hiragana → katakana
    .replace(/[ァィゥェォッャュョヮヵヶ]/g, (c) => SMALL_TO_LARGE[c])
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toUpperCase()
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

/** `width`: the Zengin field the name goes to (受取人名 30; 振込依頼人名 40, by the file writer). */
function payeeNameProblem(name: string, width: number): string | undefined {
  if (name.length === 0) return 'it is blank.';
  if (LONE_MARK.test(name)) return 'a voiced mark (゛ or ゜) stands only on a kana that takes it, as in ガ or パ.';
  const zengin = toZenginKana(name);
  const problem = zenginNameProblem(zengin);
  if (problem) return problem;
  if (zengin.length > width) {
    return `it has ${zengin.length} half-width characters (as the bank sends it, ${zengin}); a bank records at most ${width}.`;
  }
  return undefined;
}
