/**
 * RFC 4180 CSV for reports opened in spreadsheets. Every cell is data from the account (names,
 * tags), so a cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR, NUL) gets a
 * leading `'` (OWASP "CSV injection"), and is then quoted like any other cell when it needs to be.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\0']);

/** One cell: neutralised, then quoted when it holds a comma, quote, CR or LF. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  // Numbers we write ourselves (-1, +3) are not formulas; only text is neutralised.
  if (typeof value === 'string' && text.length > 0 && FORMULA_START.has(text[0]!)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/** A whole document: header, rows, CRLF line breaks as RFC 4180 says, ending with one. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  return [...csvLines(header, rows)].join('');
}

/** `csvDocument` a line at a time (each ending in CRLF). */
export function* csvLines(header: readonly string[], rows: Iterable<readonly CsvValue[]>): Generator<string> {
  yield `${csvRow(header)}\r\n`;
  for (const row of rows) yield `${csvRow(row)}\r\n`;
}
