import { ISSUE_SEVERITIES, type IssueSeverity, type PolicyIssue, severityRank } from '../../model/issue.js';
import { POLICY_TYPES, type PolicyType } from '../../model/policy.js';
import { lintRules, validatePolicy } from '../../policy/validate/index.js';
import { type LintFileResult, lintSarif } from '../../report/lint-sarif.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { type CliIO, colorsFor } from '../io.js';
import { UsageError } from '../usage-error.js';
import { VERSION } from '../version.js';

export interface LintOptions {
  readonly type?: string;
  readonly format?: string;
  readonly failOn?: string;
  readonly output?: string;
}

interface FileOutcome extends LintFileResult {
  readonly type: PolicyType;
  readonly typeGuessed: boolean;
  /** The file could not be read at all (not a lint finding: an input error). */
  readonly readError?: string;
}

/** `leastpriv lint FILE...`: exit 1 when an issue is at or above --fail-on, 2 on usage or unreadable input. */
export async function lintCommand(
  files: readonly string[],
  options: LintOptions,
  io: CliIO,
): Promise<number> {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format))
    throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const failOn = (options.failOn ?? 'ERROR').toUpperCase().replace(/-/g, '_') as IssueSeverity;
  if (!ISSUE_SEVERITIES.includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${ISSUE_SEVERITIES.join(', ')}, not "${options.failOn}"`);
  }
  if (options.type !== undefined && !(POLICY_TYPES as readonly string[]).includes(options.type)) {
    throw new UsageError(`--type must be one of ${POLICY_TYPES.join(', ')}, not "${options.type}"`);
  }
  if (files.length === 0) throw new UsageError('name at least one policy file (or - for standard input)');

  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (err) {
      const reason =
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      outcomes.push({ file, type: 'identity', typeGuessed: true, issues: [], readError: reason });
      continue;
    }
    const type = (options.type as PolicyType | undefined) ?? guessType(text);
    const result = validatePolicy(text, { type });
    outcomes.push({ file, type, typeGuessed: options.type === undefined, issues: sortIssues(result.issues) });
  }

  const rendered =
    format === 'json'
      ? renderJson(outcomes)
      : format === 'sarif'
        ? renderSarif(outcomes)
        : renderText(outcomes, failOn, io);
  if (options.output) await io.writeFile(options.output, rendered);
  else io.stdout(rendered);

  for (const o of outcomes) if (o.readError) io.stderr(`leastpriv lint: ${o.file}: ${o.readError}\n`);
  if (outcomes.some((o) => o.readError)) return EXIT_USAGE;
  const threshold = severityRank(failOn);
  return outcomes.some((o) => o.issues.some((i) => severityRank(i.severity) <= threshold))
    ? EXIT_FINDINGS
    : EXIT_OK;
}

/**
 * Without --type: a document with a Principal is a resource policy, or a trust policy when every
 * action is an sts:AssumeRole* one; otherwise it is an identity policy. A cheap textual look:
 * the validator itself re-reads the document properly.
 */
export function guessType(text: string): PolicyType {
  if (!/"(Not)?Principal"\s*:/.test(text)) return 'identity';
  const actions = [...text.matchAll(/"(sts:[A-Za-z*]+)"/g)].map((m) => m[1]!.toLowerCase());
  const allActions = [...text.matchAll(/"Action"\s*:\s*(\[[^\]]*\]|"[^"]*")/g)].map((m) => m[1]!);
  const onlySts = allActions.length > 0 && allActions.every((a) => /^("|\[\s*")sts:/i.test(a.trim()));
  return actions.some((a) => a.startsWith('sts:assumerole')) && onlySts ? 'trust' : 'resource';
}

function sortIssues(issues: readonly PolicyIssue[]): PolicyIssue[] {
  return [...issues].sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      severityRank(a.severity) - severityRank(b.severity) ||
      a.code.localeCompare(b.code),
  );
}

function counts(outcomes: readonly FileOutcome[]): Record<IssueSeverity, number> {
  const out = { ERROR: 0, SECURITY_WARNING: 0, WARNING: 0, SUGGESTION: 0 };
  for (const o of outcomes) for (const i of o.issues) out[i.severity]++;
  return out;
}

function renderJson(outcomes: readonly FileOutcome[]): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      tool: { name: 'leastpriv', version: VERSION },
      files: outcomes.map((o) => ({
        file: o.file,
        type: o.type,
        typeGuessed: o.typeGuessed,
        ...(o.readError ? { error: o.readError } : {}),
        issues: o.issues,
      })),
      summary: counts(outcomes),
    },
    null,
    2,
  )}\n`;
}

function renderSarif(outcomes: readonly FileOutcome[]): string {
  return `${JSON.stringify(
    lintSarif(
      VERSION,
      lintRules,
      outcomes.filter((o) => !o.readError),
    ),
    null,
    2,
  )}\n`;
}

function renderText(outcomes: readonly FileOutcome[], failOn: IssueSeverity, io: CliIO): string {
  const c = colorsFor(io);
  const paint: Record<IssueSeverity, (s: string) => string> = {
    ERROR: (s) => c.red(c.bold(s)),
    SECURITY_WARNING: (s) => c.magenta(c.bold(s)),
    WARNING: c.yellow,
    SUGGESTION: c.cyan,
  };
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.readError) continue;
    const head = `${c.bold(o.file)} ${c.dim(`(${o.type} policy${o.typeGuessed ? ', guessed; set --type to override' : ''})`)}`;
    if (o.issues.length === 0) {
      lines.push(`${head}: ${c.green('no issues')}`);
      continue;
    }
    lines.push(head);
    for (const i of o.issues) {
      const where = i.line > 0 ? `${i.line}:${i.column}` : '-';
      lines.push(
        `  ${where.padEnd(7)} ${paint[i.severity](i.severity.padEnd(16))} ${i.message} ${c.dim(`[${i.code}]`)}`,
      );
      if (i.path) lines.push(`          ${c.dim(`at ${i.path}`)}`);
      if (i.fix) lines.push(`          ${c.dim('fix:')} ${i.fix}`);
    }
  }
  const n = counts(outcomes);
  const total = n.ERROR + n.SECURITY_WARNING + n.WARNING + n.SUGGESTION;
  const files = outcomes.filter((o) => !o.readError).length;
  lines.push(
    '',
    `${files} file${files === 1 ? '' : 's'} checked: ${total === 0 ? c.green('no issues') : `${n.ERROR} error, ${n.SECURITY_WARNING} security warning, ${n.WARNING} warning, ${n.SUGGESTION} suggestion`} ${c.dim(`(fails on ${failOn} and above)`)}`,
  );
  return `${lines.join('\n')}\n`;
}
