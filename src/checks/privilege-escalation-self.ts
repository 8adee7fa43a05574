import { escalationGraph } from '../analysis/escalation/index.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'privilege-escalation-self',
  title: 'Principal can grant itself more permissions',
  severity: 'high',
  description:
    "Reports users, roles and groups that can rewrite their own permissions: create a new version of a customer-managed policy attached to them, put or attach a policy on their own user, role or group (pathfinding.cloud iam-001, iam-005, iam-007 to iam-011). Decided by the policy engine on the principal's own ARN, so a Resource limited to other principals, an explicit Deny or a condition that cannot hold removes the finding.",
  risk: 'A principal that can change its own policies has, in effect, every permission its permissions boundary and SCPs allow; when it has no boundary that is full administrator access.',
  remediation:
    'Remove iam:CreatePolicyVersion, iam:Put*Policy and iam:Attach*Policy on the principal itself (scope them to the resources that need them), or set a permissions boundary that denies changing its own permissions, e.g. a Deny on those actions for `arn:aws:iam::ACCOUNT:user/${aws:username}`.',
  references: [
    'https://pathfinding.cloud',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.5.18', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['escalation'],
};

const TYPES = { user: 'AWS::IAM::User', role: 'AWS::IAM::Role', group: 'AWS::IAM::Group' } as const;

export const privilegeEscalationSelf: Check = {
  meta,
  run({ snapshot }) {
    const graph = escalationGraph(snapshot);
    const out: CheckOutcome[] = [];
    for (const [arn, edges] of graph.out) {
      const node = graph.nodes.get(arn);
      if (!node || node.admin) continue;
      const self = edges.filter((e) => e.to === e.from);
      if (self.length === 0) continue;
      const best = self.find((e) => e.conditions.length === 0) ?? self[0]!;
      out.push({
        status: 'fail',
        account: node.accountId,
        resourceArn: arn,
        resourceType: TYPES[node.kind],
        principal: arn,
        message: `${node.kind === 'group' ? `Members of group ${node.name}` : node.name} can grant ${node.kind === 'group' ? 'themselves' : 'itself'} more permissions (${self.map((e) => e.technique).join(', ')})${best.grantsAdmin ? ', up to administrator' : ', within its permissions boundary'}`,
        evidence: {
          path: self.map((e) => ({
            from: e.from,
            to: e.to,
            technique: e.technique,
            actions: e.actions,
            explanation: e.explanation,
          })),
          actions: [...new Set(self.flatMap((e) => e.actions))],
          facts: { grantsAdmin: best.grantsAdmin, conditional: best.conditions.length > 0 },
        },
      });
    }
    return out;
  },
};
