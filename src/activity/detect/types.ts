import type { Severity } from '../../model/finding.js';

/**
 * Detections are data: a rule file names what to look for with a predicate over one CloudTrail
 * record (field paths as CloudTrail writes them, plus the derived `$fields` of `fields.ts`), or an
 * aggregate over many records (bursts, first-seen values, dormancy). Rules carry labelled test
 * events, so every rule is tested the same way.
 */

/** A CloudTrail record as delivered (one element of `Records`), parsed from JSON. */
export type CloudTrailRecord = Readonly<Record<string, unknown>>;

export type Scalar = string | number | boolean | null;

/** A test on one field; all the operators given must hold. */
export interface FieldTest {
  readonly field: string;
  readonly equals?: Scalar;
  readonly notEquals?: Scalar;
  readonly in?: readonly Scalar[];
  readonly notIn?: readonly Scalar[];
  /** Case-insensitive equality with any of the values. */
  readonly equalsIgnoreCase?: string | readonly string[];
  readonly startsWith?: string | readonly string[];
  readonly endsWith?: string | readonly string[];
  readonly contains?: string | readonly string[];
  /** IAM-style glob (`*`, `?`), case-sensitive, linear time. */
  readonly glob?: string | readonly string[];
  readonly exists?: boolean;
  readonly equalsField?: string;
  readonly notEqualsField?: string;
  readonly gte?: number;
  readonly lte?: number;
}

export type Predicate =
  | FieldTest
  | { readonly all: readonly Predicate[] }
  | { readonly any: readonly Predicate[] }
  | { readonly not: Predicate };

/** Many matching events from one group within a sliding window. */
export interface ThresholdAggregate {
  readonly kind: 'threshold';
  /** Field whose value groups events (`$principal`); events where it is absent are ignored. */
  readonly groupBy: string;
  readonly windowMinutes: number;
  /** Alert when this many events (or distinct values of `distinct`) fall in one window. */
  readonly count: number;
  readonly distinct?: string;
}

/** A value never seen before for the group, once the group has a history to compare with. */
export interface NewValueAggregate {
  readonly kind: 'new-value';
  readonly groupBy: string;
  readonly value: string;
  /** Days from a group's first event during which values are learnt, not alerted. */
  readonly learningDays: number;
  /** Events the group must have had before a new value counts. */
  readonly minHistory: number;
}

/** The group is active again after at least `gapDays` without events. */
export interface DormantAggregate {
  readonly kind: 'dormant';
  readonly groupBy: string;
  readonly gapDays: number;
}

export type Aggregate = ThresholdAggregate | NewValueAggregate | DormantAggregate;

/** One labelled test case: a single event or a sequence (aggregate rules). */
export interface RuleTest {
  readonly name: string;
  readonly expect: boolean;
  readonly events: readonly CloudTrailRecord[];
}

export interface DetectionRule {
  /** kebab-case, equal to the file name without extension; never renamed. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  /** MITRE ATT&CK technique ids (`T1098.001`). */
  readonly mitre: readonly string[];
  /** Which events the rule considers (for an aggregate: which events count). */
  readonly match: Predicate;
  readonly aggregate?: Aggregate;
  /** Field naming the principal an alert is about; `$principal` unless set. */
  readonly principal: string;
  /** Event names the rule can only match: lets the store pre-filter in SQL. Absent: every event. */
  readonly eventNames?: readonly string[];
  /** Panther rule ids this rule corresponds to (for the precision/recall table). */
  readonly panther?: readonly string[];
  /** Stratus Red Team technique ids the rule is meant to detect. */
  readonly stratus?: readonly string[];
  readonly references: readonly string[];
  readonly tests: readonly RuleTest[];
  /** Where the rule was read from. */
  readonly source: string;
}

export interface Alert {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly principal: string;
  /** Time of the event that completed the alert (ISO 8601, as CloudTrail wrote it). */
  readonly time: string;
  readonly firstTime: string;
  readonly account: string;
  readonly sourceIp?: string;
  readonly eventName: string;
  /** The eventIDs that triggered the alert, in time order (at most `MAX_ALERT_EVENT_IDS`). */
  readonly eventIds: readonly string[];
  /** Events behind the alert when there were more than the ids listed. */
  readonly eventCount: number;
  readonly mitre: readonly string[];
}

export const MAX_ALERT_EVENT_IDS = 50;
