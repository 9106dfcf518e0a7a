import { csvCell, csvFormat } from '../../src/downloads/csv';

/** Every CSV the gateway writes goes through csvCell (downloads/csv.ts). */
describe('CSV cells', () => {
  it('failing: text a spreadsheet would run as a formula starts with a single quote (OWASP CSV injection)', () => {
    for (const text of ['=1+1', '+1', '-SUM(A1/A1)', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(csvCell(text).replace(/^"/, '').startsWith(`'${text[0]}`)).toBe(true);
    }
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
  });

  it('successful: numbers stay numbers (a negative amount too), other text as it is, quoted by RFC 4180 where needed', () => {
    expect([csvCell(-1500), csvCell(0), csvCell(1001)]).toEqual(['-1500', '0', '1001']);
    expect([csvCell('テスト 00001'), csvCell('A-1'), csvCell(null), csvCell(undefined)]).toEqual(['テスト 00001', 'A-1', '', '']);
    expect([csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines')]).toEqual(['"a,b"', '"say ""hi"""', '"two\nlines"']);
  });

  it('successful: a CSV file is a header row and CRLF lines, in Shift_JIS or in UTF-8 without a byte-order mark', () => {
    const columns = [
      { header: '名前', value: (row: { name: string; amount: number }) => row.name },
      { header: '金額', value: (row: { name: string; amount: number }) => row.amount },
    ];
    const write = (encoding: 'shift_jis' | 'utf-8') => {
      const format = csvFormat(columns, encoding);
      return { type: format.contentType, bytes: Buffer.concat([format.begin(), format.rows([{ name: '-1', amount: -1 }])]) };
    };
    expect(write('utf-8')).toEqual({ type: 'text/csv; charset=utf-8', bytes: Buffer.from("名前,金額\r\n'-1,-1\r\n", 'utf8') });
    const sjis = write('shift_jis');
    expect(sjis.type).toBe('text/csv; charset=Shift_JIS');
    expect(sjis.bytes.toString('hex')).toBe(Buffer.from("\x96\xbc\x91\x4f,\x8b\xe0\x8a\x7a\r\n'-1,-1\r\n", 'latin1').toString('hex'));
  });
});
