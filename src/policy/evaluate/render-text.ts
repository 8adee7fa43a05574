/**
 * `leastpriv simulate --format text`: the decision first, then each layer with its policies, the
 * statements that matched (Sid and line:column) and the conditions that failed with their reasons.
 * Policy names, Sids and context values come from untrusted input: control characters are escaped
 * so they cannot move the cursor or recolour the terminal.
 */
import type { EvaluationResult, LayerExplanation, StatementExplanation } from '../../model/explanation.js';
import type { SourcePosition } from '../../model/issue.js';

const LAYER_TITLES: Readonly<Record<string, string>> = {
  identity: 'Identity policies',
  resource: 'Resource-based policies',
  trust: 'Role trust policy',
  boundary: 'Permissions boundary',
  session: 'Session policies',
  scp: 'Service control policies',
  rcp: 'Resource control policies',
  endpoint: 'VPC endpoint policy',
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function clean(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function at(pos: SourcePosition | undefined): string {
  return pos && pos.line > 0 ? ` (line ${pos.line}:${pos.column})` : '';
}

function layerTitle(layer: LayerExplanation): string {
  const title = LAYER_TITLES[layer.type] ?? layer.type;
  if (layer.level === undefined) return title;
  return `${title}, level ${layer.level}${layer.level === 0 ? ' (root)' : ''}`;
}

function statementLine(s: StatementExplanation): string {
  const name = s.sid !== undefined && s.sid !== '' ? `"${clean(s.sid)}"` : `#${s.index}`;
  return `${s.effect} statement ${name}${at(s.pos)}: ${s.verdict}`;
}

export function renderExplanationText(result: EvaluationResult): string {
  const e = result.explanation;
  const lines: string[] = [];
  lines.push(`Decision: ${result.decision} (${e.reasonCode})`);
  lines.push(`  ${clean(e.reason)}`);
  if (e.decidedBy) {
    const d = e.decidedBy;
    const level = d.level !== undefined ? ` level ${d.level}` : '';
    const sid = d.sid !== undefined ? ` "${clean(d.sid)}"` : '';
    lines.push(`  Decided by: ${d.layer}${level} policy ${clean(d.policy)}, statement #${d.statement}${sid}`);
  }
  const accounts: string[] = [];
  if (e.principalAccount) accounts.push(`principal account ${e.principalAccount}`);
  if (e.resourceAccount) accounts.push(`resource account ${e.resourceAccount}`);
  if (accounts.length > 0) lines.push(`  ${accounts.join(', ')}${e.crossAccount ? ' (cross-account)' : ''}`);
  for (const u of e.unknowns ?? []) lines.push(`  Unknown: ${clean(u)}`);
  for (const n of e.notes ?? []) lines.push(`  Note: ${clean(n)}`);
  for (const layer of e.layers) {
    lines.push('');
    const verdict = layer.applies ? layer.verdict : 'does not apply';
    lines.push(`${layerTitle(layer)}: ${verdict}`);
    if (layer.note) lines.push(`  ${clean(layer.note)}`);
    for (const p of layer.policies) {
      lines.push(`  ${clean(p.name)}: ${p.verdict}${p.source ? ` [${clean(p.source)}]` : ''}`);
      for (const s of p.statements) {
        lines.push(`    ${statementLine(s)}`);
        for (const c of s.conditions) {
          if (c.verdict === 'match') continue;
          lines.push(
            `      ${c.verdict === 'no-match' ? 'failed' : 'unknown'}: ${clean(c.operator)} ${clean(c.key)}${at(c.pos)}: ${clean(c.reason)}`,
          );
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
