import { loadSnapshot } from '../../collect/index.js';
import { buildInventory, type Inventory, type InventoryIdentity } from '../../collect/inventory.js';
import type { LoadSummary, TrustSummary } from '../../model/account.js';
import { formatInputError } from '../../model/errors.js';
import { csvDocument } from '../../report/csv.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { type CliIO, type Colors, colorsFor } from '../io.js';
import { UsageError } from '../usage-error.js';

export interface InventoryOptions {
  readonly format?: string;
  readonly output?: string;
  readonly showKeyIds?: boolean;
}

const FORMATS = ['table', 'json', 'csv'] as const;

/**
 * `leastpriv inventory SNAPSHOT... [--format table|json|csv] [--show-key-ids] [-o FILE]`: every
 * root user, IAM user and role. Exit 0, or 2 when a path or file could not be read (the inventory
 * of everything else is still printed) or nothing was found.
 */
export async function inventoryCommand(
  snapshotPaths: readonly string[],
  options: InventoryOptions,
  io: CliIO,
): Promise<number> {
  const format = options.format ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be table, json or csv, not "${format}"`);
  if (snapshotPaths.length === 0)
    throw new UsageError('name a snapshot: a folder (leastpriv or CloudMapper layout) or export files');

  const { snapshot, summary, errors } = await loadSnapshot(snapshotPaths);
  for (const e of errors) io.stderr(`leastpriv inventory: ${formatInputError(e)}\n`);
  const inventory = buildInventory(snapshot, { showKeyIds: options.showKeyIds === true });

  const rendered =
    format === 'json'
      ? `${JSON.stringify(inventory, null, 2)}\n`
      : format === 'csv'
        ? renderCsv(inventory)
        : renderTable(inventory, colorsFor(io));
  if (options.output) await io.writeFile(options.output, rendered);
  else io.stdout(rendered);
  io.stderr(`${describeLoad(summary)}\n`);
  if (summary.counts.accounts === 0) {
    io.stderr('leastpriv inventory: no account data found in the given paths\n');
    return EXIT_USAGE;
  }
  return errors.length > 0 ? EXIT_USAGE : EXIT_OK;
}

export function describeLoad(summary: LoadSummary): string {
  const c = summary.counts;
  const skipped = new Map<string, number>();
  for (const s of summary.skipped) skipped.set(s.reason, (skipped.get(s.reason) ?? 0) + 1);
  const parts = [
    `loaded ${c.accounts} account${c.accounts === 1 ? '' : 's'} (${c.users} users, ${c.groups} groups, ${c.roles} roles, ${c.managedPolicies} managed policies, ${c.resources} resources) from ${summary.filesLoaded} file${summary.filesLoaded === 1 ? '' : 's'} in ${summary.millis} ms`,
  ];
  if (summary.filesFailed > 0) parts.push(`${summary.filesFailed} failed`);
  for (const [reason, n] of skipped) parts.push(`${n} skipped: ${reason}`);
  if (summary.policiesWithErrors > 0)
    parts.push(`${summary.policiesWithErrors} policies with errors (kept, marked)`);
  return parts.join('; ');
}

// ---- CSV ------------------------------------------------------------------------------------

const CSV_HEADER = [
  'account',
  'account_name',
  'kind',
  'name',
  'arn',
  'human',
  'human_reason',
  'role_category',
  'created',
  'last_used',
  'password_enabled',
  'mfa',
  'active_keys',
  'oldest_active_key_days',
  'access_key_ids',
  'attached_policies',
  'inline_policies',
  'permissions_boundary',
  'groups',
  'trust_same_account',
  'trust_other_accounts',
  'trust_services',
  'trust_federated',
  'trust_anyone',
  'owner',
] as const;

function renderCsv(inventory: Inventory): string {
  return csvDocument(
    CSV_HEADER,
    inventory.identities.map((i) => [
      i.account,
      i.accountName,
      i.kind,
      i.name,
      i.arn,
      i.humanKnown ? i.human : null,
      i.humanReason,
      i.roleCategory,
      i.created,
      i.lastUsed,
      i.passwordEnabled,
      i.mfa,
      i.activeKeys,
      oldestActiveKey(i),
      i.accessKeys.flatMap((k) => (k.id ? [k.id] : [])).join(';'),
      i.attachedPolicies.join(';'),
      i.inlinePolicies.join(';'),
      i.permissionsBoundary,
      i.groups.join(';'),
      i.trust?.sameAccount ?? null,
      i.trust?.otherAccounts.join(';') ?? null,
      i.trust?.services.join(';') ?? null,
      i.trust?.federated.join(';') ?? null,
      i.trust?.anyone ?? null,
      i.owner,
    ]),
  );
}

function oldestActiveKey(i: InventoryIdentity): number | null {
  let oldest: number | null = null;
  for (const k of i.accessKeys)
    if (k.active && k.ageDays !== null && (oldest === null || k.ageDays > oldest)) oldest = k.ageDays;
  return oldest;
}

// ---- table (80 columns) ---------------------------------------------------------------------

interface Column {
  readonly title: string;
  readonly width: number;
}

const COLUMNS: readonly Column[] = [
  { title: 'KIND', width: 4 },
  { title: 'NAME', width: 28 },
  { title: 'HUMAN', width: 5 },
  { title: 'MFA', width: 3 },
  { title: 'KEYS', width: 7 },
  { title: 'LAST USED', width: 10 },
  { title: 'TRUST / GROUPS', width: 15 },
];
/** 2 indent + widths + 1 space between columns = 80. */
export const TABLE_WIDTH = 2 + COLUMNS.reduce((n, c) => n + c.width, 0) + COLUMNS.length - 1;

/** Names and tags are attacker-controlled: no terminal escapes reach the screen. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

function fitCell(text: string, width: number): string {
  const t = printable(text);
  return t.length > width ? `${t.slice(0, width - 1)}…` : t.padEnd(width);
}

function renderTable(inventory: Inventory, c: Colors): string {
  const lines: string[] = [];
  let account: string | undefined;
  const header = `  ${COLUMNS.map((col) => col.title.padEnd(col.width)).join(' ')}`.trimEnd();
  for (const i of inventory.identities) {
    if (i.account !== account) {
      account = i.account;
      const name = i.accountName ? ` ${printable(i.accountName)}` : '';
      const n = inventory.identities.filter((x) => x.account === account);
      const humans = n.filter((x) => x.human).length;
      if (lines.length > 0) lines.push('');
      const title = `${account}${name}`;
      lines.push(
        c.bold(title.length > 50 ? `${title.slice(0, 49)}…` : title) +
          c.dim(` — ${n.length} identities, ${humans} human`),
      );
      lines.push(c.dim(header));
    }
    const cells = [
      i.kind,
      i.name,
      i.humanKnown ? (i.human ? 'yes' : 'no') : '?',
      i.mfa === null ? '-' : i.mfa ? 'yes' : 'no',
      keysCell(i),
      i.lastUsed ? i.lastUsed.slice(0, 10) : i.lastUsedKnown ? 'never' : '?',
      i.kind === 'role' && i.trust ? trustCell(i.roleCategory, i.trust) : i.groups.join(','),
    ];
    const text = COLUMNS.map((col, k) => fitCell(cells[k] ?? '', col.width));
    if (i.human && i.mfa === false) text[3] = c.red(text[3]!);
    lines.push(`  ${text.join(' ')}`.trimEnd());
  }
  if (inventory.gaps.length > 0) {
    lines.push(
      '',
      c.yellow(
        `${inventory.gaps.length} gap${inventory.gaps.length === 1 ? '' : 's'}: unknown fields are shown as ? or -`,
      ),
    );
    for (const g of inventory.gaps.slice(0, 10))
      lines.push(c.dim(fitCell(`  ${g.account ?? ''} ${g.message}`, TABLE_WIDTH).trimEnd()));
    if (inventory.gaps.length > 10)
      lines.push(c.dim(`  … and ${inventory.gaps.length - 10} more (--format json lists them all)`));
  }
  return `${lines.join('\n')}\n`;
}

function keysCell(i: InventoryIdentity): string {
  if (i.kind === 'role') return '-';
  const active = i.accessKeys.filter((k) => k.active);
  if (active.length === 0) return i.passwordEnabled === null && i.kind !== 'root' ? '?' : '0';
  const oldest = oldestActiveKey(i);
  return oldest === null ? String(active.length) : `${active.length} ${oldest}d`;
}

function trustCell(category: string | null, t: TrustSummary): string {
  const parts: string[] = [];
  if (t.anyone) parts.push('ANYONE');
  if (t.sameAccount) parts.push('self');
  if (t.otherAccounts.length > 0) parts.push(`${t.otherAccounts.length} acct`);
  for (const s of t.services) parts.push(s.replace(/\.amazonaws\.com(\.cn)?$/, ''));
  if (t.federated.length > 0)
    parts.push(
      category === 'sso' ? 'sso' : t.federated.some((f) => f.includes(':saml-provider/')) ? 'saml' : 'oidc',
    );
  if (category === 'service-linked') return 'service-linked';
  return parts.join(',') || '-';
}
