/**
 * The report context with the analyses wired in: effective access by service (src/analysis/access)
 * and the third-party register (src/analysis/third-party). The report layer depends on the model
 * only, so this wiring belongs to the caller (the CLI's audit command and `npm run demo`).
 */
import { accessModel } from '../analysis/access/model.js';
import { accessSummary } from '../analysis/access/summary.js';
import { zoneOptionsFromConfig } from '../analysis/exposure/index.js';
import { thirdPartyAccess } from '../analysis/third-party.js';
import type { OrgSnapshot } from '../model/account.js';
import type { AuditConfig } from '../model/config.js';
import {
  orderedRegister,
  type ReportContext,
  reportContextFromSnapshot,
  type ServiceAccess,
  type ThirdPartyAccess,
} from '../report/index.js';

export interface AnalysisContextOptions {
  /** Per-identity effective access by service: only the HTML pages show it, and it is the costly part. */
  readonly access?: boolean;
}

/**
 * The third-party register as the reports show it: cross-account trusts outside the organization,
 * in the reports' order.
 */
export function thirdPartyRows(snapshot: OrgSnapshot, config: AuditConfig): ThirdPartyAccess[] {
  const rows = thirdPartyAccess(snapshot, zoneOptionsFromConfig(config))
    .filter((r) => r.relation !== 'organization')
    .map((r) => ({
      roleArn: r.role,
      roleName: r.roleName,
      account: r.account,
      trustedAccount: r.trustedAccount,
      ...(r.trustedAccountName !== undefined ? { trustedAccountName: r.trustedAccountName } : {}),
      externalId: r.uncertain && !r.externalIdRequired ? null : r.externalIdRequired,
      conditional: r.conditions.length > 0,
      access: `${r.actionsReachable.totalActions} actions in ${r.actionsReachable.services.length} services${r.actionsReachable.incomplete ? ' (incomplete)' : ''}`,
      lastUsed: r.lastUsed,
    }));
  return orderedRegister(rows);
}

export function analysisContext(
  snapshot: OrgSnapshot,
  config: AuditConfig,
  now: Date,
  options: AnalysisContextOptions = { access: true },
): ReportContext {
  const model = options.access === false ? undefined : accessModel(snapshot);
  return reportContextFromSnapshot(snapshot, {
    access: (identity) => {
      const entry = model?.byArn.get(identity.arn);
      if (!entry) return undefined;
      const summary = accessSummary(snapshot, entry, {
        unusedDays: config.thresholds.unusedDays,
        now,
        conditions: false,
      });
      return summary.services.map((s): ServiceAccess => {
        const levels: Record<string, number> = {};
        let conditional = 0;
        for (const level of Object.keys(s.all) as (keyof typeof s.all)[]) {
          const n = s.all[level] + s.scoped[level] + s.conditional[level];
          if (n > 0) levels[level] = n;
          conditional += s.conditional[level];
        }
        return {
          service: s.service,
          levels,
          ...(conditional > 0 ? { conditional } : {}),
          ...(s.usage === 'unknown' ? {} : { lastAccessed: s.lastAccessed ?? null }),
        };
      });
    },
    thirdParty: thirdPartyRows(snapshot, config),
  });
}
