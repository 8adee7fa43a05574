/**
 * The one place where DuckDB and Athena (Trino) SQL differ for the saved investigations: column
 * access on the standard CloudTrail table, JSON extraction, timestamps, aggregation helpers and
 * parameter placeholders. A query is written once against `Dialect` and rendered for either engine.
 *
 * Athena's CloudTrail table is the one AWS documents ("Create the table for CloudTrail logs in Athena
 * using manual partitioning"): lower-case columns, `useridentity` a struct, `eventtime` a string,
 * `requestparameters` / `responseelements` / `additionaleventdata` JSON strings, `readonly` a string.
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html
 */

/** Columns of the `events` view a saved query may use (see schema.ts), plus `invoked_by`. */
export type EventField =
  | 'event_id'
  | 'event_time'
  | 'event_name'
  | 'event_source'
  | 'aws_region'
  | 'source_ip'
  | 'user_agent'
  | 'identity_type'
  | 'identity_arn'
  | 'identity_account'
  | 'principal_id'
  | 'access_key_id'
  | 'user_name'
  | 'session_issuer_arn'
  | 'invoked_by'
  | 'mfa_authenticated'
  | 'error_code'
  | 'error_message'
  | 'read_only'
  | 'event_type'
  | 'recipient_account'
  | 'request_parameters'
  | 'response_elements'
  | 'additional_event_data';

export type JsonField = 'request_parameters' | 'response_elements' | 'additional_event_data';

export interface Dialect {
  readonly name: 'duckdb' | 'athena';
  /** The table (or view) of events. */
  readonly table: string;
  /** A column, optionally qualified by a table alias. */
  col(field: EventField, alias?: string): string;
  /** A scalar string inside one of the JSON columns, `path` like `$.userName`. */
  jsonText(field: JsonField, path: string, alias?: string): string;
  /** A bound parameter (DuckDB `$name`; Athena `?`, in order of appearance). */
  param(name: string): string;
  /** A timestamp parameter compared with event time. */
  timeParam(name: string): string;
  /** Regular-expression match (the pattern is a constant of ours, never user input). */
  matches(expr: string, pattern: string): string;
  /** Distinct values joined with ', ', sorted. */
  listAgg(expr: string): string;
}

const ATHENA_COLUMNS: Readonly<Record<EventField, (prefix: string) => string>> = {
  event_id: (p) => `${p}eventid`,
  event_time: (p) => `from_iso8601_timestamp(${p}eventtime)`,
  event_name: (p) => `${p}eventname`,
  event_source: (p) => `${p}eventsource`,
  aws_region: (p) => `${p}awsregion`,
  source_ip: (p) => `${p}sourceipaddress`,
  user_agent: (p) => `${p}useragent`,
  identity_type: (p) => `${p}useridentity.type`,
  identity_arn: (p) => `${p}useridentity.arn`,
  identity_account: (p) => `${p}useridentity.accountid`,
  principal_id: (p) => `${p}useridentity.principalid`,
  access_key_id: (p) => `${p}useridentity.accesskeyid`,
  user_name: (p) => `${p}useridentity.username`,
  session_issuer_arn: (p) => `${p}useridentity.sessioncontext.sessionissuer.arn`,
  invoked_by: (p) => `${p}useridentity.invokedby`,
  mfa_authenticated: (p) => `(${p}useridentity.sessioncontext.attributes.mfaauthenticated = 'true')`,
  error_code: (p) => `${p}errorcode`,
  error_message: (p) => `${p}errormessage`,
  read_only: (p) => `(${p}readonly = 'true')`,
  event_type: (p) => `${p}eventtype`,
  recipient_account: (p) => `${p}recipientaccountid`,
  request_parameters: (p) => `${p}requestparameters`,
  response_elements: (p) => `${p}responseelements`,
  additional_event_data: (p) => `${p}additionaleventdata`,
};

/** A JSONPath of ours: `$.a.b` with plain member names only. */
function checkPath(path: string): string {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new Error(`unsupported JSON path ${path}`);
  return path;
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  table: 'events',
  col: (field, alias) =>
    field === 'invoked_by'
      ? `json_extract_string(${alias ? `${alias}.` : ''}raw, '$.userIdentity.invokedBy')`
      : `${alias ? `${alias}.` : ''}${field}`,
  jsonText: (field, path, alias) =>
    `json_extract_string(${alias ? `${alias}.` : ''}${field}, '${checkPath(path)}')`,
  param: (name) => `$${name}`,
  timeParam: (name) => `CAST($${name} AS TIMESTAMP)`,
  matches: (expr, pattern) => `regexp_matches(${expr}, '${pattern.replace(/'/g, "''")}')`,
  listAgg: (expr) => `string_agg(DISTINCT ${expr}, ', ' ORDER BY ${expr})`,
};

export const athenaDialect: Dialect = {
  name: 'athena',
  table: 'cloudtrail_logs',
  col: (field, alias) => ATHENA_COLUMNS[field](alias ? `${alias}.` : ''),
  jsonText: (field, path, alias) =>
    `json_extract_scalar(${ATHENA_COLUMNS[field](alias ? `${alias}.` : '')}, '${checkPath(path)}')`,
  param: () => '?',
  timeParam: () => 'from_iso8601_timestamp(?)',
  matches: (expr, pattern) => `regexp_like(${expr}, '${pattern.replace(/'/g, "''")}')`,
  listAgg: (expr) => `array_join(array_sort(array_agg(DISTINCT ${expr})), ', ')`,
};

/** Rendered SQL and, for Athena's positional `?`, the parameter names in order. */
export interface RenderedQuery {
  readonly sql: string;
  readonly params: readonly string[];
}

/** Renders with a dialect, recording parameter order (Athena binds `?` positionally). */
export function render(build: (d: Dialect) => string, dialect: Dialect): RenderedQuery {
  const params: string[] = [];
  const recording: Dialect = {
    ...dialect,
    param: (name) => {
      params.push(name);
      return dialect.param(name);
    },
    timeParam: (name) => {
      params.push(name);
      return dialect.timeParam(name);
    },
  };
  return { sql: build(recording).trim(), params };
}
