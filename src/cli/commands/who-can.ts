import type { WhoCanResult } from '../../analysis/access/query.js';
import { getCatalog } from '../../catalog/index.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';
import { checkFormat, loadForQuery } from './access-shared.js';
import { whoCanAction } from './who-can-query.js';

export interface WhoCanOptions {
  readonly snapshot?: string;
  readonly format?: string;
}

const ESCALATION_NOTE =
  'direct grants only: principals that could reach the action through a privilege-escalation path are not listed yet';

function renderText(r: WhoCanResult, millis: number): string {
  const lines = [
    `who can ${r.action} on ${r.resource}: ${r.principals.length} principal${r.principals.length === 1 ? '' : 's'}`,
  ];
  for (const p of r.principals) {
    const how = p.how
      .map((h) => `${h.policy}${h.statement !== undefined ? `#${h.sid ?? h.statement}` : ''}`)
      .join(', ');
    const kind = p.grant === 'all' ? '' : p.grant === 'scoped' ? ' [on some resources]' : ' [conditional]';
    lines.push(`  ${p.principal}${kind}  via ${how || '(resource policy)'}`);
    for (const c of p.conditions ?? []) lines.push(`      when ${c}`);
  }
  lines.push(
    '',
    `note: ${ESCALATION_NOTE}; account root users are not listed`,
    `checked ${r.candidates} of ${r.total} principals with the engine in ${Math.round(millis)} ms`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `leastpriv who-can ACTION [RESOURCE] --snapshot DIR [--format text|json]`: every user and role
 * that can perform the action (on the resource, or on `*` and on some resources when none is
 * given), with the policy and statement that grant it.
 */
export async function whoCanCommand(
  args: readonly string[],
  options: WhoCanOptions,
  io: CliIO,
): Promise<number> {
  const format = checkFormat(options.format, ['text', 'json']);
  const [action, resource] = args;
  if (!action) throw new UsageError('usage: leastpriv who-can ACTION [RESOURCE] --snapshot DIR');
  if (!action.includes(':') || action.includes('*') || action.includes('?'))
    throw new UsageError(`ACTION must be one action such as s3:GetObject, not "${action}"`);
  if (!getCatalog().lookupAction(action))
    io.stderr(`note: ${action} is not in the action catalog; every principal is checked\n`);
  const snapshot = await loadForQuery('who-can', options.snapshot, io);
  const started = performance.now();
  const result = whoCanAction(snapshot, action, resource);
  const millis = performance.now() - started;
  if (format === 'json') {
    io.stdout(
      `${JSON.stringify({ ...result, escalation: 'not-covered', note: ESCALATION_NOTE }, null, 2)}\n`,
    );
  } else io.stdout(renderText(result, millis));
  return EXIT_OK;
}
