import type { PolicyType } from '../../model/policy.js';

/**
 * Which statement elements each kind of policy must, may or must not contain. When the type is
 * not known the parser checks only what holds for every policy.
 *
 * - Principal: required in resource-based policies and role trust policies; identity policies
 *   (and so permissions boundaries and session policies) cannot include it.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 *   SCPs have no Principal element.
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 *   RCPs do (it must be "*"; the linter checks the value).
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
 * - Resource: required in identity policies ("Statements must include either a Resource or a
 *   NotResource element"); optional in resource-based policies, where services such as ECR imply the
 *   resource the policy is attached to (the engine then matches any resource); a role trust policy's resource is the role itself and IAM
 *   rejects a trust policy with a Resource ("Has prohibited field Resource").
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 *   SCP and RCP element tables list Resource without making it mandatory; not required here.
 * - Sid: "supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)" and
 *   "must be unique within a JSON policy" in IAM; IAM and Organizations refuse other characters.
 *   Services with their own policy stores (S3, SNS, SQS) accept more, so for resource and endpoint
 *   policies this is only a warning. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
 * - Version: every SCP and RCP must have `"Version": "2012-10-17"`.
 */

export type Requirement = 'required' | 'optional' | 'forbidden';

export interface TypeRules {
  readonly principal: Requirement;
  readonly resource: Requirement;
  /** Sid outside [A-Za-z0-9] and duplicate Sids are errors (IAM, Organizations) or warnings. */
  readonly strictSid: boolean;
  /** Only `2012-10-17` is accepted, and Version must be present. */
  readonly requires2012Version: boolean;
}

const RULES: Readonly<Record<PolicyType, TypeRules>> = {
  identity: { principal: 'forbidden', resource: 'required', strictSid: true, requires2012Version: false },
  boundary: { principal: 'forbidden', resource: 'required', strictSid: true, requires2012Version: false },
  session: { principal: 'forbidden', resource: 'required', strictSid: true, requires2012Version: false },
  // Some services' resource policies leave Resource out: the policy's own resource is implied
  // (ECR repository policies: https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html).
  resource: { principal: 'required', resource: 'optional', strictSid: false, requires2012Version: false },
  trust: { principal: 'required', resource: 'forbidden', strictSid: true, requires2012Version: false },
  scp: { principal: 'forbidden', resource: 'optional', strictSid: true, requires2012Version: true },
  rcp: { principal: 'optional', resource: 'optional', strictSid: true, requires2012Version: true },
  endpoint: { principal: 'optional', resource: 'optional', strictSid: false, requires2012Version: false },
};

const UNKNOWN_TYPE_RULES: TypeRules = {
  principal: 'optional',
  resource: 'optional',
  strictSid: false,
  requires2012Version: false,
};

export function rulesFor(type: PolicyType | undefined): TypeRules {
  if (type === undefined) return UNKNOWN_TYPE_RULES;
  // Options come from callers in plain JS too: an unknown string must not reach Object.prototype.
  return Object.hasOwn(RULES, type) ? RULES[type] : UNKNOWN_TYPE_RULES;
}
