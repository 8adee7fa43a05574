export {
  analyzePolicyExposure,
  type ExposureOptions,
  type ExposureTarget,
  type ExternalGrant,
  type ExternalPrincipalClass,
  type Narrowing,
  type PolicyExposure,
} from './analyze-policy.js';
export { describePrincipal, grantEvidence, grantMessage } from './outcomes.js';
export {
  type ExposedTarget,
  type ExternalAccessResult,
  externalAccess,
  isExternalGrant,
  isPublicGrant,
} from './snapshot.js';
export {
  makeTrustZone,
  organizationAccounts,
  type TrustZone,
  trustZoneFor,
  type ZoneOptions,
  zoneOptionsFromConfig,
} from './zone.js';
