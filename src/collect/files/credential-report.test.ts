import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport, simpleRecords } from './credential-report.js';
import { CREDENTIAL_HEADER, credentialReport } from './test-fixtures.js';

/** The options parseCredentialReport has always given csv-parse: the answer simpleRecords must match. */
function viaCsvParse(text: string): string[][] {
  return parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
  }) as string[][];
}

describe('simpleRecords (quote-free credential reports)', () => {
  // The report is RFC 4180 CSV: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
  it.each([
    ['a report as IAM writes it', credentialReport()],
    ['with a byte-order mark', credentialReport(undefined, true)],
    ['header only, no newline', CREDENTIAL_HEADER.trimEnd()],
    ['blank lines between and after rows', 'user,arn\n\nbob,arn:aws:iam::1:user/bob\n\n\n'],
    ['rows shorter and longer than the header', 'user,arn,x\nbob\ncarol,arn,1,2,3\n'],
    ['empty fields and spaces kept as they are', 'user,arn\n , ,\n,,\n'],
    ['the empty text', ''],
  ])('%s: same records as csv-parse', (_, text) => {
    expect(simpleRecords(text)).toEqual(viaCsvParse(text));
  });

  it.each([
    ['a quoted field', 'user,arn\n"b,ob",x\n'],
    ['CRLF line ends', 'user,arn\r\nbob,x\r\n'],
    ['an unclosed quote', 'user,arn\n"bob,x\n'],
  ])('leaves %s to csv-parse', (_, text) => {
    expect(simpleRecords(text)).toBeUndefined();
  });

  it('matches csv-parse on any text of commas, newlines, spaces and letters', () => {
    const alphabet = fc.constantFrom('a', 'B', ',', '\n', ' ', '\t', 'é', '\ufeff', '#', "'", '\\');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }).map((cs) => cs.join('')),
        (text) => {
          expect(simpleRecords(text)).toEqual(viaCsvParse(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a quoted report still loads through csv-parse with the same rows', () => {
    const plain = credentialReport();
    const quoted = plain
      .split('\n')
      .map((line) =>
        line === ''
          ? line
          : line
              .split(',')
              .map((f) => `"${f}"`)
              .join(','),
      )
      .join('\n');
    const a = parseCredentialReport(plain, 'plain.csv');
    const b = parseCredentialReport(quoted, 'quoted.csv');
    expect([...b.rows.keys()]).toEqual([...a.rows.keys()]);
    expect(b.rows.size).toBeGreaterThan(0);
  });
});
