/**
 * The characters of a Zengin name field (受取人名, 振込依頼人名): half-width katakana ｱ–ﾝ with the
 * marks ﾞ and ﾟ, upper-case A–Z, digits, space and ( ) . / - (全銀協の振込許容文字, as banks publish
 * them: no small kana, no long-vowel mark ｰ, no ｦ, no lower case, no full-width characters).
 */
const ZENGIN_NAME_CHARACTERS = '[\\uFF71-\\uFF9F A-Z0-9()./-]';
const ZENGIN_NAME_CHAR = new RegExp(`^${ZENGIN_NAME_CHARACTERS}$`, 'u');
/** A name of those characters only: one test for the whole of a name that is fine, as most are. */
const ZENGIN_NAME = new RegExp(`^${ZENGIN_NAME_CHARACTERS}*$`, 'u');

/** Half-width small kana ｧ–ｯ and the full-size kana banks write instead (ｯ → ﾂ). */
const SMALL_TO_LARGE: Record<string, string> = {
  ｧ: 'ｱ',
  ｨ: 'ｲ',
  ｩ: 'ｳ',
  ｪ: 'ｴ',
  ｫ: 'ｵ',
  ｬ: 'ﾔ',
  ｭ: 'ﾕ',
  ｮ: 'ﾖ',
  ｯ: 'ﾂ',
};

/**
 * Why `name` cannot stand in a Zengin name field, naming the first offending character, or
 * undefined when every character is allowed. Blankness and length are the caller's to check.
 */
export function zenginNameProblem(name: string): string | undefined {
  if (ZENGIN_NAME.test(name)) return undefined;
  for (const c of name) {
    if (ZENGIN_NAME_CHAR.test(c)) continue;
    if (SMALL_TO_LARGE[c]) return `Small kana are not used in bank names: write "${SMALL_TO_LARGE[c]}" for "${c}".`;
    if (c === 'ｰ') return 'The long-vowel mark "ｰ" is not used in bank names: write "-".';
    if (c === 'ｦ') return 'The kana "ｦ" (ヲ) is not used in bank names: write "ｵ".';
    if (c >= 'a' && c <= 'z') return `Letters are upper-case in bank names: write "${c.toUpperCase()}" for "${c}".`;
    return `"${c}" is not allowed: names hold half-width katakana, A–Z, 0–9, space and ( ) . / - only.`;
  }
  return undefined;
}

/**
 * Full-width → half-width, built from Unicode's own mapping (NFKC takes each half-width kana,
 * and each kana followed by ﾞ or ﾟ, to its full-width form), so the two directions cannot drift.
 */
const TO_HALF_WIDTH: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (let code = 0xff61; code <= 0xff9f; code++) {
    const half = String.fromCharCode(code);
    map.set(half.normalize('NFKC'), half);
    for (const mark of ['ﾞ', 'ﾟ']) {
      const full = (half + mark).normalize('NFKC');
      if ([...full].length === 1) map.set(full, half + mark);
    }
  }
  return map;
})();

/**
 * A name in the form a Zengin file holds it: full-width katakana become half-width (ガ → ｶﾞ),
 * full-width letters, digits, space and punctuation become ASCII. Anything else is left as it
 * is, for zenginNameProblem to name. This is the inverse of normalizePayeeName's width step.
 */
export function toZenginKana(text: string): string {
  let out = '';
  for (const c of text) {
    if (c < '\u007f') {
      out += c; // ASCII is its own NFKC form
      continue;
    }
    const half = TO_HALF_WIDTH.get(c);
    if (half !== undefined) {
      out += half;
      continue;
    }
    const compat = c.normalize('NFKC');
    out += compat.length === 1 && compat < '\u007f' ? compat : c;
  }
  return out;
}
