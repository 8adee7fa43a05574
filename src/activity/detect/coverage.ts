import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { detect } from './engine.js';
import type { CloudTrailRecord, DetectionRule } from './types.js';

/**
 * Measures the rules against public labelled data: Stratus Red Team detonation logs (every event is
 * an attack) and Panther's rule tests (alert / no alert). Used by the test that keeps
 * docs/detections.md current and by scripts/generate-detections-doc.ts.
 */

/** Event sources the issue scopes the stratus proof to (console sign-in counts as IAM). */
export const SCOPED_SOURCES: ReadonlySet<string> = new Set([
  'iam.amazonaws.com',
  'sts.amazonaws.com',
  'signin.amazonaws.com',
  'cloudtrail.amazonaws.com',
  's3.amazonaws.com',
  'kms.amazonaws.com',
  'organizations.amazonaws.com',
]);

/** In-scope techniques no rule detects, with why. Checked by the test: each must indeed go undetected. */
export const NOT_COVERED: ReadonlyMap<string, string> = new Map([
  [
    'aws.credential-access.ec2-steal-instance-credentials',
    'the STS part is a GetCallerIdentity/DescribeInstances by the instance role from the attacker’s address; telling it apart needs the instance’s own IP addresses (EC2 inventory), which the activity store does not have',
  ],
  [
    'aws.execution.ec2-launch-unusual-instances',
    'one denied RunInstances of an unusual instance type after an ordinary AssumeRole; needs a per-account baseline of instance types, an EC2 detection outside this issue’s IAM scope',
  ],
]);

export interface StratusResult {
  readonly technique: string;
  readonly events: number;
  readonly sources: readonly string[];
  readonly inScope: boolean;
  /** Rules that alerted on the technique's events. */
  readonly alertedBy: readonly string[];
  /** Rules whose `stratus` list names the technique. */
  readonly claimedBy: readonly string[];
  readonly notCoveredReason?: string;
  /** Built from `malicious-policies/` (no detonation log exists for it). */
  readonly synthetic?: boolean;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function stratusEvents(value: unknown): CloudTrailRecord[] {
  const list = Array.isArray(value) ? value : [];
  return list.filter((e): e is CloudTrailRecord => typeof e === 'object' && e !== null);
}

function evaluateTechnique(
  technique: string,
  events: readonly CloudTrailRecord[],
  rules: readonly DetectionRule[],
  synthetic = false,
): StratusResult {
  const sources = [...new Set(events.map((e) => String(e.eventSource)))].sort();
  const alertedBy = [...new Set(detect(rules, events).map((a) => a.ruleId))].sort();
  const reason = NOT_COVERED.get(technique);
  return {
    technique,
    events: events.length,
    sources,
    inScope: sources.some((s) => SCOPED_SOURCES.has(s)),
    alertedBy,
    claimedBy: rules.filter((r) => r.stratus?.includes(technique)).map((r) => r.id),
    ...(reason ? { notCoveredReason: reason } : {}),
    ...(synthetic ? { synthetic } : {}),
  };
}

/** The S3 backdoor technique has a policy template but no detonation log: replay it as a PutBucketPolicy. */
function bucketBackdoorEvent(dir: string): CloudTrailRecord | undefined {
  const file = path.join(
    dir,
    'malicious-policies',
    'exfiltration.s3-backdoor-bucket-policy.malicious_policy.json',
  );
  if (!existsSync(file)) return undefined;
  const policy = readFileSync(file, 'utf8').replaceAll('%s', 'stratus-red-team-bucket');
  return {
    eventVersion: '1.09',
    eventTime: '2024-08-01T12:00:00Z',
    eventID: 'synthetic-s3-backdoor-bucket-policy',
    eventSource: 's3.amazonaws.com',
    eventName: 'PutBucketPolicy',
    recipientAccountId: '111122223333',
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/stratus',
      accountId: '111122223333',
      userName: 'stratus',
    },
    requestParameters: { bucketName: 'stratus-red-team-bucket', bucketPolicy: JSON.parse(policy) as unknown },
  };
}

export function stratusCoverage(dir: string, rules: readonly DetectionRule[]): StratusResult[] {
  const out: StratusResult[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => /^aws\..+\.json$/.test(n))
    .sort()) {
    out.push(
      evaluateTechnique(name.replace(/\.json$/, ''), stratusEvents(readJson(path.join(dir, name))), rules),
    );
  }
  const backdoor = bucketBackdoorEvent(dir);
  if (backdoor)
    out.push(evaluateTechnique('aws.exfiltration.s3-backdoor-bucket-policy', [backdoor], rules, true));
  return out;
}

// ---- Panther ---------------------------------------------------------------------------------

/**
 * Panther tests that patch a helper (`mocks`) are conditional on the mock. These mocks do not change
 * what the event means for our rules (an account-age lookup saying "not new", a geo-IP string used
 * only in the alert title), so rows carrying only these values are kept; all other mocked rows are
 * skipped and counted.
 */
const NEUTRAL_MOCKS: ReadonlyMap<string, string> = new Map([
  ['check_account_age', 'False'],
  ['geoinfo_from_ip_formatted', '*'],
]);

interface PantherRow {
  readonly ruleId: string;
  readonly testName: string;
  readonly expectedResult: boolean;
  readonly log: CloudTrailRecord;
  readonly mocks?: readonly { readonly objectName: string; readonly returnValue: unknown }[];
}

export interface PantherScore {
  readonly pantherRule: string;
  readonly ours: readonly string[];
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly skipped: number;
  /** Null when nothing alerted (precision undefined). */
  readonly precision: number | null;
  readonly recall: number | null;
  /** Test names of the rows we got wrong, for the docs. */
  readonly misses: readonly string[];
}

function neutralMocks(row: PantherRow): boolean {
  return (row.mocks ?? []).every((m) => {
    const want = NEUTRAL_MOCKS.get(m.objectName);
    return want !== undefined && (want === '*' || String(m.returnValue) === want);
  });
}

export function readPantherRows(dir: string): PantherRow[] {
  const text = gunzipSync(readFileSync(path.join(dir, 'tests.jsonl.gz'))).toString('utf8');
  const rows: PantherRow[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as PantherRow;
    if (typeof r.log === 'object' && r.log !== null) rows.push(r);
  }
  return rows;
}

/** Panther logs sometimes carry `redacted` times; the rules need a time to run. */
function withTime(log: CloudTrailRecord, i: number): CloudTrailRecord {
  const ok = typeof log.eventTime === 'string' && !Number.isNaN(Date.parse(log.eventTime));
  return {
    ...log,
    ...(ok ? {} : { eventTime: '2024-01-01T00:00:00Z' }),
    ...(typeof log.eventID === 'string' && log.eventID !== 'redacted' ? {} : { eventID: `panther-${i}` }),
  };
}

export function pantherScores(dir: string, rules: readonly DetectionRule[]): PantherScore[] {
  const mapping = new Map<string, DetectionRule[]>();
  for (const r of rules) for (const p of r.panther ?? []) mapping.set(p, [...(mapping.get(p) ?? []), r]);
  const rows = readPantherRows(dir);
  const out: PantherScore[] = [];
  for (const [pantherRule, ours] of [...mapping].sort((a, b) => a[0].localeCompare(b[0]))) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    let skipped = 0;
    const misses: string[] = [];
    rows.forEach((row, i) => {
      if (row.ruleId !== pantherRule) return;
      if (!neutralMocks(row)) {
        skipped++;
        return;
      }
      const alerted = detect(ours, [withTime(row.log, i)]).length > 0;
      if (alerted && row.expectedResult) tp++;
      else if (alerted) {
        fp++;
        misses.push(`${row.testName} (false positive)`);
      } else if (row.expectedResult) {
        fn++;
        misses.push(`${row.testName} (missed)`);
      } else tn++;
    });
    out.push({
      pantherRule,
      ours: ours.map((r) => r.id),
      tp,
      fp,
      fn,
      tn,
      skipped,
      precision: tp + fp === 0 ? null : tp / (tp + fp),
      recall: tp + fn === 0 ? null : tp / (tp + fn),
      misses,
    });
  }
  return out;
}
