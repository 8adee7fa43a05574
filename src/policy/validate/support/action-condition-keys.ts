import { isRecord, readServiceFile } from '../../../catalog/iam-data-files.js';
import type { ActionInfo } from '../../../catalog/index.js';
import { matchesKeyTemplate, parseKeyTemplate } from '../../../catalog/key-template.js';

/**
 * The condition keys an action supports, as the Service Authorization Reference lists them: the
 * action's own keys plus the keys of the resource types it takes (e.g. ec2:InstanceProfile for
 * ec2:TerminateInstances sits on the `instance` resource type). The catalogue's ActionInfo only has
 * the action-level list, so the resource-level keys are read here from the same iam-data files.
 */

interface KeyMatcher {
  readonly exact: ReadonlySet<string>;
  readonly templates: readonly NonNullable<ReturnType<typeof parseKeyTemplate>>[];
}

const byService = new Map<string, Map<string, KeyMatcher>>();

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function loadService(service: string): Map<string, KeyMatcher> {
  const cached = byService.get(service);
  if (cached) return cached;
  const out = new Map<string, KeyMatcher>();
  const data = readServiceFile('actions', service);
  if (isRecord(data)) {
    for (const raw of Object.values(data)) {
      if (!isRecord(raw) || typeof raw.name !== 'string') continue;
      const keys = stringsOf(raw.conditionKeys);
      if (Array.isArray(raw.resourceTypes)) {
        for (const rt of raw.resourceTypes) if (isRecord(rt)) keys.push(...stringsOf(rt.conditionKeys));
      }
      const exact = new Set<string>();
      const templates: KeyMatcher['templates'][number][] = [];
      for (const key of keys) {
        const template = parseKeyTemplate(key);
        if (template) templates.push(template);
        else exact.add(key.toLowerCase());
      }
      out.set(raw.name.toLowerCase(), { exact, templates });
    }
  }
  byService.set(service, out);
  return out;
}

/** Whether the reference lists `key` for `action` (case-insensitive; templated keys match). */
export function actionSupportsKey(action: ActionInfo, key: string): boolean {
  const matcher = loadService(action.service).get(action.name.toLowerCase());
  if (!matcher) return false;
  const lower = key.toLowerCase();
  if (matcher.exact.has(lower)) return true;
  return matcher.templates.some((t) => matchesKeyTemplate(t, lower));
}
