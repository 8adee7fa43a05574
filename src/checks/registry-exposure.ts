import { accessAnalyzerDisabled } from './access-analyzer-disabled.js';
import { resourceCrossAccount } from './resource-cross-account.js';
import { resourcePublic } from './resource-public.js';
import { roleTrustForeignNoExternalId } from './role-trust-foreign-no-external-id.js';
import { roleTrustPublic } from './role-trust-public.js';
import { serviceTrustConfusedDeputy } from './service-trust-confused-deputy.js';
import type { Check } from './types.js';
import { unusedRole } from './unused-role.js';
import { unusedServicesCheck } from './unused-services.js';
import { unusedUser } from './unused-user.js';

/** The exposure checks, listed explicitly (one file per check, named by its id). */
export const EXPOSURE_CHECKS: readonly Check[] = [
  accessAnalyzerDisabled,
  resourceCrossAccount,
  resourcePublic,
  roleTrustForeignNoExternalId,
  roleTrustPublic,
  serviceTrustConfusedDeputy,
  unusedRole,
  unusedServicesCheck,
  unusedUser,
];
