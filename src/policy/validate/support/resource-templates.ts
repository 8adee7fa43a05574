import type { ActionInfo, ActionSet, Catalog } from '../../../catalog/index.js';
import { toPieces } from './glob-overlap.js';

/** An ARN template from the Service Authorization Reference, with its literal service field. */
export interface TemplateEntry {
  readonly template: string;
  readonly service: string;
  readonly pieces: readonly number[];
}

const cache = new WeakMap<Catalog, Map<number, readonly TemplateEntry[]>>();

function templateService(template: string): string {
  return template.split(':')[2] ?? '';
}

/** Templates of the resource types an action accepts; empty for actions that only take "*". */
export function templatesForAction(catalog: Catalog, info: ActionInfo): readonly TemplateEntry[] {
  let byAction = cache.get(catalog);
  if (!byAction) {
    byAction = new Map();
    cache.set(catalog, byAction);
  }
  const cached = byAction.get(info.index);
  if (cached) return cached;
  const entries = catalog
    .resourceArnTemplatesForAction(info)
    .map((template) => ({ template, service: templateService(template), pieces: toPieces(template, false) }));
  byAction.set(info.index, entries);
  return entries;
}

/** Distinct templates of every action in the set, keyed by their literal service field. */
export function templatesBySetService(catalog: Catalog, set: ActionSet): Map<string, TemplateEntry[]> {
  const out = new Map<string, TemplateEntry[]>();
  const seen = new Set<string>();
  for (const index of set.indices()) {
    for (const entry of templatesForAction(catalog, catalog.actionByIndex(index))) {
      if (seen.has(entry.template)) continue;
      seen.add(entry.template);
      const list = out.get(entry.service);
      if (list) list.push(entry);
      else out.set(entry.service, [entry]);
    }
  }
  return out;
}
