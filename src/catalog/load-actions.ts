import { normaliseAccessLevel } from './access-level.js';
import { isRecord, readIamDataJson, readServiceFile } from './iam-data-files.js';
import type { ActionInfo } from './types.js';

export interface LoadedActions {
  /** Sorted by lower-cased `service:action`; `actions[i].index === i`. */
  readonly actions: readonly ActionInfo[];
  /** `lowerFullNames[i]` is `actions[i].fullName.toLowerCase()`: the sort key. */
  readonly lowerFullNames: readonly string[];
  /** Sorted lower-case service prefixes, including any without actions. */
  readonly services: readonly string[];
  /** Raw access-level spellings that had no mapping (counted as Write); empty unless iam-data changed. */
  readonly unmappedAccessLevels: ReadonlySet<string>;
}

interface PendingAction {
  readonly lowerFullName: string;
  readonly service: string;
  readonly raw: Record<string, unknown>;
}

type ResourceRef = ActionInfo['resourceTypes'][number];

function resourceRefs(value: unknown): readonly ResourceRef[] {
  if (!Array.isArray(value)) return [];
  const refs: ResourceRef[] = [];
  for (const r of value) {
    if (isRecord(r) && typeof r.name === 'string') {
      const conditionKeys = stringList(r.conditionKeys);
      refs.push(
        conditionKeys.length > 0
          ? { name: r.name, required: r.required === true, conditionKeys }
          : { name: r.name, required: r.required === true },
      );
    }
  }
  return refs;
}

function stringList(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Code-unit order, not localeCompare: the index must not depend on the machine's locale. */
function byCodeUnits(a: PendingAction, b: PendingAction): number {
  return a.lowerFullName < b.lowerFullName ? -1 : a.lowerFullName > b.lowerFullName ? 1 : 0;
}

export function loadActions(): LoadedActions {
  const serviceList = readIamDataJson('services.json');
  if (!Array.isArray(serviceList)) throw new Error('iam-data services.json is not a list');
  const services = [...new Set(serviceList.filter((s): s is string => typeof s === 'string'))]
    .map((s) => s.toLowerCase())
    .sort();

  const pending: PendingAction[] = [];
  for (const service of services) {
    const file = readServiceFile('actions', service);
    if (!isRecord(file)) continue;
    for (const raw of Object.values(file)) {
      if (!isRecord(raw) || typeof raw.name !== 'string') continue;
      pending.push({ lowerFullName: `${service}:${raw.name.toLowerCase()}`, service, raw });
    }
  }
  pending.sort(byCodeUnits);

  const actions: ActionInfo[] = [];
  const lowerFullNames: string[] = [];
  const unmappedAccessLevels = new Set<string>();
  for (const p of pending) {
    // Two spellings of one action would get two indices; keep the first.
    if (lowerFullNames.length > 0 && lowerFullNames[lowerFullNames.length - 1] === p.lowerFullName) continue;
    const name = p.raw.name as string;
    const rawLevel = typeof p.raw.accessLevel === 'string' ? p.raw.accessLevel : '';
    let accessLevel = normaliseAccessLevel(rawLevel);
    if (!accessLevel) {
      unmappedAccessLevels.add(rawLevel);
      // Unknown levels are treated as Write: it changes state unless proven otherwise.
      accessLevel = 'Write';
    }
    actions.push({
      index: actions.length,
      service: p.service,
      name,
      fullName: `${p.service}:${name}`,
      accessLevel,
      resourceTypes: resourceRefs(p.raw.resourceTypes),
      conditionKeys: stringList(p.raw.conditionKeys),
    });
    lowerFullNames.push(p.lowerFullName);
  }
  return { actions, lowerFullNames, services, unmappedAccessLevels };
}
