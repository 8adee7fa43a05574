import { parse } from 'csv-parse/sync';
import type {
  CredentialReport,
  CredentialReportCert,
  CredentialReportKey,
  CredentialReportRow,
} from '../../model/account.js';
import { InputError } from '../../model/errors.js';
import { field, isoDate, isRecord, str } from './values.js';

/**
 * The IAM credential report (CSV). Columns are read by name from the header, so a report with
 * columns added or reordered still loads.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */

export const ROOT_USER_NAME = '<root_account>';
const REQUIRED_COLUMNS = ['user', 'arn'] as const;
/** Report values that mean "no date here" (not applicable, never used, not supported for root). */
const SPECIAL = new Set(['N/A', 'no_information', 'not_supported', '']);

export function looksLikeCredentialReportCsv(text: string): boolean {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return text.startsWith('user,arn,', start);
}

/** `{"Content": base64 CSV, "ReportFormat": "text/csv", "GeneratedTime"}` as get-credential-report prints it. */
export function credentialReportResponse(
  value: unknown,
): { csv: string; generatedTime?: string } | undefined {
  if (!isRecord(value)) return undefined;
  const content = str(value, 'Content');
  if (
    content === undefined ||
    (field(value, 'ReportFormat') === undefined && field(value, 'GeneratedTime') === undefined)
  )
    return undefined;
  // The CLI prints the blob base64-encoded; recorders that decode it (placebo) leave plain CSV.
  const csv = looksLikeCredentialReportCsv(content)
    ? content
    : Buffer.from(content, 'base64').toString('utf8');
  const generatedTime = isoDate(field(value, 'GeneratedTime'));
  return generatedTime === undefined ? { csv } : { csv, generatedTime };
}

export function parseCredentialReport(csv: string, source: string, generatedTime?: string): CredentialReport {
  let records: string[][];
  try {
    records =
      simpleRecords(csv) ??
      (parse(csv, {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        trim: false,
      }) as string[][]);
  } catch (err) {
    const e = err as Error & { lines?: number; column?: number | string };
    throw new InputError(`not a valid credential report CSV: ${e.message.replace(/^Invalid .*?: /, '')}`, {
      file: source,
      line: typeof e.lines === 'number' ? e.lines : undefined,
      expected: 'RFC 4180 CSV as `aws iam get-credential-report` returns it',
      hint: 'Re-download the report (aws iam generate-credential-report, then get-credential-report)',
    });
  }
  const header = records[0];
  if (header === undefined) {
    throw new InputError('the credential report is empty', {
      file: source,
      line: 1,
      expected: 'a header row',
    });
  }
  const index = new Map<string, number>();
  for (const [i, name] of header.entries()) index.set(name.trim(), i);
  for (const column of REQUIRED_COLUMNS) {
    if (!index.has(column)) {
      throw new InputError(`the credential report has no "${column}" column`, {
        file: source,
        line: 1,
        expected: `a header starting user,arn,user_creation_time,…`,
        hint: 'Pass the report CSV as AWS produces it',
      });
    }
  }
  // The columns as two lists, in the index's order: walking the Map made an entry pair per cell.
  const names = [...index.keys()];
  const columns = [...index.values()];
  const rows = new Map<string, CredentialReportRow>();
  let root: CredentialReportRow | undefined;
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    const raw = new Map<string, string>();
    for (let c = 0; c < names.length; c++) raw.set(names[c]!, record[columns[c]!] ?? '');
    const row = toRow(raw, r + 1);
    if (row.arn === '') continue;
    rows.set(row.arn, row);
    if (row.isRoot) root = row;
  }
  return { source, rows, ...(root ? { root } : {}), ...(generatedTime ? { generatedTime } : {}) };
}

/**
 * The records `csv-parse` returns (BOM dropped, empty lines skipped, rows of any length, no
 * trimming) for text without quotes or carriage returns, which is what IAM produces: there a comma
 * always separates fields and a newline always ends a record, so splitting is the whole parse and
 * no error is possible. Undefined for any other text, which goes to `csv-parse`.
 */
export function simpleRecords(csv: string): string[][] | undefined {
  if (csv.includes('"') || csv.includes('\r')) return undefined;
  const text = csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
  const records: string[][] = [];
  for (const line of text.split('\n')) if (line !== '') records.push(line.split(','));
  return records;
}

/** Column names per key and certificate slot, made once rather than per row. */
const keyColumns = (slot: 1 | 2) => ({
  active: `access_key_${slot}_active`,
  lastRotated: `access_key_${slot}_last_rotated`,
  lastUsedDate: `access_key_${slot}_last_used_date`,
  lastUsedRegion: `access_key_${slot}_last_used_region`,
  lastUsedService: `access_key_${slot}_last_used_service`,
});
const certColumns = (slot: 1 | 2) => ({
  active: `cert_${slot}_active`,
  lastRotated: `cert_${slot}_last_rotated`,
});
const KEY_1_COLUMNS = keyColumns(1);
const KEY_2_COLUMNS = keyColumns(2);
const CERT_1_COLUMNS = certColumns(1);
const CERT_2_COLUMNS = certColumns(2);

function toRow(raw: ReadonlyMap<string, string>, line: number): CredentialReportRow {
  const get = (k: string) => raw.get(k) ?? '';
  const date = (k: string) => {
    const v = get(k).trim();
    return SPECIAL.has(v) ? null : (isoDate(v) ?? null);
  };
  const flag = (k: string) => get(k).trim().toLowerCase() === 'true';
  const text = (k: string) => {
    const v = get(k).trim();
    return SPECIAL.has(v) ? null : v;
  };
  const key = (slot: 1 | 2): CredentialReportKey => {
    const c = slot === 1 ? KEY_1_COLUMNS : KEY_2_COLUMNS;
    return {
      slot,
      active: flag(c.active),
      lastRotated: date(c.lastRotated),
      lastUsedDate: date(c.lastUsedDate),
      lastUsedRegion: text(c.lastUsedRegion),
      lastUsedService: text(c.lastUsedService),
    };
  };
  const cert = (slot: 1 | 2): CredentialReportCert => {
    const c = slot === 1 ? CERT_1_COLUMNS : CERT_2_COLUMNS;
    return { slot, active: flag(c.active), lastRotated: date(c.lastRotated) };
  };
  const user = get('user');
  const passwordEnabledRaw = get('password_enabled').trim();
  return {
    user,
    arn: get('arn').trim(),
    isRoot: user === ROOT_USER_NAME,
    userCreationTime: date('user_creation_time'),
    passwordEnabled: passwordEnabledRaw === 'not_supported' ? 'not_supported' : flag('password_enabled'),
    passwordLastUsed: date('password_last_used'),
    passwordLastChanged: date('password_last_changed'),
    passwordNextRotation: date('password_next_rotation'),
    mfaActive: flag('mfa_active'),
    accessKeys: [key(1), key(2)],
    certificates: [cert(1), cert(2)],
    raw,
    line,
  };
}
