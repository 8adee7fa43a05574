import { canReach, escalationGraph } from '../analysis/escalation/index.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'privilege-escalation-to-admin',
  title: 'Principal can escalate to administrator',
  severity: 'critical',
  description:
    'Builds the privilege-escalation graph (pathfinding.cloud techniques: policy attach/put/version, access keys and login profiles for other users, group membership, trust-policy rewrites, sts:AssumeRole chains including cross-account, iam:PassRole to compute services) through the policy engine, and reports every user, role and group that is not an administrator but has a path to one.',
  risk: 'A principal that can become an administrator is an administrator in all but name: whoever holds its credentials (a leaked CI key, a compromised workload) takes over the account, and least-privilege reviews of its own policies miss it.',
  remediation:
    "Break the first hop of the path shown in the evidence: remove the action it uses or constrain its Resource to the ARNs it really needs (for iam:PassRole, name the roles and add a `iam:PassedToService` condition), add an explicit Deny, or tighten the target role's trust policy. Check the result with `leastpriv paths PRINCIPAL --snapshot DIR`.",
  references: [
    'https://pathfinding.cloud',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.5.18', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['escalation'],
};

const TYPES = { user: 'AWS::IAM::User', role: 'AWS::IAM::Role', group: 'AWS::IAM::Group' } as const;

export const privilegeEscalationToAdmin: Check = {
  meta,
  run({ snapshot }) {
    const graph = escalationGraph(snapshot);
    const out: CheckOutcome[] = [];
    for (const node of graph.nodes.values()) {
      if (node.admin) continue;
      const path = canReach(snapshot, node.arn);
      if (!path) {
        if (node.incomplete)
          out.push({
            status: 'unknown',
            account: node.accountId,
            resourceArn: node.arn,
            resourceType: TYPES[node.kind],
            principal: node.arn,
            message: `${node.name}: some attached policy documents are missing from the snapshot, so escalation paths cannot be ruled out`,
          });
        continue;
      }
      const who = node.kind === 'group' ? `Members of group ${node.name}` : node.name;
      const steps = path.hops.map((h) => h.technique).join(' → ');
      out.push({
        status: 'fail',
        account: node.accountId,
        resourceArn: node.arn,
        resourceType: TYPES[node.kind],
        principal: node.arn,
        message: `${who} can reach administrator access in ${path.hops.length} step${path.hops.length === 1 ? '' : 's'} (${steps})${path.conditional ? ', conditionally' : ''}`,
        evidence: {
          path: path.hops,
          actions: [...new Set(path.hops.flatMap((h) => h.actions))],
          facts: {
            hops: path.hops.length,
            reaches: path.reaches,
            conditional: path.conditional,
            conditions: path.conditions.join('; ') || null,
          },
        },
      });
    }
    return out;
  },
};
