import type { AuditResult } from '../checks/audit.js';
import {
  COMPLIANCE_FRAMEWORKS,
  type ComplianceFramework,
  type Finding,
  type Severity,
} from '../model/finding.js';
import { jsonChunks, streamedArray } from './json-chunks.js';
import { prepare, type ReportOptions } from './options.js';

/** The OCSF schema version the events follow (the version Security Hub reads). */
export const OCSF_VERSION = '1.6.0';

// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
// https://schema.ocsf.io/1.6.0/classes/detection_finding
const SEVERITY_ID: Readonly<Record<Severity, [number, string]>> = {
  info: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};

function regionOf(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region ? region : undefined;
}

/** `['cis-aws:1.4', 'soc2:CC6.1']` → per framework, its standard's name and the controls. */
export function complianceByFramework(
  ids: readonly string[],
): { framework: string; standard: string; controls: string[] }[] {
  const by = new Map<string, string[]>();
  for (const id of ids) {
    const colon = id.indexOf(':');
    if (colon < 0) continue;
    const fw = id.slice(0, colon);
    by.set(fw, [...(by.get(fw) ?? []), id.slice(colon + 1)]);
  }
  return [...by.entries()].map(([framework, controls]) => ({
    framework,
    standard: COMPLIANCE_FRAMEWORKS[framework as ComplianceFramework] ?? framework,
    controls,
  }));
}

/**
 * OCSF Detection Finding events (class 2004, category 2 Findings, activity 1 Create), one per
 * finding, as a JSON array. The class has no compliance attribute, so the frameworks and controls
 * go in `unmapped.compliance` (as other AWS tools emitting 2004 do) and in `finding_info.types`.
 */
export function renderOcsf(result: AuditResult, options: ReportOptions = {}): string {
  return [...renderOcsfChunks(result, options)].join('');
}

/** `renderOcsf` in pieces: each event is made and written in turn. */
export function* renderOcsfChunks(result: AuditResult, options: ReportOptions = {}): Generator<string> {
  const { result: r, checks, accountNames, toolVersion } = prepare(result, options);
  const time = r.now.getTime();
  const events = streamedArray(r.findings, (f: Finding) => {
    const meta = checks.get(f.checkId);
    const [severityId, severity] = SEVERITY_ID[f.severity];
    const region = regionOf(f.resourceArn);
    const accountName = accountNames.get(f.account);
    const compliance = complianceByFramework(f.compliance);
    return {
      activity_id: 1,
      activity_name: 'Create',
      category_uid: 2,
      category_name: 'Findings',
      class_uid: 2004,
      class_name: 'Detection Finding',
      type_uid: 200401,
      type_name: 'Detection Finding: Create',
      time,
      severity_id: severityId,
      severity,
      // status_id: 1 New, 3 Suppressed.
      status_id: f.suppressed ? 3 : 1,
      status: f.suppressed ? 'Suppressed' : 'New',
      ...(f.suppressed ? { status_detail: f.suppressed.reason } : {}),
      // confidence_id: 3 High for a decided failure, 1 Low when the data to decide was missing.
      confidence_id: f.status === 'fail' ? 3 : 1,
      confidence: f.status === 'fail' ? 'High' : 'Low',
      message: f.message,
      metadata: {
        version: OCSF_VERSION,
        product: { name: 'leastpriv', vendor_name: 'leastpriv', version: toolVersion },
        profiles: ['cloud'],
        uid: f.id,
      },
      cloud: {
        provider: 'AWS',
        account: {
          uid: f.account,
          type_id: 10,
          type: 'AWS Account',
          ...(accountName ? { name: accountName } : {}),
        },
        ...(region ? { region } : {}),
      },
      finding_info: {
        uid: f.id,
        title: meta?.title ?? f.checkId,
        desc: f.message,
        created_time: time,
        types: [f.checkId, ...f.compliance],
        analytic: { uid: f.checkId, name: meta?.title ?? f.checkId, type_id: 1, type: 'Rule' },
      },
      resources: [
        {
          uid: f.resourceArn,
          type: f.resourceType,
          cloud_partition: f.resourceArn.split(':')[1] || 'aws',
          ...(region ? { region } : {}),
          owner: { account: { uid: f.account, type_id: 10, type: 'AWS Account' } },
        },
      ],
      remediation: {
        desc: f.remediation,
        ...(meta && meta.references.length > 0 ? { references: meta.references } : {}),
      },
      unmapped: {
        check_id: f.checkId,
        status: f.status,
        ...(f.principal !== undefined ? { principal: f.principal } : {}),
        compliance: compliance.map((c) => ({
          standards: [c.standard],
          framework: c.framework,
          requirements: c.controls,
        })),
        evidence: f.evidence,
        ...(f.suppressed ? { suppression: f.suppressed } : {}),
      },
    };
  });
  yield* jsonChunks(events, '  ');
  yield '\n';
}
