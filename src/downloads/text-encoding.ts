import iconv from 'iconv-lite';

/** The encodings a text download is offered in: Shift_JIS, as Japanese accounting software imports it, or UTF-8. */
export const TEXT_ENCODINGS = ['shift_jis', 'utf-8'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** The charset parameter of Content-Type, by IANA name. */
export const CHARSET: Readonly<Record<TextEncoding, string>> = { shift_jis: 'Shift_JIS', 'utf-8': 'utf-8' };

/** 〓 (下駄, JIS row 2): the mark Japanese printing has always set for a character it cannot set. */
export const GETA = '\u3013';

/**
 * Whether a Shift_JIS byte sequence is JIS X 0201 (ASCII, half-width katakana) and JIS X 0208
 * only: rows 1–8 (lead bytes 81–84) and 16–84 (889F–EAA4). The Windows extensions iconv-lite
 * also writes (NEC row 13 ①㈱, IBM 髙﨑, lead bytes 87, ED–EE, FA–FC) are not Shift_JIS to a strict
 * reader — Debian's `iconv -f SHIFT_JIS` stops at them — so they are not written.
 */
function isJisOnly(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i];
    if (lead < 0x80 || (lead >= 0xa1 && lead <= 0xdf)) continue;
    const trail = bytes[++i];
    const code = (lead << 8) | trail;
    const inJisX0208 =
      (lead >= 0x81 && lead <= 0x84) ||
      (lead === 0x88 && trail >= 0x9f) ||
      (lead >= 0x89 && lead <= 0xe9) ||
      (code >= 0xea40 && code <= 0xeaa4);
    if (!inJisX0208) return false;
  }
  return true;
}

const QUESTION = /\?/g;

/** One character in Shift_JIS, or undefined when it has none in JIS X 0201/0208 (iconv-lite writes such a character as "?"). */
function shiftJisOf(char: string): Buffer | undefined {
  const bytes = iconv.encode(char, 'shift_jis');
  if (char !== '?' && bytes.length === 1 && bytes[0] === 0x3f) return undefined;
  return isJisOnly(bytes) ? bytes : undefined;
}

/**
 * Text as bytes. In Shift_JIS a character outside JIS X 0201/0208 (an emoji, 髙, ①) becomes 〓:
 * the file stays readable by every Shift_JIS reader and shows where something was, and
 * `encoding=utf-8` gives the text exactly. A whole page is encoded at once; only a page that
 * holds such a character is redone a character at a time.
 */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const bytes = iconv.encode(text, 'shift_jis');
  const questions = (text.match(QUESTION) ?? []).length;
  if (isJisOnly(bytes) && bytes.filter((b) => b === 0x3f).length === questions) return bytes;
  return Buffer.concat([...text].map((char) => shiftJisOf(char) ?? shiftJisOf(GETA)!));
}
