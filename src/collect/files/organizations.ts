import type {
  Gap,
  GuardrailState,
  Organization,
  OrgPolicy,
  OrgUnit,
  StoredPolicy,
} from '../../model/account.js';
import { defined } from './authz-details.js';
import type { Placement } from './finish.js';
import type { PolicyStore } from './policy-store.js';
import { bool, field, isRecord, list, str } from './values.js';

/**
 * The organization's tree and its SCPs/RCPs, from the `organizations-*` responses. `read` returns
 * the parsed response for a path relative to the organization folder, or undefined when the file
 * is absent (errors are recorded by the caller).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export type OrgFileReader = (relativePath: string) => Promise<{ value: unknown; file: string } | undefined>;

const TYPES = [
  { type: 'scp', api: 'SERVICE_CONTROL_POLICY' },
  { type: 'rcp', api: 'RESOURCE_CONTROL_POLICY' },
] as const;

export interface LoadedOrganization {
  readonly organization: Organization;
  /** Per policy type: enabled, disabled, or unknown (from the roots' PolicyTypes and the listings present). */
  readonly typeState: { readonly scp: GuardrailState; readonly rcp: GuardrailState };
  readonly gaps: readonly Gap[];
  /** Policy types whose attachment data is incomplete (a listed policy without targets or document). */
  readonly incomplete: ReadonlySet<'scp' | 'rcp'>;
}

const MAX_OUS = 10_000;

export async function loadOrganization(
  read: OrgFileReader,
  store: PolicyStore,
): Promise<LoadedOrganization | undefined> {
  const describe = await read('organizations-describe-organization.json');
  const roots = await read('organizations-list-roots.json');
  const accounts = await read('organizations-list-accounts.json');
  if (!describe && !roots && !accounts) return undefined;
  const gaps: Gap[] = [];
  const org = isRecord(describe?.value) ? field(describe.value, 'Organization') : undefined;

  const units = new Map<
    string,
    {
      id: string;
      name?: string;
      arn?: string;
      kind: 'root' | 'ou';
      parentId?: string;
      children: string[];
      accounts: string[];
    }
  >();
  const typeState = { scp: 'unknown' as GuardrailState, rcp: 'unknown' as GuardrailState };
  let rootId: string | undefined;
  for (const r of isRecord(roots?.value) ? list(roots.value, 'Roots') : []) {
    if (!isRecord(r)) continue;
    const id = str(r, 'Id');
    if (!id) continue;
    rootId ??= id;
    units.set(id, {
      id,
      kind: 'root',
      children: [],
      accounts: [],
      ...defined({ name: str(r, 'Name'), arn: str(r, 'Arn') }),
    });
    const policyTypes = field(r, 'PolicyTypes');
    if (Array.isArray(policyTypes)) {
      for (const t of TYPES) {
        const entry = policyTypes.find((p) => isRecord(p) && str(p, 'Type') === t.api);
        typeState[t.type] = isRecord(entry) && str(entry, 'Status') === 'ENABLED' ? 'known' : 'disabled';
      }
    }
  }
  if (rootId === undefined)
    gaps.push({
      artifact: 'organizations-list-roots',
      reason: 'missing',
      message: 'No organization root: OU paths are unknown',
    });

  const accountNames = new Map<string, string>();
  for (const a of isRecord(accounts?.value) ? list(accounts.value, 'Accounts') : []) {
    if (!isRecord(a)) continue;
    const id = str(a, 'Id');
    if (id) accountNames.set(id, str(a, 'Name') ?? '');
  }

  // Walk the tree from the root: OUs for each parent, accounts for each parent.
  const queue = rootId ? [rootId] : [];
  let walked = 0;
  while (queue.length > 0 && walked++ < MAX_OUS) {
    const parentId = queue.shift()!;
    const parent = units.get(parentId)!;
    const ous = await read(
      `organizations-list-organizational-units-for-parent/${encodeURIComponent(parentId)}`,
    );
    const accs = await read(`organizations-list-accounts-for-parent/${encodeURIComponent(parentId)}`);
    if (!ous || !accs)
      gaps.push({
        artifact: !ous
          ? 'organizations-list-organizational-units-for-parent'
          : 'organizations-list-accounts-for-parent',
        target: parentId,
        reason: 'missing',
        message: `The children of ${parentId} were not collected: accounts below it have no known OU path`,
      });
    for (const ou of isRecord(ous?.value) ? list(ous.value, 'OrganizationalUnits') : []) {
      if (!isRecord(ou)) continue;
      const id = str(ou, 'Id');
      if (!id || units.has(id)) continue;
      units.set(id, {
        id,
        kind: 'ou',
        parentId,
        children: [],
        accounts: [],
        ...defined({ name: str(ou, 'Name'), arn: str(ou, 'Arn') }),
      });
      parent.children.push(id);
      queue.push(id);
    }
    for (const a of isRecord(accs?.value) ? list(accs.value, 'Accounts') : []) {
      if (!isRecord(a)) continue;
      const id = str(a, 'Id');
      if (!id) continue;
      parent.accounts.push(id);
      if (!accountNames.has(id)) accountNames.set(id, str(a, 'Name') ?? '');
    }
  }

  const policies = new Map<string, OrgPolicy>();
  const incomplete = new Set<'scp' | 'rcp'>();
  for (const t of TYPES) {
    const listed = await read(`organizations-list-policies/${t.api}`);
    if (!listed) {
      if (typeState[t.type] !== 'disabled') incomplete.add(t.type);
      continue;
    }
    if (typeState[t.type] === 'unknown') typeState[t.type] = 'known';
    for (const p of isRecord(listed.value) ? list(listed.value, 'Policies') : []) {
      if (!isRecord(p)) continue;
      const id = str(p, 'Id');
      if (!id) continue;
      const name = str(p, 'Name') ?? id;
      const described = await read(`organizations-describe-policy/${encodeURIComponent(id)}`);
      const body = isRecord(described?.value) ? field(described.value, 'Policy') : undefined;
      const content = isRecord(body) ? field(body, 'Content') : undefined;
      let document: StoredPolicy | undefined;
      if (described && content !== undefined) {
        document = store.parse(content, {
          name,
          kind: t.type,
          type: t.type,
          source: `${described.file}#Policy.Content`,
          ...defined({ arn: str(p, 'Arn') }),
        });
      } else {
        incomplete.add(t.type);
        gaps.push({
          artifact: 'organizations-describe-policy',
          target: id,
          reason: 'missing',
          message: `The document of ${t.type.toUpperCase()} ${name} (${id}) was not collected`,
        });
      }
      const targetsFile = await read(`organizations-list-targets-for-policy/${encodeURIComponent(id)}`);
      let targets: string[] | undefined;
      if (targetsFile && isRecord(targetsFile.value)) {
        targets = list(targetsFile.value, 'Targets')
          .map((x) => (isRecord(x) ? str(x, 'TargetId') : undefined))
          .filter((x): x is string => x !== undefined)
          .sort();
      } else {
        incomplete.add(t.type);
        gaps.push({
          artifact: 'organizations-list-targets-for-policy',
          target: id,
          reason: 'missing',
          message: `Where ${t.type.toUpperCase()} ${name} (${id}) is attached was not collected`,
        });
      }
      policies.set(id, {
        id,
        name,
        type: t.type,
        awsManaged: bool(p, 'AwsManaged') ?? false,
        ...defined({ arn: str(p, 'Arn'), description: str(p, 'Description'), document, targets }),
      });
    }
  }

  const frozen = new Map<string, OrgUnit>();
  for (const [id, u] of units)
    frozen.set(id, { ...u, children: [...u.children].sort(), accounts: [...u.accounts].sort() });
  const organization: Organization = {
    units: frozen,
    policies,
    accountNames,
    ...defined({
      id: isRecord(org) ? str(org, 'Id') : undefined,
      managementAccountId: isRecord(org) ? str(org, 'MasterAccountId') : undefined,
      rootId,
    }),
  };
  return { organization, typeState, gaps, incomplete };
}

/** The account's OU path and SCP/RCP levels (root first, then each OU, then the account). */
export function placementIn(loaded: LoadedOrganization, accountId: string): Placement {
  const { organization } = loaded;
  const parent = [...organization.units.values()].find((u) => u.accounts.includes(accountId));
  const orgPath: string[] = [];
  for (let u = parent; u !== undefined; u = u.parentId ? organization.units.get(u.parentId) : undefined) {
    orgPath.unshift(u.id);
    if (orgPath.length > MAX_OUS) break;
  }
  const gaps: Gap[] = loaded.gaps.map((g) => ({ account: accountId, ...g }));
  const isManagementAccount = organization.managementAccountId === accountId;
  const name = organization.accountNames.get(accountId) || undefined;
  if (parent === undefined) {
    gaps.push({
      account: accountId,
      artifact: 'organizations',
      reason: 'missing',
      message: 'The account is not in the collected organization tree: its SCPs and RCPs are unknown',
    });
  }
  const levels = (type: 'scp' | 'rcp'): { state: GuardrailState; levels: StoredPolicy[][] } => {
    const state = loaded.typeState[type];
    if (state === 'disabled') return { state, levels: [] };
    if (state === 'unknown' || parent === undefined || loaded.incomplete.has(type))
      return { state: 'unknown', levels: [] };
    const out: StoredPolicy[][] = [];
    for (const nodeId of [...orgPath, accountId]) {
      const level: StoredPolicy[] = [];
      for (const p of organization.policies.values()) {
        if (p.type === type && p.document && p.targets?.includes(nodeId)) level.push(p.document);
      }
      out.push(level);
    }
    return { state: 'known', levels: out };
  };
  const scp = levels('scp');
  const rcp = levels('rcp');
  return {
    orgPath,
    isManagementAccount,
    ...(name ? { name } : {}),
    scpState: scp.state,
    rcpState: rcp.state,
    scpLevels: scp.levels,
    rcpLevels: rcp.levels,
    gaps,
  };
}
