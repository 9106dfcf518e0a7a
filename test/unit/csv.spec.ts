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

  it('successful: a CSV file is UTF-8 with a byte-order mark, a header row and CRLF', () => {
    const format = csvFormat<{ name: string; amount: number }>([
      { header: 'name', value: (row) => row.name },
      { header: 'amount', value: (row) => row.amount },
    ]);
    const file = Buffer.concat([format.begin(), format.rows([{ name: '-1', amount: -1 }])]).toString('utf8');
    expect(file).toBe("\uFEFFname,amount\r\n'-1,-1\r\n");
  });
});
