import { type EventContext, eventContext, fieldValue } from './fields.js';
import { evaluatePredicate } from './predicate.js';
import {
  type Alert,
  type CloudTrailRecord,
  type DetectionRule,
  type DormantAggregate,
  MAX_ALERT_EVENT_IDS,
  type NewValueAggregate,
  type ThresholdAggregate,
} from './types.js';

/**
 * Runs rules over CloudTrail records fed in time order. Single-event rules alert per matching
 * record; aggregate rules keep per-group state (bounded), which is why this is a class.
 * Records before `since` still feed the state (a baseline for "new IP" and "dormant key") but
 * raise no alerts.
 */

const DAY = 86_400_000;
const MAX_VALUES_PER_GROUP = 10_000;

interface Seen {
  readonly time: number;
  readonly iso: string;
  readonly id: string;
  readonly ctx: EventContext;
  readonly distinct?: unknown;
}

type RuleState =
  | { readonly kind: 'single' }
  | { readonly kind: 'threshold'; readonly agg: ThresholdAggregate; readonly windows: Map<string, Seen[]> }
  | {
      readonly kind: 'new-value';
      readonly agg: NewValueAggregate;
      readonly groups: Map<string, { first: number; count: number; values: Set<string> }>;
    }
  | { readonly kind: 'dormant'; readonly agg: DormantAggregate; readonly last: Map<string, number> };

function initialState(rule: DetectionRule): RuleState {
  const agg = rule.aggregate;
  if (!agg) return { kind: 'single' };
  if (agg.kind === 'threshold') return { kind: 'threshold', agg, windows: new Map() };
  if (agg.kind === 'new-value') return { kind: 'new-value', agg, groups: new Map() };
  return { kind: 'dormant', agg, last: new Map() };
}

function key(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export interface DetectOptions {
  /** Alerts completed before this time are not reported. */
  readonly since?: Date;
  /** Only these rule ids. */
  readonly only?: readonly string[];
}

export class DetectionRun {
  readonly #rules: readonly { rule: DetectionRule; state: RuleState }[];
  readonly #since: number;
  readonly #alerts: Alert[] = [];
  #events = 0;
  #lastTime = Number.NEGATIVE_INFINITY;
  #outOfOrder = 0;

  constructor(rules: readonly DetectionRule[], options: DetectOptions = {}) {
    const only = options.only ? new Set(options.only) : undefined;
    this.#rules = rules
      .filter((r) => !only || only.has(r.id))
      .map((rule) => ({ rule, state: initialState(rule) }));
    this.#since = options.since ? options.since.getTime() : Number.NEGATIVE_INFINITY;
  }

  get eventsSeen(): number {
    return this.#events;
  }

  /** Records that arrived earlier than one already seen (aggregate results may then be off). */
  get outOfOrder(): number {
    return this.#outOfOrder;
  }

  push(record: CloudTrailRecord): void {
    const ctx = eventContext(record);
    const iso = typeof record.eventTime === 'string' ? record.eventTime : '';
    const time = Date.parse(iso);
    if (Number.isNaN(time)) return;
    this.#events++;
    if (time < this.#lastTime) this.#outOfOrder++;
    else this.#lastTime = time;
    const id = typeof record.eventID === 'string' ? record.eventID : '';
    const seen: Seen = { time, iso, id, ctx };
    for (const { rule, state } of this.#rules) {
      if (rule.eventNames && !rule.eventNames.includes(record.eventName as string)) continue;
      if (!evaluatePredicate(rule.match, ctx)) continue;
      switch (state.kind) {
        case 'single':
          this.#emit(rule, [seen], 1);
          break;
        case 'threshold':
          this.#threshold(rule, state.agg, state.windows, seen);
          break;
        case 'new-value':
          this.#newValue(rule, state.agg, state.groups, seen);
          break;
        case 'dormant':
          this.#dormant(rule, state.agg, state.last, seen);
          break;
      }
    }
  }

  /** The alerts so far, in the order they completed. */
  alerts(): readonly Alert[] {
    return this.#alerts;
  }

  #threshold(rule: DetectionRule, agg: ThresholdAggregate, windows: Map<string, Seen[]>, seen: Seen): void {
    const group = key(fieldValue(seen.ctx, agg.groupBy));
    if (group === undefined) return;
    let window = windows.get(group);
    if (!window) {
      window = [];
      windows.set(group, window);
    }
    const start = seen.time - agg.windowMinutes * 60_000;
    let drop = 0;
    while (drop < window.length && (window[drop] as Seen).time < start) drop++;
    if (drop > 0) window.splice(0, drop);
    const entry =
      agg.distinct === undefined ? seen : { ...seen, distinct: fieldValue(seen.ctx, agg.distinct) };
    window.push(entry);
    const size =
      agg.distinct === undefined ? window.length : new Set(window.map((w) => key(w.distinct) ?? '')).size;
    if (size >= agg.count) {
      this.#emit(rule, window, window.length);
      // One alert per burst: the next needs `count` fresh events.
      windows.delete(group);
    } else if (window.length > agg.count * 20) {
      // `distinct` bursts of one repeated value: keep the window bounded.
      window.splice(0, window.length - agg.count * 20);
    }
  }

  #newValue(
    rule: DetectionRule,
    agg: NewValueAggregate,
    groups: Map<string, { first: number; count: number; values: Set<string> }>,
    seen: Seen,
  ): void {
    const group = key(fieldValue(seen.ctx, agg.groupBy));
    if (group === undefined) return;
    let g = groups.get(group);
    if (!g) {
      g = { first: seen.time, count: 0, values: new Set() };
      groups.set(group, g);
    }
    const value = key(fieldValue(seen.ctx, agg.value));
    if (value !== undefined && !g.values.has(value)) {
      const learnt = seen.time - g.first >= agg.learningDays * DAY && g.count >= agg.minHistory;
      if (learnt) this.#emit(rule, [seen], 1);
      if (g.values.size < MAX_VALUES_PER_GROUP) g.values.add(value);
    }
    g.count++;
  }

  #dormant(rule: DetectionRule, agg: DormantAggregate, last: Map<string, number>, seen: Seen): void {
    const group = key(fieldValue(seen.ctx, agg.groupBy));
    if (group === undefined) return;
    const previous = last.get(group);
    if (previous !== undefined && seen.time - previous >= agg.gapDays * DAY) this.#emit(rule, [seen], 1);
    if (previous === undefined || seen.time > previous) last.set(group, seen.time);
  }

  #emit(rule: DetectionRule, events: readonly Seen[], count: number): void {
    const last = events[events.length - 1] as Seen;
    if (last.time < this.#since) return;
    const first = events[0] as Seen;
    const principal = key(fieldValue(last.ctx, rule.principal)) ?? '(unknown)';
    const account = key(fieldValue(last.ctx, '$account')) ?? '';
    const ip = key(last.ctx.record.sourceIPAddress);
    this.#alerts.push({
      ruleId: rule.id,
      severity: rule.severity,
      title: rule.title,
      principal,
      time: last.iso,
      firstTime: first.iso,
      account,
      ...(ip ? { sourceIp: ip } : {}),
      eventName: typeof last.ctx.record.eventName === 'string' ? last.ctx.record.eventName : '',
      eventIds: events.slice(-MAX_ALERT_EVENT_IDS).map((e) => e.id),
      eventCount: count,
      mitre: rule.mitre,
    });
  }
}

function timeOf(r: CloudTrailRecord): number {
  const t = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Runs the rules over records in memory (sorted by time first; stable for equal times). */
export function detect(
  rules: readonly DetectionRule[],
  records: Iterable<CloudTrailRecord>,
  options: DetectOptions = {},
): readonly Alert[] {
  const sorted = [...records].sort((a, b) => timeOf(a) - timeOf(b));
  const run = new DetectionRun(rules, options);
  for (const r of sorted) run.push(r);
  return run.alerts();
}
