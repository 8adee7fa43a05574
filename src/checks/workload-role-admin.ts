import { adminEvidence, adminMessage } from '../analysis/access/describe.js';
import { accessFacts } from '../analysis/access/facts.js';
import { workloadServices } from '../analysis/access/workload.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'workload-role-admin',
  title: 'Workload role with administrator access',
  severity: 'critical',
  description:
    "Roles trusted by a compute service that runs code with the role's credentials (EC2 instance profiles, Lambda, ECS tasks, Glue, CodeBuild, SageMaker) that can do everything after boundary and SCPs, or can change their own permissions.",
  risk: 'Anyone who runs code on the workload, or reaches its credentials (an SSRF to the instance metadata service, a dependency compromise, a leaked build log), is an administrator of the account.',
  remediation:
    'Give the workload a role with only the actions and resources it uses (see `leastpriv access ROLE --snapshot DIR` and the service last-accessed data), detach AdministratorAccess (`aws iam detach-role-policy --role-name ROLE --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`), and on EC2 require IMDSv2.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html',
    'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
    'https://github.com/salesforce/cloudsplaining (compute-service roles)',
  ],
  compliance: {
    'cis-aws': ['1.16'],
    soc2: ['CC6.1', 'CC6.3', 'CC6.8'],
    iso27001: ['A.5.15', 'A.5.18', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Role',
  tags: ['admin', 'workload', 'least-privilege'],
};

export const workloadRoleAdmin: Check = {
  meta,
  run(ctx: CheckContext): CheckOutcome[] {
    const out: CheckOutcome[] = [];
    for (const f of accessFacts(ctx.snapshot).principals) {
      const s = f.entry.subject;
      if (s.kind !== 'role' || !f.admin) continue;
      const services = workloadServices(s);
      if (services.length === 0 && s.instanceProfiles.length === 0) continue;
      const via = services.length > 0 ? services.join(', ') : 'an EC2 instance profile';
      const evidence = adminEvidence(f.entry, f.admin);
      out.push({
        status: 'fail',
        account: s.accountId,
        resourceArn: s.arn,
        principal: s.arn,
        message: `${adminMessage(f.entry, f.admin)}; its credentials are handed to workloads by ${via}`,
        evidence: { ...evidence, facts: { ...evidence.facts, trustedServices: services.join(', ') } },
      });
    }
    return out;
  },
};
