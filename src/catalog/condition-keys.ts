import { globalKeyDefinitions } from './global-condition-keys.js';
import { isRecord, readIamDataJsonIfPresent, readServiceFile } from './iam-data-files.js';
import { type KeyTemplate, matchesKeyTemplate, parseKeyTemplate } from './key-template.js';
import type { ConditionKeyInfo } from './types.js';

interface TemplateEntry {
  readonly template: KeyTemplate;
  readonly info: ConditionKeyInfo;
}

interface KeyTable {
  readonly exact: Map<string, ConditionKeyInfo>;
  /** Most literal text first, so the most specific template wins when several match. */
  readonly templates: TemplateEntry[];
}

/** Condition keys are short; anything longer is not worth scanning templates for. */
const MAX_KEY_LENGTH = 1024;
const MEMO_LIMIT = 4096;

/**
 * OIDC providers are named by issuer URL, so their claim keys (`<issuer>:aud`, `<issuer>:sub`, ...)
 * cannot all be listed, and iam-data lists only some issuers (it lacks the most common one,
 * token.actions.githubusercontent.com:sub). The claim keys AWS supports for web identity federation:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */
const WEB_IDENTITY_CLAIMS: ReadonlySet<string> = new Set(['aud', 'sub', 'amr', 'azp', 'email', 'oaud']);

/** An issuer is a host name with an optional path: `oidc.eks.us-east-1.amazonaws.com/id/ABC`. */
function looksLikeIssuer(prefix: string): boolean {
  return prefix.includes('.') && /^[a-z0-9._~/-]+$/.test(prefix);
}

function webIdentityClaimKey(lowerKey: string): ConditionKeyInfo | undefined {
  const colon = lowerKey.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const issuer = lowerKey.slice(0, colon);
  const claim = lowerKey.slice(colon + 1);
  if (!WEB_IDENTITY_CLAIMS.has(claim) || !looksLikeIssuer(issuer)) return undefined;
  return { key: lowerKey, type: 'String', global: false };
}

function newTable(): KeyTable {
  return { exact: new Map(), templates: [] };
}

function addKey(table: KeyTable, info: ConditionKeyInfo): void {
  const template = parseKeyTemplate(info.key);
  if (template) table.templates.push({ template, info });
  // The template's own spelling (`aws:RequestTag/${TagKey}`) also resolves, as written in references.
  const lower = info.key.toLowerCase();
  if (!table.exact.has(lower)) table.exact.set(lower, info);
}

function sortTemplates(table: KeyTable): void {
  table.templates.sort((a, b) => b.template.minLength - a.template.minLength);
}

function lookupIn(table: KeyTable, lowerKey: string): ConditionKeyInfo | undefined {
  const hit = table.exact.get(lowerKey);
  if (hit) return hit;
  for (const entry of table.templates) if (matchesKeyTemplate(entry.template, lowerKey)) return entry.info;
  return undefined;
}

function readServiceKeys(service: string, into: KeyTable): void {
  const data = readServiceFile('conditionKeys', service);
  if (!isRecord(data)) return;
  for (const value of Object.values(data)) {
    if (!isRecord(value) || typeof value.key !== 'string' || typeof value.type !== 'string') continue;
    // aws: keys listed per service are the global tag keys; the global table answers for them.
    if (value.key.toLowerCase().startsWith('aws:')) continue;
    addKey(into, { key: value.key, type: value.type, global: false });
  }
}

function keyPrefix(lowerKey: string): string | undefined {
  const colon = lowerKey.indexOf(':');
  return colon > 0 ? lowerKey.slice(0, colon) : undefined;
}

/**
 * Resolves condition keys against the global table and the per-service files, loading a service's
 * file on first use. Keys that a service defines under another prefix (`ssm:` keys in the
 * ec2messages file, OIDC provider keys under sts) fall back to an index of every file, built once.
 */
export class ConditionKeyResolver {
  private globalTable: KeyTable | undefined;
  private readonly serviceTables = new Map<string, KeyTable>();
  private unassociated: Map<string, readonly string[]> | undefined;
  private everything: KeyTable | undefined;
  private readonly memo = new Map<string, ConditionKeyInfo | undefined>();

  constructor(
    private readonly isKnownService: (prefix: string) => boolean,
    private readonly allServices: () => readonly string[],
  ) {}

  lookup(key: string): ConditionKeyInfo | undefined {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
    const lower = key.toLowerCase();
    if (this.memo.has(lower)) return this.memo.get(lower);
    const found = this.resolve(lower);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(lower, found);
    return found;
  }

  private resolve(lower: string): ConditionKeyInfo | undefined {
    const global = lookupIn(this.globals(), lower);
    if (global) return global;
    const prefix = keyPrefix(lower);
    if (prefix === undefined) return undefined;
    for (const service of this.servicesDefining(prefix)) {
      const hit = lookupIn(this.serviceTable(service), lower);
      if (hit) return hit;
    }
    return lookupIn(this.allKeys(), lower) ?? webIdentityClaimKey(lower);
  }

  private globals(): KeyTable {
    if (!this.globalTable) {
      const table = newTable();
      for (const def of globalKeyDefinitions()) addKey(table, { key: def.key, type: def.type, global: true });
      sortTemplates(table);
      this.globalTable = table;
    }
    return this.globalTable;
  }

  private servicesDefining(prefix: string): readonly string[] {
    const fromOthers = this.unassociatedMap().get(prefix) ?? [];
    return this.isKnownService(prefix) ? [prefix, ...fromOthers] : fromOthers;
  }

  private unassociatedMap(): Map<string, readonly string[]> {
    if (!this.unassociated) {
      const map = new Map<string, readonly string[]>();
      const data = readIamDataJsonIfPresent('unassociatedConditions.json');
      if (isRecord(data)) {
        for (const [prefix, services] of Object.entries(data)) {
          if (!Array.isArray(services)) continue;
          const known = services.filter((s): s is string => typeof s === 'string' && this.isKnownService(s));
          map.set(prefix.toLowerCase(), known);
        }
      }
      this.unassociated = map;
    }
    return this.unassociated;
  }

  private serviceTable(service: string): KeyTable {
    let table = this.serviceTables.get(service);
    if (!table) {
      table = newTable();
      readServiceKeys(service, table);
      sortTemplates(table);
      this.serviceTables.set(service, table);
    }
    return table;
  }

  private allKeys(): KeyTable {
    if (!this.everything) {
      const table = newTable();
      for (const service of this.allServices()) readServiceKeys(service, table);
      sortTemplates(table);
      this.everything = table;
    }
    return this.everything;
  }
}
