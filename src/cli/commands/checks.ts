import { compareControls } from '../../checks/audit.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { complianceIds, severityRank } from '../../checks/run.js';
import type { Check } from '../../checks/types.js';
import { COMPLIANCE_FRAMEWORKS, type ComplianceFramework } from '../../model/finding.js';
import { wrap } from '../../report/audit-table.js';
import { EXIT_OK } from '../exit-codes.js';
import { type CliIO, colorsFor } from '../io.js';
import { UsageError } from '../usage-error.js';

export interface ChecksListOptions {
  readonly format?: string;
  /** Only checks mapped to this framework, ordered by control. */
  readonly compliance?: string;
}

function frameworkOf(value: string | undefined): ComplianceFramework | undefined {
  if (value === undefined) return undefined;
  if (!(value in COMPLIANCE_FRAMEWORKS))
    throw new UsageError(
      `--compliance must be one of ${Object.keys(COMPLIANCE_FRAMEWORKS).join(', ')}, not "${value}"`,
    );
  return value as ComplianceFramework;
}

/** `leastpriv checks list [--format table|json] [--compliance FRAMEWORK]`. */
export async function checksListCommand(
  options: ChecksListOptions,
  io: CliIO,
  catalogue: readonly Check[] = ALL_CHECKS,
): Promise<number> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format must be table or json, not "${format}"`);
  const framework = frameworkOf(options.compliance);
  let checks = [...catalogue];
  if (framework) {
    checks = checks.filter((c) => (c.meta.compliance[framework]?.length ?? 0) > 0);
    checks.sort(
      (a, b) =>
        compareControls(a.meta.compliance[framework]?.[0] ?? '', b.meta.compliance[framework]?.[0] ?? '') ||
        (a.meta.id < b.meta.id ? -1 : 1),
    );
  } else
    checks.sort(
      (a, b) =>
        severityRank(a.meta.severity) - severityRank(b.meta.severity) || (a.meta.id < b.meta.id ? -1 : 1),
    );

  if (format === 'json') {
    io.stdout(
      `${JSON.stringify(
        checks.map((c) => c.meta),
        null,
        2,
      )}\n`,
    );
    return EXIT_OK;
  }
  const p = colorsFor(io);
  const lines = [
    p.bold(`${'SEVERITY'.padEnd(9)}${'CHECK'.padEnd(36)}${framework ? framework.toUpperCase() : 'TITLE'}`),
  ];
  for (const c of checks) {
    const third = framework ? (c.meta.compliance[framework] ?? []).join(', ') : c.meta.title;
    const head = `${c.meta.severity.padEnd(9)}${c.meta.id.padEnd(36)}`;
    const rest = wrap(third, 80, ' '.repeat(45));
    if (head.length > 45) lines.push(head.trimEnd(), ...rest);
    else lines.push(`${head}${(rest[0] ?? '').trimStart()}`, ...rest.slice(1));
  }
  lines.push(
    '',
    p.dim(`${checks.length} checks. \`leastpriv explain CHECK_ID\`: what one checks and how to fix it.`),
  );
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

/** `leastpriv explain CHECK_ID [--format text|json]`: what it looks for, why it matters, how to fix it. */
export async function explainCommand(
  checkId: string,
  options: { readonly format?: string },
  io: CliIO,
  catalogue: readonly Check[] = ALL_CHECKS,
): Promise<number> {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json, not "${format}"`);
  const check = catalogue.find((c) => c.meta.id === checkId);
  if (!check) {
    const near = catalogue
      .map((c) => c.meta.id)
      .filter((id) => id.includes(checkId) || checkId.includes(id.split('-')[0] ?? ''));
    throw new UsageError(
      `no check "${checkId}"${near.length > 0 ? `; did you mean ${near.slice(0, 3).join(', ')}?` : ''} (see \`leastpriv checks list\`)`,
    );
  }
  const m = check.meta;
  if (format === 'json') {
    io.stdout(`${JSON.stringify(m, null, 2)}\n`);
    return EXIT_OK;
  }
  const p = colorsFor(io);
  const section = (title: string, text: string) => ['', p.bold(title), ...wrap(text, 80, '  ')];
  const lines = [
    `${p.bold(m.id)} — ${m.title}`,
    p.dim(`severity ${m.severity} · resource ${m.resourceType}`),
    ...section('What it looks for', m.description),
    ...section('Why it matters', m.risk),
    ...section('How to fix it', m.remediation),
  ];
  const ids = complianceIds(m);
  if (ids.length > 0) lines.push(...section('Compliance', ids.join(', ')));
  if (m.references.length > 0) {
    lines.push('', p.bold('References'));
    for (const r of m.references) lines.push(...wrap(`- ${r}`, 80, '  '));
  }
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
