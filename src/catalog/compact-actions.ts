/**
 * The action table in a compact form, written once at build time (`scripts/build-catalog-index.mjs`
 * into dist/catalog/) so a CLI run reads one small file instead of parsing iam-data's 11 MB of
 * per-service JSON (about 200 ms of CPU on every command). The index is tied to the iam-data version
 * it was built from; any mismatch or damage and the catalogue is read from iam-data as before.
 *
 * Format 2 is columnar: names in one string, access levels in one string, every condition key and
 * resource type name once in a dictionary, and the per-action lists as flat integer arrays. Format
 * 1 (an array per action, arrays of strings inside) took 25-40 ms to JSON.parse and as long again
 * to turn into the table on every run; flat arrays and long strings parse several times faster.
 */
import { ACCESS_LEVELS } from './access-level.js';
import type { LoadedActions } from './load-actions.js';
import type { AccessLevel, ActionInfo } from './types.js';

export const COMPACT_FORMAT = 2;

export interface CompactActions {
  readonly format: typeof COMPACT_FORMAT;
  readonly dataVersion: string;
  readonly services: readonly string[];
  readonly unmappedAccessLevels: readonly string[];
  /** Condition keys and resource type names, each once. */
  readonly strings: readonly string[];
  /** Per action: the index of its service in `services`. */
  readonly service: readonly number[];
  /** Action names (without the service prefix), joined by a space: names have none. */
  readonly names: string;
  /** Per action: one digit, the index of its access level in ACCESS_LEVELS. */
  readonly levels: string;
  /** Per action: the number of condition keys, then each key's index in `strings`. */
  readonly keys: readonly number[];
  /**
   * Per action: the number of resource types, then per type its name's index in `strings`, 1 if
   * required else 0, and 0 when it has no condition key list or the list's length + 1 followed by
   * each key's index.
   */
  readonly resources: readonly number[];
}

export function toCompact(loaded: LoadedActions, dataVersion: string): CompactActions {
  const serviceIndex = new Map(loaded.services.map((s, i) => [s, i]));
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const service: number[] = [];
  const names: string[] = [];
  let levels = '';
  const keys: number[] = [];
  const resources: number[] = [];
  for (const a of loaded.actions) {
    const si = serviceIndex.get(a.service);
    if (si === undefined) throw new Error(`action ${a.fullName} names an unlisted service`);
    if (a.name.includes(' ')) throw new Error(`action ${a.fullName} has a space in its name`);
    service.push(si);
    names.push(a.name);
    levels += String(ACCESS_LEVELS.indexOf(a.accessLevel));
    keys.push(a.conditionKeys.length, ...a.conditionKeys.map(intern));
    resources.push(a.resourceTypes.length);
    for (const r of a.resourceTypes) {
      resources.push(intern(r.name), r.required ? 1 : 0);
      if (r.conditionKeys === undefined) resources.push(0);
      else resources.push(r.conditionKeys.length + 1, ...r.conditionKeys.map(intern));
    }
  }
  return {
    format: COMPACT_FORMAT,
    dataVersion,
    services: loaded.services,
    unmappedAccessLevels: [...loaded.unmappedAccessLevels],
    strings,
    service,
    names: names.join(' '),
    levels,
    keys,
    resources,
  };
}

/**
 * The table back from its compact form, or undefined when the data is not a well-formed index of
 * this format for `dataVersion` (the caller then reads iam-data itself).
 */
export function fromCompact(data: unknown, dataVersion: string): LoadedActions | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const c = data as Partial<CompactActions>;
  if (c.format !== COMPACT_FORMAT || c.dataVersion !== dataVersion) return undefined;
  if (!isStrings(c.services) || !isStrings(c.unmappedAccessLevels) || !isStrings(c.strings)) return undefined;
  if (typeof c.names !== 'string' || typeof c.levels !== 'string') return undefined;
  if (!isInts(c.service) || !isInts(c.keys) || !isInts(c.resources)) return undefined;
  const { services, strings, service, keys, resources, levels } = c;
  const names = c.names.split(' ');
  const count = service.length;
  if (names.length !== count || levels.length !== count) return undefined;
  // Filled with push: packed arrays, faster to read than preallocated (holey) ones.
  const actions: ActionInfo[] = [];
  const lowerFullNames: string[] = [];
  let k = 0;
  let r = 0;
  // A position past the end or an index out of range reads as `undefined`: damage.
  for (let i = 0; i < count; i++) {
    const svc = services[service[i] as number];
    const name = names[i] as string;
    const accessLevel = ACCESS_LEVELS[levels.charCodeAt(i) - 48] as AccessLevel | undefined;
    if (svc === undefined || name === '' || accessLevel === undefined) return undefined;
    const keyCount = keys[k++];
    if (keyCount === undefined || keyCount < 0 || k + keyCount > keys.length) return undefined;
    const conditionKeys: string[] = [];
    for (let j = 0; j < keyCount; j++) {
      const key = strings[keys[k++] as number];
      if (key === undefined) return undefined;
      conditionKeys.push(key);
    }
    const typeCount = resources[r++];
    if (typeCount === undefined || typeCount < 0) return undefined;
    const resourceTypes: ActionInfo['resourceTypes'][number][] = [];
    for (let j = 0; j < typeCount; j++) {
      const typeName = strings[resources[r++] as number];
      const required = resources[r++];
      const listed = resources[r++];
      if (typeName === undefined || (required !== 0 && required !== 1) || listed === undefined || listed < 0)
        return undefined;
      if (listed === 0) {
        resourceTypes.push({ name: typeName, required: required === 1 });
        continue;
      }
      const typeKeys: string[] = [];
      for (let m = 0; m < listed - 1; m++) {
        const key = strings[resources[r++] as number];
        if (key === undefined) return undefined;
        typeKeys.push(key);
      }
      resourceTypes.push({ name: typeName, required: required === 1, conditionKeys: typeKeys });
    }
    const lower = `${svc}:${name.toLowerCase()}`;
    // The order is the catalogue's identity (indices): refuse an index that is not sorted.
    if (i > 0 && !((lowerFullNames[i - 1] as string) < lower)) return undefined;
    actions.push({
      index: i,
      service: svc,
      name,
      fullName: `${svc}:${name}`,
      accessLevel,
      resourceTypes,
      conditionKeys,
    });
    lowerFullNames.push(lower);
  }
  // Every number read, none left over: the columns belong together.
  if (k !== keys.length || r !== resources.length) return undefined;
  return { actions, lowerFullNames, services, unmappedAccessLevels: new Set(c.unmappedAccessLevels) };
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isInts(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => Number.isInteger(v));
}
