import { privilegeEscalationSelf } from './privilege-escalation-self.js';
import { privilegeEscalationToAdmin } from './privilege-escalation-to-admin.js';
import type { Check } from './types.js';

/** The escalation checks, listed explicitly (one file per check, named by its id). */
export const ESCALATION_CHECKS: readonly Check[] = [privilegeEscalationSelf, privilegeEscalationToAdmin];
