import { getCatalog } from '../../catalog/index.js';
import { arnsForAction, placeholderArn } from './resources.js';
import type { ActivitySummary } from './usage.js';

/**
 * A least-privilege identity policy from the actions a principal used: one statement per service
 * and resource set. Resources come from the events where they fit the action's resource types; where
 * the events name none (or too many), the action's ARN template with the region and account seen and
 * `*` for the rest stands in, and the statement's Sid says so. Actions that take no resource type get
 * `"Resource": "*"`, the only value AWS accepts for them.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */

const MAX_LISTED_RESOURCES = 20;

export interface GeneratedStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

export interface GeneratedPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly GeneratedStatement[];
}

export interface GeneratePolicyOptions {
  readonly partition?: string;
}

function capitalised(service: string): string {
  const alnum = service.replace(/[^A-Za-z0-9]/g, '');
  return alnum.charAt(0).toUpperCase() + alnum.slice(1);
}

export function generatePolicy(
  activity: ActivitySummary,
  options: GeneratePolicyOptions = {},
): GeneratedPolicy {
  const catalog = getCatalog();
  const partition = options.partition ?? 'aws';
  // service → resource key → { actions, resources, placeholder }
  const groups = new Map<
    string,
    Map<string, { actions: string[]; resources: string[]; placeholder: boolean }>
  >();
  for (const use of activity.used) {
    const info = catalog.lookupAction(use.action);
    if (!info) continue;
    const templates = catalog.resourceArnTemplatesForAction(info);
    let resources: string[];
    let placeholder = false;
    if (templates.length === 0) resources = ['*'];
    else {
      const known = arnsForAction(info, use.resources);
      if (known.length > 0 && known.length <= MAX_LISTED_RESOURCES && !use.resourcesTruncated)
        resources = known;
      else {
        const filled = placeholderArn(info, {
          partition,
          ...(use.regions.length === 1 ? { region: use.regions[0] as string } : {}),
          ...(use.accounts.length === 1 ? { account: use.accounts[0] as string } : {}),
        });
        resources = [filled ?? '*'];
        placeholder = true;
      }
    }
    resources = [...new Set(resources)].sort();
    const key = `${placeholder ? 'p' : 'k'}|${resources.join(',')}`;
    let byKey = groups.get(info.service);
    if (!byKey) {
      byKey = new Map();
      groups.set(info.service, byKey);
    }
    const g = byKey.get(key) ?? { actions: [], resources, placeholder };
    g.actions.push(info.fullName);
    byKey.set(key, g);
  }
  const statements: GeneratedStatement[] = [];
  for (const service of [...groups.keys()].sort()) {
    const byKey = groups.get(service) as Map<
      string,
      { actions: string[]; resources: string[]; placeholder: boolean }
    >;
    let n = 0;
    for (const key of [...byKey.keys()].sort()) {
      const g = byKey.get(key) as { actions: string[]; resources: string[]; placeholder: boolean };
      n++;
      const sid = `${capitalised(service)}${g.placeholder ? 'ReviewResources' : g.resources[0] === '*' ? 'AnyResource' : 'Used'}${n}`;
      statements.push({ Sid: sid, Effect: 'Allow', Action: [...g.actions].sort(), Resource: g.resources });
    }
  }
  return { Version: '2012-10-17', Statement: statements };
}
