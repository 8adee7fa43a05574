export { COLLECTOR_ACTIONS } from './actions.js';
export { type CallFailure, classifyError, errorCode, Redactor } from './classify-error.js';
export {
  type CollectAwsOptions,
  type CollectAwsResult,
  collectAws,
  resolveDefaultRegion,
} from './collect.js';
export {
  type AccountStatus,
  accountStatus,
  GAP_REASONS,
  type Gap,
  type GapReason,
  type Manifest,
  type ManifestAccount,
  parseManifest,
} from './manifest.js';
export { LISTINGS, type ListingSpec, type PerResourceSpec } from './spec.js';
export { cliJson, resourceFileName, SnapshotWriter } from './writer.js';
