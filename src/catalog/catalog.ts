import { ActionSetBuilder, BitActionSet } from './action-set.js';
import { ConditionKeyResolver } from './condition-keys.js';
import {
  collapseStars,
  globMatch,
  globMatchFrom,
  hasWildcard,
  literalPrefix,
  minimumMatchLength,
} from './glob.js';
import { isRecord, readServiceFile } from './iam-data-files.js';
import { type KeyTemplate, matchesKeyTemplate, parseKeyTemplate } from './key-template.js';
import type { LoadedActions } from './load-actions.js';
import { boundedEditDistance, typoBudget } from './suggest.js';
import type {
  ActionInfo,
  ActionSet,
  Catalog,
  ConditionKeyInfo,
  PatternExpansion,
  ResourceTypeInfo,
} from './types.js';

/** Patterns longer than this are still expanded, just not remembered (bounded cache memory). */
const CACHEABLE_PATTERN_LENGTH = 256;
/** Worst case ~8k sets of 2.8 KB each; most expansions share the empty set. */
const PATTERN_CACHE_LIMIT = 8192;
/** Suggestion input is truncated: nothing longer is a typo of a real action name. */
const SUGGEST_INPUT_LIMIT = 160;
const SUGGEST_SERVICE_CANDIDATES = 3;
const MAX_CONDITION_KEY_LENGTH = 1024;

interface ActionKeyMatcher {
  readonly keys: readonly string[];
  readonly exact: ReadonlySet<string>;
  readonly templates: readonly KeyTemplate[];
}

interface ServiceRange {
  readonly start: number;
  readonly end: number;
}

/** First position whose name is >= `key` (names sorted by code units). */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class IamDataCatalog implements Catalog {
  readonly actionCount: number;
  readonly dataVersion: string;
  /** Raw access-level spellings iam-data used that we could not map (treated as Write). */
  readonly unmappedAccessLevels: ReadonlySet<string>;

  private readonly actions: readonly ActionInfo[];
  private readonly lowerFullNames: readonly string[];
  private readonly serviceList: readonly string[];
  private readonly serviceRanges = new Map<string, ServiceRange>();
  private readonly indexByLowerName = new Map<string, number>();
  private readonly maxNameLength: number;
  private readonly empty: BitActionSet;
  private readonly full: BitActionSet;
  private readonly patternCache = new Map<string, PatternExpansion>();
  private readonly serviceActionLists = new Map<string, readonly ActionInfo[]>();
  private readonly resourceTypeLists = new Map<string, readonly ResourceTypeInfo[]>();
  private readonly arnTemplatesByAction = new Map<number, readonly string[]>();
  private readonly resourceTypeKeys = new Map<string, readonly string[]>();
  private readonly keyMatchersByAction = new Map<number, ActionKeyMatcher>();
  private readonly conditionKeys: ConditionKeyResolver;

  constructor(loaded: LoadedActions, dataVersion: string) {
    this.actions = loaded.actions;
    this.lowerFullNames = loaded.lowerFullNames;
    this.serviceList = Object.freeze([...loaded.services]);
    this.unmappedAccessLevels = loaded.unmappedAccessLevels;
    this.actionCount = loaded.actions.length;
    this.dataVersion = dataVersion;

    let maxNameLength = 0;
    for (let i = 0; i < this.lowerFullNames.length; i++) {
      const name = this.lowerFullNames[i]!;
      this.indexByLowerName.set(name, i);
      if (name.length > maxNameLength) maxNameLength = name.length;
    }
    this.maxNameLength = maxNameLength;
    for (const service of this.serviceList) {
      const start = lowerBound(this.lowerFullNames, `${service}:`);
      const end = lowerBound(this.lowerFullNames, `${service};`); // ';' follows ':' in code-unit order
      this.serviceRanges.set(service, { start, end });
    }
    this.empty = BitActionSet.empty(this.actionCount);
    this.full = BitActionSet.full(this.actionCount);
    this.conditionKeys = new ConditionKeyResolver(
      (prefix) => this.serviceRanges.has(prefix),
      () => this.serviceList,
    );
  }

  actionByIndex(index: number): ActionInfo {
    const info = this.actions[index];
    if (!info) throw new RangeError(`no action with index ${index} (catalogue has ${this.actionCount})`);
    return info;
  }

  lookupAction(fullName: string): ActionInfo | undefined {
    if (fullName.length > this.maxNameLength) return undefined;
    const index = this.indexByLowerName.get(fullName.toLowerCase());
    return index === undefined ? undefined : this.actions[index];
  }

  hasService(prefix: string): boolean {
    return this.serviceRanges.has(prefix.toLowerCase());
  }

  services(): readonly string[] {
    return this.serviceList;
  }

  serviceActions(prefix: string): readonly ActionInfo[] {
    const service = prefix.toLowerCase();
    let list = this.serviceActionLists.get(service);
    if (!list) {
      const range = this.serviceRanges.get(service);
      if (!range) return [];
      list = Object.freeze(this.actions.slice(range.start, range.end));
      this.serviceActionLists.set(service, list);
    }
    return list;
  }

  emptySet(): ActionSet {
    return this.empty;
  }

  fullSet(): ActionSet {
    return this.full;
  }

  expandActionPattern(pattern: string): PatternExpansion {
    const lower = pattern.toLowerCase();
    const cacheable = lower.length <= CACHEABLE_PATTERN_LENGTH;
    if (cacheable) {
      const cached = this.patternCache.get(lower);
      if (cached) return cached;
    }
    const result = Object.freeze(this.expandUncached(collapseStars(lower)));
    if (cacheable) {
      if (this.patternCache.size >= PATTERN_CACHE_LIMIT) this.patternCache.clear();
      this.patternCache.set(lower, result);
    }
    return result;
  }

  private expandUncached(pattern: string): PatternExpansion {
    if (pattern === '*') return { set: this.full, unknownService: false, matchedNothing: false };
    const set = this.matchingSet(pattern);
    const unknownService = set.isEmpty() && !this.someServiceCouldMatch(pattern);
    return { set, unknownService, matchedNothing: !unknownService && set.isEmpty() };
  }

  private matchingSet(pattern: string): BitActionSet {
    if (minimumMatchLength(pattern) > this.maxNameLength) return this.empty;
    if (!hasWildcard(pattern)) {
      const index = this.indexByLowerName.get(pattern);
      return index === undefined ? this.empty : BitActionSet.fromIndices(this.actionCount, [index]);
    }
    // Every match starts with the literal prefix, and names are sorted: scan only that run.
    const prefix = literalPrefix(pattern);
    const names = this.lowerFullNames;
    const builder = new ActionSetBuilder(this.actionCount);
    let found = false;
    for (let i = lowerBound(names, prefix); i < names.length; i++) {
      const name = names[i]!;
      if (!name.startsWith(prefix)) break;
      if (globMatchFrom(pattern, prefix.length, name, prefix.length)) {
        builder.add(i);
        found = true;
      }
    }
    return found ? builder.build() : this.empty;
  }

  /** Whether the service part names (or, with wildcards, could name) a known service. */
  private someServiceCouldMatch(pattern: string): boolean {
    const colon = pattern.indexOf(':');
    if (colon < 0) return false;
    const servicePart = pattern.slice(0, colon);
    if (!hasWildcard(servicePart)) return this.serviceRanges.has(servicePart);
    for (const service of this.serviceList) if (globMatch(servicePart, service)) return true;
    return false;
  }

  lookupConditionKey(key: string): ConditionKeyInfo | undefined {
    return this.conditionKeys.lookup(key);
  }

  resourceTypes(service: string): readonly ResourceTypeInfo[] {
    const prefix = service.toLowerCase();
    if (!this.serviceRanges.has(prefix)) return [];
    this.loadResourceTypes(prefix);
    return this.resourceTypeLists.get(prefix)!;
  }

  /** Reads a service's resource-type file once: the ARN templates and each type's condition keys. */
  private loadResourceTypes(prefix: string): void {
    if (this.resourceTypeLists.has(prefix)) return;
    const data = readServiceFile('resourceTypes', prefix);
    const types: ResourceTypeInfo[] = [];
    if (isRecord(data)) {
      for (const value of Object.values(data)) {
        if (!isRecord(value) || typeof value.key !== 'string' || typeof value.arn !== 'string') continue;
        types.push(Object.freeze({ service: prefix, name: value.key, arnTemplate: value.arn }));
        const keys = Array.isArray(value.conditionKeys)
          ? value.conditionKeys.filter((k): k is string => typeof k === 'string')
          : [];
        this.resourceTypeKeys.set(`${prefix}:${value.key.toLowerCase()}`, keys);
      }
    }
    this.resourceTypeLists.set(prefix, Object.freeze(types));
  }

  resourceType(service: string, name: string): ResourceTypeInfo | undefined {
    const lower = name.toLowerCase();
    return this.resourceTypes(service).find((t) => t.name.toLowerCase() === lower);
  }

  resourceArnTemplatesForAction(info: ActionInfo): readonly string[] {
    let templates = this.arnTemplatesByAction.get(info.index);
    if (!templates) {
      const out: string[] = [];
      for (const ref of info.resourceTypes) {
        const arn = this.resourceType(info.service, ref.name)?.arnTemplate;
        if (arn !== undefined && !out.includes(arn)) out.push(arn);
      }
      templates = Object.freeze(out);
      this.arnTemplatesByAction.set(info.index, templates);
    }
    return templates;
  }

  actionConditionKeys(info: ActionInfo): readonly string[] {
    return this.keyMatcher(info).keys;
  }

  actionSupportsConditionKey(info: ActionInfo, key: string): boolean {
    if (key.length > MAX_CONDITION_KEY_LENGTH) return false;
    const matcher = this.keyMatcher(info);
    const lower = key.toLowerCase();
    return matcher.exact.has(lower) || matcher.templates.some((t) => matchesKeyTemplate(t, lower));
  }

  private keyMatcher(info: ActionInfo): ActionKeyMatcher {
    let matcher = this.keyMatchersByAction.get(info.index);
    if (!matcher) {
      const keys = new Set<string>(info.conditionKeys);
      for (const ref of info.resourceTypes) {
        for (const k of ref.conditionKeys ?? []) keys.add(k);
        for (const k of this.resourceTypeConditionKeys(info.service, ref.name)) keys.add(k);
      }
      const exact = new Set<string>();
      const templates: KeyTemplate[] = [];
      for (const k of keys) {
        const template = parseKeyTemplate(k);
        if (template) templates.push(template);
        exact.add(k.toLowerCase());
      }
      matcher = { keys: Object.freeze([...keys]), exact, templates };
      this.keyMatchersByAction.set(info.index, matcher);
    }
    return matcher;
  }

  /** Keys of the resource types table (iam-data keeps them beside the ARN template). */
  private resourceTypeConditionKeys(service: string, name: string): readonly string[] {
    this.loadResourceTypes(service);
    return this.resourceTypeKeys.get(`${service}:${name.toLowerCase()}`) ?? [];
  }

  suggestActions(fullName: string, limit = 5): readonly string[] {
    if (limit <= 0) return [];
    const exact = this.lookupAction(fullName);
    if (exact) return [exact.fullName];
    const lower = fullName.toLowerCase().slice(0, SUGGEST_INPUT_LIMIT);
    const colon = lower.indexOf(':');
    const servicePart = colon >= 0 ? lower.slice(0, colon) : '';
    const actionPart = colon >= 0 ? lower.slice(colon + 1) : lower;
    if (actionPart.length === 0) return [];

    const actionBudget = typoBudget(actionPart.length);
    const scored: { name: string; score: number }[] = [];
    for (const { service, distance } of this.candidateServices(servicePart, colon >= 0)) {
      const range = this.serviceRanges.get(service)!;
      const offset = service.length + 1;
      for (let i = range.start; i < range.end; i++) {
        const candidate = this.lowerFullNames[i]!.slice(offset);
        const d = boundedEditDistance(actionPart, candidate, actionBudget);
        if (d <= actionBudget) scored.push({ name: this.actions[i]!.fullName, score: distance + d });
      }
    }
    scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return scored.slice(0, limit).map((s) => s.name);
  }

  /**
   * The named service if known; otherwise the few closest prefixes (a typo in the service). With no
   * service part at all, every service: bounded by the length filter in the edit distance.
   */
  private candidateServices(servicePart: string, hadColon: boolean): { service: string; distance: number }[] {
    if (!hadColon) return this.serviceList.map((service) => ({ service, distance: 1 }));
    if (this.serviceRanges.has(servicePart)) return [{ service: servicePart, distance: 0 }];
    const budget = typoBudget(servicePart.length);
    const close: { service: string; distance: number }[] = [];
    for (const service of this.serviceList) {
      const d = boundedEditDistance(servicePart, service, budget);
      if (d <= budget) close.push({ service, distance: d });
    }
    close.sort((a, b) => a.distance - b.distance);
    return close.slice(0, SUGGEST_SERVICE_CANDIDATES);
  }
}
