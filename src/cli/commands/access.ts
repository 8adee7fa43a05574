import { accessModel } from '../../analysis/access/model.js';
import {
  type AccessSummary,
  accessSummary,
  LEVELS,
  type LevelCounts,
} from '../../analysis/access/summary.js';
import { DEFAULT_CONFIG } from '../../model/config.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';
import { checkFormat, type IndexOptions, principalAndSnapshot } from './access-shared.js';

export interface AccessOptions extends IndexOptions {
  /** `--timings`: how long loading (or reading the index) and summarising took, on stderr. */
  readonly timings?: boolean;
  readonly format?: string;
  /** Services not used for this many days are marked unused (default: the config's 90). */
  readonly unusedDays?: string;
}

const SHORT: Readonly<Record<string, string>> = {
  List: 'L',
  Read: 'R',
  Write: 'W',
  'Permissions management': 'P',
  Tagging: 'T',
};

function counts(c: LevelCounts): string {
  const parts = LEVELS.filter((l) => c[l] > 0).map((l) => `${SHORT[l]}${c[l]}`);
  return parts.length > 0 ? parts.join(' ') : '-';
}

function renderText(s: AccessSummary): string {
  const lines = [
    `${s.principal} (${s.kind}, account ${s.account})`,
    `effective actions: ${s.totals.all} on every resource, ${s.totals.scoped} on some resources, ${s.totals.conditional} only under a condition`,
    `levels: L list, R read, W write, P permissions management, T tagging; usage over the last ${s.unusedDays} days${s.usageKnown ? '' : ' (no last-accessed data)'}`,
    '',
  ];
  const rows = s.services.map((v) => [
    v.service,
    counts(v.all),
    counts(v.scoped),
    counts(v.conditional),
    v.restricted > 0 ? String(v.restricted) : '',
    v.usage === 'unknown'
      ? '?'
      : v.usage === 'used'
        ? `used ${v.lastAccessed?.slice(0, 10) ?? ''}`
        : `UNUSED${v.lastAccessed ? ` since ${v.lastAccessed.slice(0, 10)}` : ''}`,
  ]);
  const header = ['service', 'on *', 'scoped', 'conditional', 'deny may apply', 'usage'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header), ...rows.map(fmt));
  const conditional = s.services.filter((v) => v.conditions.length > 0);
  if (conditional.length > 0) {
    lines.push('', 'conditional grants:');
    for (const v of conditional) for (const c of v.conditions) lines.push(`  ${v.service}: ${c}`);
  }
  if (s.notes.length > 0) lines.push('', ...s.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}

/**
 * `leastpriv access PRINCIPAL --snapshot DIR [--format text|json] [--unused-days N]`: effective
 * permissions by service and access level; conditional grants with their conditions; services
 * not used within N days (service last-accessed data) marked.
 */
export async function accessCommand(
  args: readonly string[],
  options: AccessOptions,
  io: CliIO,
): Promise<number> {
  const format = checkFormat(options.format, ['text', 'json']);
  const principalText = args[0];
  if (!principalText) throw new UsageError('usage: leastpriv access PRINCIPAL --snapshot DIR');
  const unusedDays =
    options.unusedDays === undefined ? DEFAULT_CONFIG.thresholds.unusedDays : Number(options.unusedDays);
  if (!Number.isInteger(unusedDays) || unusedDays < 0)
    throw new UsageError(`--unused-days must be a whole number of days, not "${options.unusedDays}"`);
  const started = performance.now();
  const { snapshot, identity, from } = await principalAndSnapshot(
    'access',
    principalText,
    undefined,
    options,
    io,
  );
  const entry = accessModel(snapshot).byArn.get(identity.arn);
  if (!entry) throw new UsageError(`no user or role "${principalText}" in the snapshot`);
  const now = snapshot.collectedAt ? new Date(snapshot.collectedAt) : new Date();
  const loaded = performance.now();
  const summary = accessSummary(snapshot, entry, { unusedDays, now });
  if (options.timings)
    io.stderr(
      `leastpriv access: ${Math.round(loaded - started)} ms to ${from === 'index' ? 'read the query index' : 'load the snapshot'}, ${Math.round(performance.now() - loaded)} ms to summarise\n`,
    );
  io.stdout(format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderText(summary));
  return EXIT_OK;
}
