import { createHash } from 'node:crypto';
import type { IssueSeverity, PolicyIssue } from '../model/issue.js';

/** What SARIF needs to know about a lint rule; the linter's registry supplies it. */
export interface LintRuleDescriptor {
  readonly code: string;
  readonly severity: IssueSeverity;
  readonly title: string;
  readonly description: string;
  readonly fix?: string;
  readonly docs?: string;
}

export interface LintFileResult {
  /** Path as the user gave it; SARIF wants it relative to the run's working directory. */
  readonly file: string;
  readonly issues: readonly PolicyIssue[];
}

const LEVEL: Record<IssueSeverity, 'error' | 'warning' | 'note'> = {
  ERROR: 'error',
  SECURITY_WARNING: 'warning',
  WARNING: 'warning',
  SUGGESTION: 'note',
};

// GitHub code scanning reads `security-severity` (0-10) to rank security results.
const SECURITY_SEVERITY: Partial<Record<IssueSeverity, string>> = { SECURITY_WARNING: '7.5', ERROR: '5.0' };

/** A SARIF 2.1.0 log for `leastpriv lint --format sarif`. Pure: the same input gives the same bytes. */
export function lintSarif(
  toolVersion: string,
  rules: readonly LintRuleDescriptor[],
  results: readonly LintFileResult[],
): object {
  const known = new Map(rules.map((r) => [r.code, r]));
  // Issues from outside the registry (parser codes) still need a rule entry for the log to be valid.
  for (const file of results) {
    for (const issue of file.issues) {
      if (!known.has(issue.code)) {
        known.set(issue.code, {
          code: issue.code,
          severity: issue.severity,
          title: issue.code,
          description: issue.message,
          ...(issue.fix ? { fix: issue.fix } : {}),
        });
      }
    }
  }
  const ruleList = [...known.values()].sort((a, b) => a.code.localeCompare(b.code));
  const ruleIndex = new Map(ruleList.map((r, i) => [r.code, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leastpriv',
            informationUri: 'https://github.com/leastpriv/leastpriv',
            version: toolVersion,
            rules: ruleList.map((r) => ({
              id: r.code,
              name: toPascal(r.code),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              ...(r.docs ? { helpUri: r.docs } : {}),
              help: { text: r.fix ? `${r.description}\nFix: ${r.fix}` : r.description },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: {
                tags: ['security', 'iam', 'policy', r.severity.toLowerCase()],
                ...(SECURITY_SEVERITY[r.severity]
                  ? { 'security-severity': SECURITY_SEVERITY[r.severity] }
                  : {}),
              },
            })),
          },
        },
        columnKind: 'unicodeCodePoints',
        results: results.flatMap((file) =>
          file.issues.map((issue) => ({
            ruleId: issue.code,
            ruleIndex: ruleIndex.get(issue.code),
            level: LEVEL[issue.severity],
            message: { text: issue.fix ? `${issue.message} Fix: ${issue.fix}` : issue.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: toUri(file.file) },
                  ...(issue.line > 0
                    ? { region: { startLine: issue.line, startColumn: Math.max(1, issue.column) } }
                    : {}),
                },
                ...(issue.path
                  ? { logicalLocations: [{ fullyQualifiedName: issue.path, kind: 'member' }] }
                  : {}),
              },
            ],
            partialFingerprints: { 'leastpriv/v1': fingerprint(`${file.file}|${issue.code}|${issue.path}`) },
          })),
        ),
      },
    ],
  };
}

function toPascal(code: string): string {
  return code.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** Stable across runs and machines: depends only on the file, the rule and the place in the policy. */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
