import iconv from 'iconv-lite';
import { jisX0201Byte, jisX0201Text } from '../../src/banking/zengin';
import { RecordReader } from '../../src/banking/zengin/zengin-records';

const EVERY_BYTE = Array.from({ length: 256 }, (_, byte) => byte);
/** What iconv-lite's Shift_JIS reads a byte on its own as, where that byte is a character on its own. */
const SINGLE_BYTES = EVERY_BYTE.filter((byte) => byte < 0x80 || (byte >= 0xa1 && byte <= 0xdf));

describe('JIS X 0201, as Zengin records are read and written', () => {
  it('reads each single byte as iconv-lite’s Shift_JIS does, and whole records of them', () => {
    expect(SINGLE_BYTES.map((byte) => jisX0201Text(Buffer.from([byte])))).toEqual(
      SINGLE_BYTES.map((byte) => iconv.decode(Buffer.from([byte]), 'Shift_JIS')),
    );
    const record = Buffer.from(SINGLE_BYTES.slice(0, 120));
    expect(jisX0201Text(record)).toBe(iconv.decode(record, 'Shift_JIS'));
    expect(jisX0201Text(record.subarray(7, 19))).toBe(iconv.decode(record.subarray(7, 19), 'Shift_JIS'));
  });

  it('leaves to Shift_JIS every byte that is not a character on its own: 80, A0, lead bytes and E0–FF', () => {
    const others = EVERY_BYTE.filter((byte) => !SINGLE_BYTES.includes(byte));
    expect(others).toHaveLength(256 - 128 - 63);
    expect(others.map((byte) => jisX0201Text(Buffer.from([0x41, byte, 0x41])))).toEqual(others.map(() => undefined));
    expect(jisX0201Text(iconv.encode('ｶﾌﾞｼｷｶﾞｲｼｬ漢', 'Shift_JIS'))).toBeUndefined();
  });

  it('writes each character as iconv-lite’s Shift_JIS does, and has no byte for any other', () => {
    const characters = SINGLE_BYTES.map((byte) => iconv.decode(Buffer.from([byte]), 'Shift_JIS'));
    expect(characters.map((c) => jisX0201Byte(c.charCodeAt(0)))).toEqual(characters.map((c) => iconv.encode(c, 'Shift_JIS')[0]));
    expect(['漢', 'ア', 'Ａ', '\u0080', '\u00a5', '\uff60', '\uffa0'].map((c) => jisX0201Byte(c.charCodeAt(0)))).toEqual([
      -1, -1, -1, -1, -1, -1, -1,
    ]);
  });

  it('reads a C field without what trimEnd removes, from the field’s own bytes, whatever single byte ends it', () => {
    const field = { start: 10, length: 30 };
    const records = [...SINGLE_BYTES, 0x80].flatMap((last) =>
      ['', ' ', '  \t\r\n\v\f'].map((fill) => {
        const value = Buffer.concat([iconv.encode('ｶ)ﾃﾞﾓ', 'Shift_JIS'), Buffer.from([last]), Buffer.from(fill, 'latin1')]);
        return Buffer.concat([Buffer.alloc(10, 0x30), value, Buffer.alloc(30 - value.length, 0x20), Buffer.alloc(80, 0x30)]);
      }),
    );
    const read = records.map((record) => new RecordReader(record).trimmed(field));
    expect(read).toEqual(records.map((record) => new RecordReader(record).get(field).trimEnd()));
    expect(read).toEqual(records.map((record) => iconv.decode(record.subarray(10, 40), 'Shift_JIS').trimEnd()));
    expect(read.filter((value) => value.endsWith(' '))).toEqual([]);
  });
});
