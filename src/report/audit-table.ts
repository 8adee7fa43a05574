import type { Finding, Severity } from '../model/finding.js';
import type { AuditJson } from './audit-json.js';

/**
 * The human-readable `leastpriv audit` report: a summary, then unsuppressed findings grouped by
 * check (worst first), wrapped to 80 columns. A pure function of the JSON report, so what a person
 * reads and what a script parses never disagree. Suppressed findings are counted here and listed
 * in JSON/SARIF.
 */

/** The colour functions used (picocolors' `createColors()` provides them; identity when off). */
export interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly green: (s: string) => string;
  readonly magenta: (s: string) => string;
}

export const WIDTH = 80;

/**
 * Names, tags and messages come from account data: a control character (an ANSI escape in a user
 * name) must not reach the terminal. C0, DEL and C1 controls become U+FFFD.
 */
export function sanitize(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** Words to lines of at most `width` (indent included); a word longer than a line is cut. */
export function wrap(text: string, width: number, indent: string): string[] {
  const room = Math.max(10, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const raw of sanitize(text).split(' ')) {
    let word = raw;
    while (word.length > room) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, room));
      word = word.slice(room);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= room) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l);
}

function severityLabel(s: Severity, p: Paint): string {
  const label = s.toUpperCase();
  switch (s) {
    case 'critical':
      return p.bold(p.red(label));
    case 'high':
      return p.red(label);
    case 'medium':
      return p.yellow(label);
    case 'low':
      return p.cyan(label);
    default:
      return p.dim(label);
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderAuditTable(report: AuditJson, p: Paint): string {
  const out: string[] = [];
  const s = report.summary;
  const f = s.findings;
  out.push(
    p.bold(
      `leastpriv audit · ${plural(s.accounts, 'account')} · ${s.identities.human} human and ${s.identities.nonHuman} non-human identities`,
    ),
  );
  out.push(
    ...wrap(
      `snapshot ${report.snapshot.paths.join(', ')} (${report.snapshot.layout}${report.snapshot.collectedAt ? `, collected ${report.snapshot.collectedAt}` : ''})`,
      WIDTH,
      '',
    ).map(p.dim),
  );
  out.push('');
  const counts = (['critical', 'high', 'medium', 'low', 'info'] as const)
    .map((sev) => `${severityLabel(sev, p)} ${f.bySeverity[sev]}`)
    .join('  ');
  out.push(`${p.bold('Findings')}  ${counts}`);
  out.push(
    `          ${f.unknown} unknown (data missing) · ${f.suppressed} suppressed · ${report.checks.length} checks run`,
  );

  if (report.compliance) {
    out.push('', p.bold(sanitize(report.compliance.title)));
    for (const c of report.compliance.controls) {
      const word = c.status.toUpperCase().padEnd(7);
      const status =
        c.status === 'fail' ? p.red(word) : c.status === 'unknown' ? p.yellow(word) : p.green(word);
      const detail = `${c.checks.join(', ')}${c.failed > 0 ? ` (${plural(c.failed, 'finding')})` : ''}`;
      const indent = ' '.repeat(2 + 8 + 1 + 7 + 1);
      const lines = wrap(detail, WIDTH, indent);
      out.push(
        `  ${sanitize(c.control).padEnd(8)} ${status} ${(lines[0] ?? '').slice(indent.length)}`,
        ...lines.slice(1),
      );
    }
  }

  const titles = new Map(report.checks.map((c) => [c.id, c.title]));
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    if (finding.suppressed) continue;
    const list = groups.get(finding.checkId) ?? [];
    list.push(finding);
    groups.set(finding.checkId, list);
  }
  if (groups.size === 0) out.push('', p.green('No findings.'));
  for (const [checkId, findings] of groups) {
    const first = findings[0]!;
    out.push('');
    out.push(
      ...wrap(
        `${checkId} · ${titles.get(checkId) ?? ''} · ${findings.length}`,
        WIDTH - first.severity.length - 1,
        '',
      ).map((l, i) =>
        i === 0
          ? `${severityLabel(first.severity, p)} ${p.bold(l)}`
          : `${' '.repeat(first.severity.length + 1)}${p.bold(l)}`,
      ),
    );
    for (const finding of findings) {
      const unknown = finding.status === 'unknown';
      out.push(
        ...wrap(`${unknown ? 'unknown ' : ''}${finding.account} ${finding.resourceArn}`, WIDTH, '  ').map(
          (l, i) => (i === 0 && unknown ? `  ${p.yellow('unknown')}${l.slice(2 + 'unknown'.length)}` : l),
        ),
      );
      out.push(...wrap(finding.message, WIDTH, '    ').map(p.dim));
    }
  }

  if (s.riskiestPrincipals.length > 0) {
    out.push('', p.bold('Riskiest principals'));
    for (const r of s.riskiestPrincipals)
      out.push(
        ...wrap(
          `${String(r.score).padStart(4)}  ${r.principal} (${plural(r.findings, 'finding')})`,
          WIDTH,
          '  ',
        ),
      );
  }
  if (report.expiredSuppressions.length > 0) {
    out.push('', p.bold(p.yellow('Expired suppressions (no longer suppressing)')));
    for (const e of report.expiredSuppressions)
      out.push(
        ...wrap(
          `#${e.index} ${e.checkId} ${e.resource ?? '*'} expired ${e.expires} — ${e.reason}${e.owner ? ` (${e.owner})` : ''}; matches ${plural(e.matchedFindings.length, 'finding')}`,
          WIDTH,
          '  ',
        ),
      );
  }
  if (report.checkErrors.length > 0) {
    out.push('', p.bold(p.red('Checks that failed (reported as unknown)')));
    for (const e of report.checkErrors) out.push(...wrap(`${e.checkId}: ${e.message}`, WIDTH, '  '));
  }
  if (report.gaps.length > 0 || report.loadErrors.length > 0) {
    out.push('');
    out.push(
      ...wrap(
        `Data missing: ${plural(report.gaps.length, 'gap')} and ${plural(report.loadErrors.length, 'unreadable file')}; checks that needed it say unknown (details: --format json).`,
        WIDTH,
        '',
      ).map(p.yellow),
    );
  }
  return `${out.join('\n')}\n`;
}
