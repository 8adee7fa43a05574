import { INFRASTRUCTURE_SERVICES } from '../analysis/access/categories.js';
import type { CheckMetadata } from '../model/finding.js';
import { categoryCheck } from './data-exfiltration-unconstrained.js';
import type { Check } from './types.js';

const meta: CheckMetadata = {
  id: 'infrastructure-modification-unconstrained',
  title: 'Infrastructure changes without resource constraints',
  severity: 'medium',
  description: `Users and roles whose customer-managed or inline policies allow Write or Permissions-management actions of infrastructure services (${INFRASTRUCTURE_SERVICES.join(', ')}) on \`Resource: "*"\`, after boundary and SCPs. Only actions that accept a narrower resource count; telemetry (logs, metrics) and tagging are left out, and ecs:RegisterTaskDefinition (a new revision runs nothing by itself).`,
  risk: 'The principal can create, change or delete any instance, function, database, bucket or network in the account, not just the ones it owns: an outage or a foothold one call away.',
  remediation:
    'Scope write actions to the resources the principal manages (ARN patterns with a name prefix, or `aws:ResourceTag` conditions) and deploy through a pipeline role rather than broad grants.',
  references: [
    'https://github.com/salesforce/cloudsplaining (risk categories)',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3', 'CC8.1'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['cloudsplaining', 'least-privilege'],
};

export const infrastructureModificationUnconstrained: Check = categoryCheck(
  meta,
  'infrastructure-modification',
  'change infrastructure',
);
