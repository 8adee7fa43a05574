import type { AuditResult } from '../checks/audit.js';
import type { Finding } from '../model/finding.js';
import { type CsvValue, csvLines } from './csv.js';
import { prepare, type ReportOptions } from './options.js';

export const FINDINGS_CSV_HEADER: readonly string[] = [
  'id',
  'severity',
  'status',
  'check_id',
  'check_title',
  'account',
  'account_name',
  'resource_type',
  'resource_arn',
  'principal',
  'message',
  'remediation',
  'compliance',
  'policies',
  'external_principals',
  'actions',
  'path',
  'suppressed',
  'suppression_reason',
  'suppression_owner',
  'suppression_expires',
];

function policiesCell(f: Finding): string {
  return (f.evidence.policies ?? [])
    .map((p) => {
      const where = [
        p.sid !== undefined ? `Sid ${p.sid}` : undefined,
        p.line !== undefined ? `line ${p.line}` : undefined,
      ]
        .filter((x) => x !== undefined)
        .join(', ');
      return where ? `${p.policy} (${where})` : p.policy;
    })
    .join('; ');
}

/**
 * One row per finding (suppressed ones included and marked), RFC 4180 with CRLF, every text cell
 * neutralised against formula injection by csv.ts. Lists inside a cell are joined with `; `.
 */
export function renderCsv(result: AuditResult, options: ReportOptions = {}): string {
  return [...renderCsvChunks(result, options)].join('');
}

/** `renderCsv` a line at a time. */
export function* renderCsvChunks(result: AuditResult, options: ReportOptions = {}): Generator<string> {
  const { result: r, checks, accountNames } = prepare(result, options);
  const row = (f: Finding): CsvValue[] => [
    f.id,
    f.severity,
    f.status,
    f.checkId,
    checks.get(f.checkId)?.title ?? '',
    f.account,
    accountNames.get(f.account) ?? '',
    f.resourceType,
    f.resourceArn,
    f.principal ?? '',
    f.message,
    f.remediation,
    f.compliance.join('; '),
    policiesCell(f),
    (f.evidence.externalPrincipals ?? []).join('; '),
    (f.evidence.actions ?? []).join('; '),
    (f.evidence.path ?? []).map((h) => `${h.from} -[${h.technique}]-> ${h.to}`).join('; '),
    f.suppressed ? 'true' : 'false',
    f.suppressed?.reason ?? '',
    f.suppressed?.owner ?? '',
    f.suppressed?.expires ?? '',
  ];
  yield* csvLines(
    FINDINGS_CSV_HEADER,
    (function* () {
      for (const f of r.findings) yield row(f);
    })(),
  );
}
