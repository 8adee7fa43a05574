import type { PathHop } from '../../model/finding.js';
import { clip, escapeHtml } from './escape.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A CSS class of ours (`sev-critical`), never account data. */
  readonly cls?: string;
}

/** A horizontal bar chart as inline SVG; labels are escaped and clipped, full text in `<title>`. */
export function barChart(title: string, bars: readonly Bar[], options: { labelWidth?: number } = {}): string {
  const labelWidth = options.labelWidth ?? 150;
  const barHeight = 22;
  const gap = 6;
  const width = 460;
  const chartWidth = width - labelWidth - 50;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * (barHeight + gap) + 8;
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>`,
  );
  if (bars.length === 0) parts.push(`<text x="4" y="18" class="muted">none</text>`);
  bars.forEach((b, i) => {
    const y = 4 + i * (barHeight + gap);
    const w = Math.round((b.value / max) * chartWidth);
    const chars = Math.floor((labelWidth - 8) / 7.4);
    parts.push(
      `<g><title>${escapeHtml(`${b.label}: ${b.value}`)}</title>` +
        `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(clip(b.label, chars))}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${Math.max(w, b.value > 0 ? 2 : 0)}" height="${barHeight}" rx="3" class="bar ${b.cls ?? ''}"/>` +
        `<text x="${labelWidth + w + 6}" y="${y + 15}">${b.value}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface GraphNodeLabel {
  readonly arn: string;
  readonly label: string;
  readonly admin?: boolean;
}

/**
 * Escalation paths from one principal as a left-to-right graph: columns by distance from the
 * start, one arrow per hop labelled with its technique. Paths share nodes, so a chain through
 * the same role is drawn once.
 */
export function escalationGraph(
  start: string,
  paths: readonly (readonly PathHop[])[],
  label: (arn: string) => string,
): string {
  const depth = new Map<string, number>([[start, 0]]);
  const edges = new Map<string, PathHop>();
  for (const path of paths) {
    for (const hop of path) {
      const d = depth.get(hop.from) ?? 0;
      if (!depth.has(hop.from)) depth.set(hop.from, d);
      if (!depth.has(hop.to)) depth.set(hop.to, d + 1);
      const key = `${hop.from}\u0000${hop.to}\u0000${hop.technique}`;
      if (!edges.has(key)) edges.set(key, hop);
    }
  }
  const targets = new Set(paths.map((p) => p[p.length - 1]?.to).filter((x): x is string => x !== undefined));
  const columns = new Map<number, string[]>();
  for (const [arn, d] of depth) {
    const column = columns.get(d);
    if (column) column.push(arn);
    else columns.set(d, [arn]);
  }
  const nodeW = 190;
  const nodeH = 40;
  const colGap = 90;
  const rowGap = 26;
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 1;
  for (const [d, list] of columns) {
    maxRows = Math.max(maxRows, list.length);
    list.forEach((arn, i) => {
      pos.set(arn, { x: 10 + d * (nodeW + colGap), y: 10 + i * (nodeH + rowGap) });
    });
  }
  const width = 20 + columns.size * (nodeW + colGap) - colGap;
  const height = 20 + maxRows * (nodeH + rowGap) - rowGap;
  const out: string[] = [];
  out.push(
    `<svg class="graph" role="img" aria-label="Escalation paths" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
      '<title>Escalation paths</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
  );
  for (const hop of edges.values()) {
    const a = pos.get(hop.from);
    const b = pos.get(hop.to);
    if (!a || !b) continue;
    const x1 = a.x + nodeW;
    const y1 = a.y + nodeH / 2;
    const x2 = b.x === a.x ? b.x + nodeW / 2 : b.x;
    const y2 = b.y + (b.x === a.x ? 0 : nodeH / 2);
    out.push(
      `<g class="edge"><title>${escapeHtml(`${hop.technique}: ${hop.explanation}`)}</title>` +
        `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"/>` +
        `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6}" text-anchor="middle" class="edge-label">${escapeHtml(clip(hop.technique, 22))}</text></g>`,
    );
  }
  for (const [arn, p] of pos) {
    const cls = arn === start ? 'node start' : targets.has(arn) ? 'node target' : 'node';
    out.push(
      `<g class="${cls}"><title>${escapeHtml(arn)}</title><rect x="${p.x}" y="${p.y}" width="${nodeW}" height="${nodeH}" rx="6"/>` +
        `<text x="${p.x + nodeW / 2}" y="${p.y + 25}" text-anchor="middle">${escapeHtml(clip(label(arn), 26))}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}
