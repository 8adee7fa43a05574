import type { AuditResult } from '../checks/audit.js';
import { type Finding, SEVERITIES, type Severity } from '../model/finding.js';
import { countBySeverity, prepare, type ReportOptions } from './options.js';

/**
 * Text from the account made inert in GitHub-flavoured Markdown: HTML special characters become
 * entities (GitHub renders inline HTML), Markdown punctuation is backslash-escaped, `@` cannot
 * mention anyone, and line breaks cannot end a table row.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~"']/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

const TITLE: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

export interface MarkdownOptions extends ReportOptions {
  /** Rows of findings at most (a GitHub comment holds 65,536 characters); the rest are counted. */
  readonly maxRows?: number;
}

/** A summary table, then findings by severity: for pull-request comments and tickets. */
export function renderMarkdown(result: AuditResult, options: MarkdownOptions = {}): string {
  const { result: r, checks, accountNames, context } = prepare(result, options);
  const maxRows = options.maxRows ?? 200;
  const e = escapeMarkdown;
  const active = r.findings.filter((f) => !f.suppressed);
  const counts = countBySeverity(r.findings);
  const suppressed = r.findings.length - active.length;
  const lines: string[] = [];
  lines.push(`## ${e(options.title ?? 'leastpriv audit')}`, '');
  const accounts = new Set(r.findings.map((f) => f.account));
  lines.push(
    `${active.length} finding${active.length === 1 ? '' : 's'} in ${context.accounts.length || accounts.size} account${(context.accounts.length || accounts.size) === 1 ? '' : 's'}` +
      `${suppressed > 0 ? `, ${suppressed} suppressed` : ''}; ${r.checks.length} checks ran at ${r.now.toISOString()}.`,
    '',
  );
  lines.push('| Severity | Findings | Undecided |', '| --- | ---: | ---: |');
  for (const s of SEVERITIES) {
    const undecided = active.filter((f) => f.severity === s && f.status === 'unknown').length;
    lines.push(`| ${TITLE[s]} | ${counts[s]} | ${undecided} |`);
  }
  lines.push('');
  if (r.checkErrors.length > 0) {
    lines.push(
      `> **Warning:** ${r.checkErrors.length} check(s) failed to run: ${r.checkErrors.map((c) => e(c.checkId)).join(', ')}.`,
      '',
    );
  }
  if (r.expiredSuppressions.length > 0) {
    lines.push(
      `> **Note:** ${r.expiredSuppressions.length} suppression(s) have expired and no longer suppress.`,
      '',
    );
  }
  let shown = 0;
  for (const s of SEVERITIES) {
    const list = active.filter((f) => f.severity === s);
    if (list.length === 0) continue;
    lines.push(`### ${TITLE[s]} (${list.length})`, '');
    lines.push('| Check | Account | Resource | Finding |', '| --- | --- | --- | --- |');
    for (const f of list) {
      if (shown >= maxRows) break;
      shown++;
      lines.push(row(f, checks.get(f.checkId)?.title, accountNames.get(f.account)));
    }
    lines.push('');
  }
  if (shown < active.length)
    lines.push(`…and ${active.length - shown} more findings: see the full report.`, '');
  if (suppressed > 0) {
    lines.push('<details><summary>Suppressed findings</summary>', '');
    lines.push('| Check | Resource | Reason | Expires |', '| --- | --- | --- | --- |');
    for (const f of r.findings.filter((x) => x.suppressed).slice(0, maxRows))
      lines.push(
        `| ${e(f.checkId)} | ${e(f.resourceArn)} | ${e(f.suppressed?.reason ?? '')} | ${e(f.suppressed?.expires ?? '')} |`,
      );
    lines.push('', '</details>', '');
  }
  return `${lines.join('\n')}`;
}

function row(f: Finding, title: string | undefined, accountName: string | undefined): string {
  const e = escapeMarkdown;
  const check = title ? `${e(title)} (${e(f.checkId)})` : e(f.checkId);
  const account = accountName ? `${e(accountName)} (${e(f.account)})` : e(f.account);
  const status = f.status === 'unknown' ? ' *(undecided: data missing)*' : '';
  return `| ${check} | ${account} | ${e(f.resourceArn)} | ${e(f.message)}${status} |`;
}
