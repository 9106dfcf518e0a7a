/**
 * JIS X 0201, the single-byte half of Shift_JIS that Zengin's fixed-length records are written in:
 * ASCII as it is and half-width katakana U+FF61–FF9F as bytes A1–DF, exactly as iconv-lite's
 * Shift_JIS reads and writes them (jis-x0201.spec.ts compares every byte). Done here because
 * iconv-lite takes every character through its double-byte tables: for 120- and 200-byte records
 * by the ten thousand that was the largest single cost of reading and writing the files.
 */
const KATAKANA_OFFSET = 0xff61 - 0xa1;

/** The byte of a JIS X 0201 character (by UTF-16 code), or -1 for a character it does not hold. */
export function jisX0201Byte(code: number): number {
  if (code < 0x80) return code;
  if (code >= 0xff61 && code <= 0xff9f) return code - KATAKANA_OFFSET;
  return -1;
}

/**
 * The codes of the text being made, reused from call to call (the function runs to its end
 * synchronously): a Uint16Array of its own for every 120-byte record and every field was an
 * ArrayBuffer allocated outside V8's heap each time.
 */
let scratch = new Uint16Array(256);

/** Bytes as text when each is ASCII or a half-width katakana (A1–DF); undefined when any is not (a double-byte character, 80, A0, E0–FF). */
export function jisX0201Text(bytes: Uint8Array): string | undefined {
  if (scratch.length < bytes.length) scratch = new Uint16Array(bytes.length);
  const codes = scratch;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte < 0x80) codes[i] = byte;
    else if (byte >= 0xa1 && byte <= 0xdf) codes[i] = byte + KATAKANA_OFFSET;
    else return undefined;
  }
  // apply takes the typed array as it is (a spread copies it into arguments one by one, three times
  // slower); reading codes.buffer as utf16le would depend on the platform's byte order.
  return String.fromCharCode.apply(null, codes.subarray(0, bytes.length) as unknown as number[]);
}
