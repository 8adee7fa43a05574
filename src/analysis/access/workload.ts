import type { RolePrincipal } from '../../model/account.js';

/**
 * Services that run customer code with a role's credentials on a host or container: whoever controls
 * the workload (or reaches its metadata endpoint) holds the role.
 */
export const WORKLOAD_SERVICES: readonly string[] = [
  'codebuild.amazonaws.com',
  'ec2.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'glue.amazonaws.com',
  'lambda.amazonaws.com',
  'sagemaker.amazonaws.com',
];

export function workloadServices(role: RolePrincipal): string[] {
  return role.trust.services.filter((s) => WORKLOAD_SERVICES.includes(s.toLowerCase()));
}

export function isWorkloadRole(role: RolePrincipal): boolean {
  return workloadServices(role).length > 0 || role.instanceProfiles.length > 0;
}
