import { DEFAULT_RULES_DIR, loadRules } from '../../activity/detect/rules.js';
import { detectInStore as runDetection } from '../../activity/detect/run.js';
import type { Alert } from '../../activity/detect/types.js';
import { parseSince } from '../../activity/since.js';
import {
  ActivityDb,
  DatabaseLockedError,
  DatabaseMissingError,
  DEFAULT_DB_PATH,
  type QueryResult,
} from '../../activity/store.js';
import { generatePolicy } from '../../activity/usage/policy.js';
import { type PrincipalUsageReport, principalUsage, resolveIdentity } from '../../activity/usage/report.js';
import { loadSnapshot } from '../../collect/index.js';
import { formatInputError } from '../../model/errors.js';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import { validatePolicy } from '../../policy/validate/index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { type CliIO, colorsFor } from '../io.js';
import { UsageError } from '../usage-error.js';
import { renderResult } from './trail.js';

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

function checkFormat(format: string | undefined): Format {
  const f = format ?? 'table';
  if (!(FORMATS as readonly string[]).includes(f))
    throw new UsageError(`--format must be table, json or csv, not "${format}"`);
  return f as Format;
}

function sinceOption(text: string | undefined, fallback?: string): Date | undefined {
  const value = text ?? fallback;
  if (value === undefined) return undefined;
  const parsed = parseSince(value);
  if (!parsed)
    throw new UsageError(`--since takes a duration (30d, 12h) or an ISO date (2026-10-01), not "${value}"`);
  return parsed;
}

async function withDb(
  dbPath: string | undefined,
  io: CliIO,
  command: string,
  body: (db: ActivityDb) => Promise<number>,
): Promise<number> {
  const path = dbPath ?? DEFAULT_DB_PATH;
  let db: ActivityDb;
  try {
    db = await ActivityDb.openReadOnly(path);
  } catch (err) {
    if (err instanceof DatabaseMissingError || err instanceof DatabaseLockedError) {
      io.stderr(`leastpriv trail ${command}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  try {
    return await body(db);
  } finally {
    db.close();
  }
}

// ---- trail detect ---------------------------------------------------------------------------

export interface TrailDetectOptions {
  readonly db?: string;
  readonly since?: string;
  readonly format?: string;
  /** Extra rule folders, added to the built-in `detections/`. */
  readonly rules?: readonly string[];
  /** Only these rule ids. */
  readonly rule?: readonly string[];
  /** Exit 1 when an alert is at or above this severity. */
  readonly failOn?: string;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

function alertsAsResult(alerts: readonly Alert[]): QueryResult {
  const names = [
    'severity',
    'rule_id',
    'time',
    'principal',
    'account',
    'source_ip',
    'event_name',
    'events',
    'event_ids',
    'title',
  ];
  return {
    columns: names.map((name) => ({ name, type: 'VARCHAR' })),
    rows: alerts.map((a) =>
      Object.assign(Object.create(null), {
        severity: a.severity,
        rule_id: a.ruleId,
        time: a.time,
        principal: a.principal,
        account: a.account,
        source_ip: a.sourceIp ?? null,
        event_name: a.eventName,
        events: a.eventCount,
        event_ids: a.eventIds.join(' '),
        title: a.title,
      }),
    ),
  };
}

/**
 * `leastpriv trail detect [--db FILE] [--since 30d|ISO] [--format table|json|csv] [--rules DIR]...
 * [--rule ID]... [--fail-on SEVERITY]`: runs the detection rules over the activity store. Alerts are
 * sorted by severity then time; JSON is an array with one object per alert. Exit 0, 1 with
 * --fail-on when an alert reaches it, 2 on a usage error, a bad rule file or a missing database.
 */
export async function trailDetectCommand(options: TrailDetectOptions, io: CliIO): Promise<number> {
  const format = checkFormat(options.format);
  const since = sinceOption(options.since);
  if (options.failOn !== undefined && !SEVERITIES.includes(options.failOn as Severity))
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, not "${options.failOn}"`);
  const { rules, errors } = loadRules([DEFAULT_RULES_DIR, ...(options.rules ?? [])]);
  for (const e of errors) io.stderr(`leastpriv trail detect: ${formatInputError(e)}\n`);
  if (errors.length > 0) return EXIT_USAGE;
  const unknown = (options.rule ?? []).filter((id) => !rules.some((r) => r.id === id));
  if (unknown.length > 0) throw new UsageError(`no rule ${unknown.join(', ')}; see docs/detections.md`);
  return withDb(options.db, io, 'detect', async (db) => {
    const summary = await runDetection(db, rules, {
      ...(since ? { since } : {}),
      ...(options.rule && options.rule.length > 0 ? { only: options.rule } : {}),
    });
    const alerts = [...summary.alerts].sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        a.time.localeCompare(b.time) ||
        a.ruleId.localeCompare(b.ruleId),
    );
    if (format === 'json') io.stdout(`${JSON.stringify(alerts, null, 2)}\n`);
    else io.stdout(renderResult(alertsAsResult(alerts), format, io));
    io.stderr(
      `${alerts.length} alert${alerts.length === 1 ? '' : 's'} from ${summary.rules} rules over ${summary.eventsExamined} events${since ? ` (alerts since ${since.toISOString()})` : ''}\n`,
    );
    if (options.failOn) {
      const limit = SEVERITY_RANK[options.failOn as Severity];
      if (alerts.some((a) => SEVERITY_RANK[a.severity] <= limit)) return EXIT_FINDINGS;
    }
    return EXIT_OK;
  });
}

// ---- trail usage / trail policy -------------------------------------------------------------

export interface TrailUsageOptions {
  /** Snapshot folder(s) or export files. */
  readonly snapshot?: string | readonly string[];
  readonly db?: string;
  /** Default 90d. */
  readonly since?: string;
  readonly format?: string;
}

async function usageFor(
  command: string,
  principalArg: string,
  options: TrailUsageOptions,
  io: CliIO,
  body: (report: PrincipalUsageReport) => number,
): Promise<number> {
  const paths =
    options.snapshot === undefined
      ? []
      : typeof options.snapshot === 'string'
        ? [options.snapshot]
        : [...options.snapshot];
  if (paths.length === 0)
    throw new UsageError('--snapshot DIR is required: the granted side comes from a snapshot');
  const since = sinceOption(options.since, '90d');
  const { snapshot, errors } = await loadSnapshot(paths);
  for (const e of errors) io.stderr(`leastpriv trail ${command}: ${formatInputError(e)}\n`);
  if (snapshot.accounts.size === 0) {
    io.stderr(`leastpriv trail ${command}: no account data in ${paths.join(', ')}\n`);
    return EXIT_USAGE;
  }
  const identity = resolveIdentity(snapshot, principalArg);
  if ('error' in identity) throw new UsageError(identity.error);
  return withDb(options.db, io, command, async (db) =>
    body(await principalUsage(db, snapshot, identity, since ? { since } : {})),
  );
}

function usageTable(r: PrincipalUsageReport, io: CliIO): string {
  const c = colorsFor(io);
  const lines: string[] = [];
  const cmp = r.comparison;
  lines.push(c.bold(`${r.kind} ${r.principal}`));
  lines.push(
    `window: since ${r.since ?? 'the start of the store'}; ${r.activity.events} events` +
      (r.activity.firstEvent ? ` (${r.activity.firstEvent} … ${r.activity.lastEvent})` : ''),
  );
  lines.push(
    `granted ${cmp.granted} actions, used ${cmp.used}, granted but unused ${cmp.grantedUnused.length}, used but not granted ${cmp.usedNotGranted.length}`,
  );
  for (const why of r.incomplete) lines.push(c.yellow(`incomplete: ${why}`));
  lines.push('', c.bold('used'));
  for (const u of r.activity.used)
    lines.push(
      `  ${u.action.padEnd(48)} ${String(u.count).padStart(7)}  last ${u.lastUsed}${cmp.usedNotGranted.includes(u.action) ? c.red('  NOT GRANTED') : ''}`,
    );
  if (r.activity.denied.length > 0) {
    lines.push('', c.bold('denied (attempted, not used)'));
    for (const d of r.activity.denied)
      lines.push(`  ${d.action.padEnd(48)} ${String(d.count).padStart(7)}  last ${d.lastTime}`);
  }
  lines.push('', c.bold('granted versus used, by service'));
  for (const s of cmp.byService.filter((x) => x.unused > 0).slice(0, 25))
    lines.push(
      `  ${s.service.padEnd(32)} granted ${String(s.granted).padStart(5)}  used ${String(s.used).padStart(4)}  unused ${String(s.unused).padStart(5)}`,
    );
  if (cmp.byService.filter((x) => x.unused > 0).length > 25)
    lines.push(c.dim('  … (--format json lists every action)'));
  if (r.activity.skipped.length > 0) {
    lines.push('', c.dim('events that are not IAM actions of the caller:'));
    for (const s of r.activity.skipped)
      lines.push(c.dim(`  ${s.eventSource} ${s.eventName} ×${s.count}: ${s.reason}`));
  }
  // Names and event values are attacker-controlled: no terminal escapes reach the screen.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return `${lines.join('\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?')}\n`;
}

/**
 * `leastpriv trail usage PRINCIPAL --snapshot DIR [--db FILE] [--since 90d] [--format table|json|csv]`:
 * the actions PRINCIPAL (ARN or unique name) used in the window against what its policies grant.
 * CSV: one row per catalogue action that is granted or used, with `granted`, `used`, `count`, `last_used`.
 */
export async function trailUsageCommand(
  principal: string,
  options: TrailUsageOptions,
  io: CliIO,
): Promise<number> {
  const format = checkFormat(options.format);
  return usageFor('usage', principal, options, io, (r) => {
    if (format === 'json') io.stdout(`${JSON.stringify(r, null, 2)}\n`);
    else if (format === 'table') io.stdout(usageTable(r, io));
    else {
      const used = new Map(r.activity.used.map((u) => [u.action, u]));
      const actions = [...new Set([...r.comparison.grantedUnused, ...used.keys()])].sort();
      const notGranted = new Set(r.comparison.usedNotGranted);
      const rows = actions.map((a) =>
        Object.assign(Object.create(null), {
          action: a,
          granted: !notGranted.has(a),
          used: used.has(a),
          count: used.get(a)?.count ?? 0,
          last_used: used.get(a)?.lastUsed ?? null,
        }),
      );
      io.stdout(
        renderResult(
          {
            columns: ['action', 'granted', 'used', 'count', 'last_used'].map((name) => ({
              name,
              type: 'VARCHAR',
            })),
            rows,
          },
          'csv',
          io,
        ),
      );
    }
    return EXIT_OK;
  });
}

export interface TrailPolicyOptions extends Omit<TrailUsageOptions, 'format'> {
  readonly output?: string;
}

/**
 * `leastpriv trail policy PRINCIPAL --snapshot DIR [--db FILE] [--since 90d] [-o FILE]`: an identity
 * policy allowing exactly the actions PRINCIPAL used, on the resources the events named (template
 * placeholders where they named none; those statements' Sids contain `ReviewResources`). The policy
 * is linted before it is printed; exit 2 when nothing was used in the window.
 */
export async function trailPolicyCommand(
  principal: string,
  options: TrailPolicyOptions,
  io: CliIO,
): Promise<number> {
  let policyText: string | undefined;
  const code = await usageFor('policy', principal, options, io, (r) => {
    if (r.activity.used.length === 0) {
      io.stderr(
        `leastpriv trail policy: ${r.principal} used no IAM actions since ${r.since ?? 'the start of the store'}; no policy to generate\n`,
      );
      return EXIT_USAGE;
    }
    const partition = r.principal.split(':')[1] ?? 'aws';
    const policy = generatePolicy(r.activity, { partition });
    policyText = `${JSON.stringify(policy, null, 2)}\n`;
    const errors = validatePolicy(policyText, { type: 'identity' }).issues.filter(
      (i) => i.severity === 'ERROR',
    );
    for (const e of errors) io.stderr(`leastpriv trail policy: generated policy: ${e.code}: ${e.message}\n`);
    if (r.comparison.usedNotGranted.length > 0)
      io.stderr(
        `leastpriv trail policy: used but not granted by the snapshot (a resource policy or a missing policy?): ${r.comparison.usedNotGranted.join(', ')}\n`,
      );
    const placeholders = policy.Statement.filter((s) => s.Sid.includes('ReviewResources')).length;
    if (placeholders > 0)
      io.stderr(
        `leastpriv trail policy: ${placeholders} statement(s) use resource placeholders (Sid …ReviewResources…): narrow them before use\n`,
      );
    return errors.length > 0 ? EXIT_USAGE : EXIT_OK;
  });
  if (policyText !== undefined && code === EXIT_OK) {
    if (options.output) await io.writeFile(options.output, policyText);
    else io.stdout(policyText);
  }
  return code;
}
