import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from './csv.js';

// https://www.rfc-editor.org/rfc/rfc4180 (quoting) and https://owasp.org/www-community/attacks/CSV_Injection
describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', '"\'\rcmd"'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('writes numbers, booleans and absent values as they are', () => {
    expect([csvCell(-5), csvCell(true), csvCell(null), csvCell(undefined)]).toEqual(['-5', 'true', '', '']);
  });

  it('round-trips through an RFC 4180 parser, with formulas neutralised', () => {
    const rows = [['x,y', 'q"uote', 'multi\r\nline', '=1+1', 'ok']];
    const text = csvDocument(['a', 'b', 'c', 'd', 'e'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    const back = parse(text) as string[][];
    expect(back).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['x,y', 'q"uote', 'multi\r\nline', "'=1+1", 'ok'],
    ]);
  });
});
