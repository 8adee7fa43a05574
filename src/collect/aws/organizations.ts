import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import type { ClientSet } from './clients.js';
import { onePage, type Page } from './paginate.js';
import type { AccountCollector } from './runner.js';

const DIR = 'organization';
// SCPs limit principals, RCPs limit resources; both sit on the evaluation path of every request.
const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;
// An OU tree is at most five levels below the root; the bound only guards against a cycle.
const MAX_DEPTH = 10;

export interface OrganizationAccount {
  readonly id: string;
  readonly name?: string;
  readonly active: boolean;
}

export interface OrganizationResult {
  readonly id?: string;
  readonly managementAccountId?: string;
  /** Undefined when ListAccounts failed (a gap): only the caller's account can be collected. */
  readonly accounts?: readonly OrganizationAccount[];
}

function ids(output: Page | undefined, member: string): string[] {
  const items = output?.[member];
  if (!Array.isArray(items)) return [];
  return (items as Array<Record<string, unknown>>)
    .map((i) => i?.Id)
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

/**
 * The organization tree (roots, OUs, accounts per parent) and its SCPs and RCPs with their
 * targets, written under organization/ from the management (or delegated administrator) account.
 */
export async function collectOrganization(
  run: AccountCollector,
  clients: ClientSet,
): Promise<OrganizationResult> {
  const org = clients.get('organizations');
  const [described, listedAccounts, roots] = await Promise.all([
    run.artifact({
      dir: DIR,
      artifact: 'organizations-describe-organization',
      call: 'organizations:DescribeOrganization',
      fetch: () => onePage(() => org.send(new DescribeOrganizationCommand({}))),
    }),
    run.artifact({
      dir: DIR,
      artifact: 'organizations-list-accounts',
      call: 'organizations:ListAccounts',
      fetch: () => paginateListAccounts({ client: org }, {}),
      pages: { token: 'NextToken', merge: ['Accounts'] },
    }),
    run.artifact({
      dir: DIR,
      artifact: 'organizations-list-roots',
      call: 'organizations:ListRoots',
      fetch: () => paginateListRoots({ client: org }, {}),
      pages: { token: 'NextToken', merge: ['Roots'] },
    }),
    ...POLICY_TYPES.map(async (type) => {
      const listed = await run.artifact({
        dir: DIR,
        artifact: 'organizations-list-policies',
        target: type,
        call: 'organizations:ListPolicies',
        fetch: () => paginateListPolicies({ client: org }, { Filter: type }),
        pages: { token: 'NextToken', merge: ['Policies'] },
      });
      await Promise.all(
        ids(listed, 'Policies').map((id) =>
          Promise.all([
            run.artifact({
              dir: DIR,
              artifact: 'organizations-describe-policy',
              target: id,
              call: 'organizations:DescribePolicy',
              fetch: () => onePage(() => org.send(new DescribePolicyCommand({ PolicyId: id }))),
            }),
            run.artifact({
              dir: DIR,
              artifact: 'organizations-list-targets-for-policy',
              target: id,
              call: 'organizations:ListTargetsForPolicy',
              fetch: () => paginateListTargetsForPolicy({ client: org }, { PolicyId: id }),
              pages: { token: 'NextToken', merge: ['Targets'] },
            }),
          ]),
        ),
      );
      return undefined;
    }),
  ]);
  await Promise.all(ids(roots, 'Roots').map((rootId) => walk(run, clients, rootId, new Set(), 0)));

  const organization = described?.Organization as Record<string, unknown> | undefined;
  const accounts = Array.isArray(listedAccounts?.Accounts)
    ? (listedAccounts.Accounts as Array<Record<string, unknown>>).flatMap((a): OrganizationAccount[] => {
        if (typeof a?.Id !== 'string') return [];
        // `State` replaced `Status`; an account is collectable only while ACTIVE.
        const state = typeof a.State === 'string' ? a.State : a.Status;
        return [
          { id: a.Id, ...(typeof a.Name === 'string' ? { name: a.Name } : {}), active: state === 'ACTIVE' },
        ];
      })
    : undefined;
  return {
    ...(typeof organization?.Id === 'string' ? { id: organization.Id } : {}),
    ...(typeof organization?.MasterAccountId === 'string'
      ? { managementAccountId: organization.MasterAccountId }
      : {}),
    ...(accounts ? { accounts } : {}),
  };
}

async function walk(
  run: AccountCollector,
  clients: ClientSet,
  parentId: string,
  visited: Set<string>,
  depth: number,
): Promise<void> {
  if (visited.has(parentId) || depth > MAX_DEPTH) return;
  visited.add(parentId);
  const org = clients.get('organizations');
  const [ous] = await Promise.all([
    run.artifact({
      dir: DIR,
      artifact: 'organizations-list-organizational-units-for-parent',
      target: parentId,
      call: 'organizations:ListOrganizationalUnitsForParent',
      fetch: () => paginateListOrganizationalUnitsForParent({ client: org }, { ParentId: parentId }),
      pages: { token: 'NextToken', merge: ['OrganizationalUnits'] },
    }),
    run.artifact({
      dir: DIR,
      artifact: 'organizations-list-accounts-for-parent',
      target: parentId,
      call: 'organizations:ListAccountsForParent',
      fetch: () => paginateListAccountsForParent({ client: org }, { ParentId: parentId }),
      pages: { token: 'NextToken', merge: ['Accounts'] },
    }),
  ]);
  await Promise.all(ids(ous, 'OrganizationalUnits').map((id) => walk(run, clients, id, visited, depth + 1)));
}

/** Every action this module calls (docs/permissions.md). */
export const ORGANIZATIONS_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListAccounts',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:ListPolicies',
  'organizations:DescribePolicy',
  'organizations:ListTargetsForPolicy',
] as const;
