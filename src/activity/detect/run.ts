import type { ActivityDb } from '../store.js';
import { DetectionRun, type DetectOptions } from './engine.js';
import { type EventFilter, streamEvents } from './source.js';
import type { Alert, DetectionRule } from './types.js';

export interface DetectSummary {
  readonly alerts: readonly Alert[];
  readonly eventsExamined: number;
  readonly rules: number;
}

/** Longest threshold window among the rules, so a burst straddling `since` is still seen whole. */
function lookbackMs(rules: readonly DetectionRule[]): number {
  let max = 0;
  for (const r of rules)
    if (r.aggregate?.kind === 'threshold') max = Math.max(max, r.aggregate.windowMinutes * 60_000);
  return max;
}

/**
 * Runs the rules over the store. With `since`, single-event and burst rules read only the recent
 * events; first-seen and dormancy rules need the history before it as their baseline, so when one
 * of them is selected the whole store is read (alerts are still limited to `since`).
 */
export async function detectInStore(
  db: ActivityDb,
  rules: readonly DetectionRule[],
  options: DetectOptions = {},
): Promise<DetectSummary> {
  const selected = options.only ? rules.filter((r) => options.only?.includes(r.id)) : rules;
  const needsHistory = selected.some(
    (r) => r.aggregate?.kind === 'new-value' || r.aggregate?.kind === 'dormant',
  );
  const names = selected.every((r) => r.eventNames !== undefined)
    ? [...new Set(selected.flatMap((r) => r.eventNames ?? []))]
    : undefined;
  const filter: EventFilter = {
    ...(options.since && !needsHistory
      ? { since: new Date(options.since.getTime() - lookbackMs(selected)).toISOString() }
      : {}),
    ...(names ? { eventNames: names } : {}),
  };
  const run = new DetectionRun(selected, options);
  for await (const record of streamEvents(db, filter)) run.push(record);
  return { alerts: run.alerts(), eventsExamined: run.eventsSeen, rules: selected.length };
}
