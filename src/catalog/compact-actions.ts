/**
 * The action table in a compact form, written once at build time (`scripts/build-catalog-index.mjs`
 * into dist/catalog/) so a CLI run reads one small file instead of parsing iam-data's 11 MB of
 * per-service JSON (about 200 ms of CPU on every command). The index is tied to the iam-data version
 * it was built from; any mismatch or damage and the catalogue is read from iam-data as before.
 */
import { ACCESS_LEVELS } from './access-level.js';
import type { LoadedActions } from './load-actions.js';
import type { AccessLevel, ActionInfo } from './types.js';

export const COMPACT_FORMAT = 1;

/** `[name, required (0/1), condition keys?]` */
type CompactResource = [string, 0 | 1] | [string, 0 | 1, string[]];
/** `[service index, action name, access level index, condition keys, resource types]` */
type CompactRow = [number, string, number, string[], CompactResource[]];

export interface CompactActions {
  readonly format: typeof COMPACT_FORMAT;
  readonly dataVersion: string;
  readonly services: readonly string[];
  readonly unmappedAccessLevels: readonly string[];
  readonly rows: readonly CompactRow[];
}

export function toCompact(loaded: LoadedActions, dataVersion: string): CompactActions {
  const serviceIndex = new Map(loaded.services.map((s, i) => [s, i]));
  return {
    format: COMPACT_FORMAT,
    dataVersion,
    services: loaded.services,
    unmappedAccessLevels: [...loaded.unmappedAccessLevels],
    rows: loaded.actions.map((a): CompactRow => {
      const service = serviceIndex.get(a.service);
      if (service === undefined) throw new Error(`action ${a.fullName} names an unlisted service`);
      return [
        service,
        a.name,
        ACCESS_LEVELS.indexOf(a.accessLevel),
        [...a.conditionKeys],
        a.resourceTypes.map(
          (r): CompactResource =>
            r.conditionKeys !== undefined
              ? [r.name, r.required ? 1 : 0, [...r.conditionKeys]]
              : [r.name, r.required ? 1 : 0],
        ),
      ];
    }),
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
  if (!isStrings(c.services) || !isStrings(c.unmappedAccessLevels) || !Array.isArray(c.rows))
    return undefined;
  const services = c.services;
  const actions: ActionInfo[] = [];
  const lowerFullNames: string[] = [];
  for (const row of c.rows) {
    if (!Array.isArray(row) || row.length !== 5) return undefined;
    const [si, name, level, keys, resources] = row as unknown[];
    const service = typeof si === 'number' ? services[si] : undefined;
    const accessLevel =
      typeof level === 'number' ? (ACCESS_LEVELS[level] as AccessLevel | undefined) : undefined;
    if (service === undefined || typeof name !== 'string' || accessLevel === undefined) return undefined;
    if (!isStrings(keys) || !Array.isArray(resources)) return undefined;
    const resourceTypes: ActionInfo['resourceTypes'][number][] = [];
    for (const r of resources) {
      if (!Array.isArray(r) || typeof r[0] !== 'string' || (r[1] !== 0 && r[1] !== 1)) return undefined;
      if (r.length === 3 && !isStrings(r[2])) return undefined;
      resourceTypes.push(
        r.length === 3
          ? { name: r[0], required: r[1] === 1, conditionKeys: r[2] as string[] }
          : { name: r[0], required: r[1] === 1 },
      );
    }
    const lower = `${service}:${name.toLowerCase()}`;
    // The order is the catalogue's identity (indices): refuse an index that is not sorted.
    if (lowerFullNames.length > 0 && !(lowerFullNames[lowerFullNames.length - 1]! < lower)) return undefined;
    actions.push({
      index: actions.length,
      service,
      name,
      fullName: `${service}:${name}`,
      accessLevel,
      resourceTypes,
      conditionKeys: keys,
    });
    lowerFullNames.push(lower);
  }
  return { actions, lowerFullNames, services, unmappedAccessLevels: new Set(c.unmappedAccessLevels) };
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
