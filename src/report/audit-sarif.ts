import type { AuditResult } from '../checks/audit.js';
import type { CheckMetadata, Finding, Severity } from '../model/finding.js';
import { jsonChunks, streamedArray } from './json-chunks.js';
import { fingerprint } from './lint-sarif.js';
import { prepare, type ReportOptions, sourceFile } from './options.js';

// GitHub code scanning ranks security results by `security-severity` (over 9.0 critical, 7.0-8.9
// high, 4.0-6.9 medium, 0.1-3.9 low); informational checks carry none.
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
const SECURITY_SEVERITY: Readonly<Record<Severity, string | undefined>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

function toPascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

function encodeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Relative paths resolve against the checkout (`%SRCROOT%`); absolute ones become file URIs. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  return file.startsWith('/')
    ? { uri: `file://${encodeUri(file)}` }
    : { uri: encodeUri(file), uriBaseId: '%SRCROOT%' };
}

function rule(meta: CheckMetadata): object {
  const security = SECURITY_SEVERITY[meta.severity];
  const compliance = Object.entries(meta.compliance).flatMap(([fw, ids]) =>
    (ids ?? []).map((c) => `${fw}:${c}`),
  );
  return {
    id: meta.id,
    name: toPascal(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    ...(meta.references[0] ? { helpUri: meta.references[0] } : {}),
    help: {
      text: `${meta.description}\n\nRisk: ${meta.risk}\n\nRemediation: ${meta.remediation}`,
      markdown: `${meta.description}\n\n**Risk:** ${meta.risk}\n\n**Remediation:** ${meta.remediation}${
        meta.references.length > 0 ? `\n\n${meta.references.map((r) => `- ${r}`).join('\n')}` : ''
      }`,
    },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['security', 'iam', meta.severity, ...(meta.tags ?? []), ...compliance],
      ...(security !== undefined ? { 'security-severity': security } : {}),
      resourceType: meta.resourceType,
    },
  };
}

function credentialReportLocation(f: Finding): { file: string; line: number } | undefined {
  const fact = f.evidence.facts?.credentialReport;
  if (typeof fact !== 'string') return undefined;
  const m = /^(.*):(\d+)$/.exec(fact);
  return m ? { file: m[1] as string, line: Number(m[2]) } : undefined;
}

function locations(f: Finding, baseDir: string | undefined): object[] {
  const logical = [
    { fullyQualifiedName: f.resourceArn, kind: 'resource' },
    ...(f.principal !== undefined && f.principal !== f.resourceArn
      ? [{ fullyQualifiedName: f.principal, kind: 'principal' }]
      : []),
  ];
  const policy = (f.evidence.policies ?? []).find((p) => p.source !== undefined);
  if (policy?.source !== undefined) {
    const { file, path } = sourceFile(policy.source, baseDir);
    return [
      {
        physicalLocation: {
          artifactLocation: artifact(file),
          ...(policy.line !== undefined && policy.line > 0
            ? { region: { startLine: policy.line, ...(policy.column ? { startColumn: policy.column } : {}) } }
            : {}),
        },
        logicalLocations: [
          ...logical,
          ...(path !== undefined ? [{ fullyQualifiedName: path, kind: 'member' }] : []),
        ],
      },
    ];
  }
  const row = credentialReportLocation(f);
  if (row) {
    const { file } = sourceFile(row.file, baseDir);
    return [
      {
        physicalLocation: {
          artifactLocation: artifact(file),
          region: { startLine: row.line },
        },
        logicalLocations: logical,
      },
    ];
  }
  return [{ logicalLocations: logical }];
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per check that ran, one result per finding.
 * `unknown` findings are `kind: review` (the tool could not decide); suppressed findings carry a
 * `suppressions` entry with the configured reason. Pure: the same result gives the same bytes.
 */
export function renderSarif(result: AuditResult, options: ReportOptions = {}): string {
  return [...renderSarifChunks(result, options)].join('');
}

/** `renderSarif` in pieces: each result is made and written in turn. */
export function* renderSarifChunks(result: AuditResult, options: ReportOptions = {}): Generator<string> {
  const { result: r, checks, toolVersion } = prepare(result, options);
  const metas = [...checks.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const results = streamedArray(r.findings, (f) => {
    const i = index.get(f.checkId);
    return {
      ruleId: f.checkId,
      ...(i !== undefined ? { ruleIndex: i } : {}),
      ...(f.status === 'unknown'
        ? { kind: 'review', level: 'none' }
        : { kind: 'fail', level: LEVEL[f.severity] }),
      message: { text: f.message },
      locations: locations(f, options.baseDir),
      partialFingerprints: { 'leastprivFinding/v1': fingerprint(`${f.checkId}|${f.id}`) },
      ...(f.suppressed
        ? {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: f.suppressed.reason,
                ...(f.suppressed.owner !== undefined || f.suppressed.expires !== undefined
                  ? {
                      properties: {
                        ...(f.suppressed.owner !== undefined ? { owner: f.suppressed.owner } : {}),
                        ...(f.suppressed.expires !== undefined ? { expires: f.suppressed.expires } : {}),
                      },
                    }
                  : {}),
              },
            ],
          }
        : {}),
      properties: {
        findingId: f.id,
        severity: f.severity,
        account: f.account,
        resourceType: f.resourceType,
        ...(f.compliance.length > 0 ? { compliance: f.compliance } : {}),
      },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leastpriv',
            informationUri: 'https://github.com/leastpriv/leastpriv',
            version: toolVersion,
            rules: metas.map(rule),
          },
        },
        invocations: [{ executionSuccessful: r.checkErrors.length === 0, endTimeUtc: r.now.toISOString() }],
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
  yield* jsonChunks(log, '  ');
  yield '\n';
}
