import { can } from '../../analysis/access/query.js';
import { renderExplanationText } from '../../policy/evaluate/render-text.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';
import { checkFormat, type IndexOptions, parseContext, principalAndSnapshot } from './access-shared.js';

export interface CanOptions extends IndexOptions {
  /** `--timings`: how long loading (or reading the index) and deciding took, on stderr. */
  readonly timings?: boolean;
  readonly context?: readonly string[];
  readonly format?: string;
}

/**
 * `leastpriv can PRINCIPAL ACTION [RESOURCE] --snapshot DIR [--context k=v…] [--format text|json]`:
 * the engine's decision with its explanation, using every policy that applies in the snapshot
 * (identity and group policies, boundary, SCPs/RCPs, the resource's policy or the role's trust).
 * Exit 0 whatever the decision.
 */
const ASSUME = /^sts:assumerole(withsaml|withwebidentity)?$/i;

export async function canCommand(args: readonly string[], options: CanOptions, io: CliIO): Promise<number> {
  const format = checkFormat(options.format, ['text', 'json']);
  const [principalText, action, resource] = args;
  if (!principalText || !action)
    throw new UsageError('usage: leastpriv can PRINCIPAL ACTION [RESOURCE] --snapshot DIR');
  const context = parseContext(options.context);
  const started = performance.now();
  // For sts:AssumeRole* the role asked about is read too: its trust policy is the resource side.
  const alsoRole = resource !== undefined && ASSUME.test(action) ? resource : undefined;
  const { snapshot, identity, from } = await principalAndSnapshot(
    'can',
    principalText,
    alsoRole,
    options,
    io,
  );
  const loaded = performance.now();
  const result = can(snapshot, { identity, action, resource: resource ?? '*', context });
  if (options.timings)
    io.stderr(
      `leastpriv can: ${Math.round(loaded - started)} ms to ${from === 'index' ? 'read the query index' : 'load the snapshot'}, ${Math.round(performance.now() - loaded)} ms to decide\n`,
    );
  io.stderr(
    `context: ${Object.entries(result.request.context ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
      .join(' ')}\n`,
  );
  for (const n of result.notes) io.stderr(`note: ${n}\n`);
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ decision: result.decision, explanation: result.explanation }, null, 2)}\n`);
  } else {
    io.stdout(
      `${identity.arn} → ${action} on ${result.request.resource}\n${renderExplanationText({ decision: result.decision, explanation: result.explanation })}`,
    );
  }
  return EXIT_OK;
}
