/**
 * The activity database: one table of unique CloudTrail events with typed columns and the raw event,
 * an ingest ledger, and the documented `events` view that queries, investigations and detections
 * read. Column names are snake_case; docs/activity.md lists them.
 */

/** 2: the raw event stored as a template (RawLayout); 1: whole. */
export const SCHEMA_VERSION = 2;

export interface EventColumn {
  readonly name: string;
  /** DuckDB type in the `events` view. */
  readonly type: 'VARCHAR' | 'TIMESTAMP' | 'BOOLEAN' | 'JSON';
  /** JSONPath into the CloudTrail event the value comes from (`$` = the whole event). */
  readonly path: string;
  readonly description: string;
}

/** The `events` view, in order. `path` is where ingest takes each value from. */
export const EVENT_COLUMNS: readonly EventColumn[] = [
  {
    name: 'event_id',
    type: 'VARCHAR',
    path: '$.eventID',
    description: 'eventID (unique; `sha256:` + hash of the raw event when CloudTrail gave none)',
  },
  { name: 'event_time', type: 'TIMESTAMP', path: '$.eventTime', description: 'eventTime in UTC' },
  {
    name: 'event_name',
    type: 'VARCHAR',
    path: '$.eventName',
    description: 'the API call, e.g. CreateAccessKey',
  },
  {
    name: 'event_source',
    type: 'VARCHAR',
    path: '$.eventSource',
    description: 'the service, e.g. iam.amazonaws.com',
  },
  { name: 'aws_region', type: 'VARCHAR', path: '$.awsRegion', description: 'region the request was made to' },
  {
    name: 'source_ip',
    type: 'VARCHAR',
    path: '$.sourceIPAddress',
    description: 'sourceIPAddress (an IP, or a service name for AWS-made calls)',
  },
  { name: 'user_agent', type: 'VARCHAR', path: '$.userAgent', description: 'userAgent' },
  {
    name: 'identity_type',
    type: 'VARCHAR',
    path: '$.userIdentity.type',
    description:
      'userIdentity.type: Root, IAMUser, AssumedRole, FederatedUser, AWSService, AWSAccount, IdentityCenterUser, …',
  },
  {
    name: 'identity_arn',
    type: 'VARCHAR',
    path: '$.userIdentity.arn',
    description: 'userIdentity.arn (for a role session: arn:aws:sts::…:assumed-role/ROLE/SESSION)',
  },
  {
    name: 'identity_account',
    type: 'VARCHAR',
    path: '$.userIdentity.accountId',
    description: 'userIdentity.accountId: the account the caller belongs to',
  },
  {
    name: 'principal_id',
    type: 'VARCHAR',
    path: '$.userIdentity.principalId',
    description: 'userIdentity.principalId',
  },
  {
    name: 'access_key_id',
    type: 'VARCHAR',
    path: '$.userIdentity.accessKeyId',
    description: 'userIdentity.accessKeyId (AKIA… long-term, ASIA… temporary)',
  },
  {
    name: 'user_name',
    type: 'VARCHAR',
    path: '$.userIdentity.userName',
    description: 'userIdentity.userName (IAM users and root)',
  },
  {
    name: 'session_issuer_arn',
    type: 'VARCHAR',
    path: '$.userIdentity.sessionContext.sessionIssuer.arn',
    description: 'the role (or user) that issued the session, for temporary credentials',
  },
  {
    name: 'mfa_authenticated',
    type: 'BOOLEAN',
    path: '$.userIdentity.sessionContext.attributes.mfaAuthenticated',
    description: 'sessionContext.attributes.mfaAuthenticated',
  },
  {
    name: 'error_code',
    type: 'VARCHAR',
    path: '$.errorCode',
    description: 'errorCode, e.g. AccessDenied (NULL on success)',
  },
  { name: 'error_message', type: 'VARCHAR', path: '$.errorMessage', description: 'errorMessage' },
  { name: 'read_only', type: 'BOOLEAN', path: '$.readOnly', description: 'readOnly' },
  {
    name: 'event_type',
    type: 'VARCHAR',
    path: '$.eventType',
    description: 'eventType: AwsApiCall, AwsConsoleSignIn, AwsServiceEvent, …',
  },
  {
    name: 'event_category',
    type: 'VARCHAR',
    path: '$.eventCategory',
    description: 'eventCategory: Management, Data, NetworkActivity',
  },
  {
    name: 'recipient_account',
    type: 'VARCHAR',
    path: '$.recipientAccountId',
    description: 'recipientAccountId: the account whose trail logged the event',
  },
  {
    name: 'shared_event_id',
    type: 'VARCHAR',
    path: '$.sharedEventID',
    description: 'sharedEventID: the same action delivered to several accounts',
  },
  {
    name: 'resources',
    type: 'JSON',
    path: '$.resources',
    description: 'resources array (ARN, accountId, type)',
  },
  { name: 'request_parameters', type: 'JSON', path: '$.requestParameters', description: 'requestParameters' },
  { name: 'response_elements', type: 'JSON', path: '$.responseElements', description: 'responseElements' },
  {
    name: 'additional_event_data',
    type: 'JSON',
    path: '$.additionalEventData',
    description: 'additionalEventData (e.g. MFAUsed for ConsoleLogin)',
  },
  {
    name: 'raw',
    type: 'JSON',
    path: '$',
    description: 'the whole event as delivered, so nothing is lost when CloudTrail adds fields',
  },
];

/** Fields read at ingest besides the columns: classification and addenda. */
export const INGEST_EXTRA_PATHS = {
  eventIdLower: '$.eventId',
  addendumReason: '$.addendum.reason',
  addendumOriginalEventId: '$.addendum.originalEventID',
} as const;

const STORED = EVENT_COLUMNS.filter((c) => c.name !== 'raw');

/**
 * Columns of (nearly) unique values stored with ZSTD instead of DuckDB's choice: its dictionary and
 * FSST analysis of every string costs more there than it saves (measured on 200,000 benchmark
 * events: about 10% less DuckDB CPU, 3% larger). Low-cardinality columns keep the dictionary.
 */
const ZSTD_COLUMNS = new Set([
  'event_id',
  'identity_arn',
  'principal_id',
  'access_key_id',
  'source_ip',
  'resources',
  'request_parameters',
  'response_elements',
]);

const storedType = (c: EventColumn): string =>
  `${c.type === 'JSON' ? 'VARCHAR' : c.type}${c.name === 'event_id' ? ' NOT NULL' : ''}${ZSTD_COLUMNS.has(c.name) ? ' USING COMPRESSION zstd' : ''}`;

/**
 * How the raw event is stored. `whole`: the event's text in `raw` (databases created before
 * schema version 2). `template`: the event's text in `raw_template` with the values of the
 * RAW_CUTS columns cut out, and where each was cut in `cut_<column>` (its character offset in the
 * template, NULL when it was not cut); the `events` view splices them back (rawFromTemplate), so
 * `raw` reads the same. The cut bytes were stored, compressed and read twice (about a third of
 * each event is in those columns).
 */
export type RawLayout = 'whole' | 'template';

/**
 * Columns whose value ingest cuts from the raw event when the value's bytes are exactly the
 * column's text: a string without escapes (the text between its quotes) or a JSON column (the
 * value as delivered). In the order CloudTrail writes them: cuts are made in this order only (a
 * value found before the previous cut stays in the template), so the view splices them back with
 * one concat. Only the long values: each cut splits the copy of the event into one more piece and
 * adds an offset to stage and store (the short ones, like event names, cost more than they saved).
 */
export const RAW_CUTS: readonly string[] = [
  'principal_id',
  'identity_arn',
  'session_issuer_arn',
  'user_agent',
  'error_message',
  'request_parameters',
  'response_elements',
  'additional_event_data',
  'event_id',
  'resources',
  'shared_event_id',
];

/** The column holding where a RAW_CUTS column's value was cut from the template. */
export const cutColumn = (column: string): string => `cut_${column}`;

/**
 * SQL giving the raw event's text from a template column: the template's pieces between the cut
 * offsets, with the cut values between them (concat skips the NULLs of values not cut).
 */
export function rawFromTemplate(template: string): string {
  const parts: string[] = [];
  // The offset of the latest cut up to the k-th column (0 before the first).
  const upTo = (k: number): string =>
    k < 0
      ? '0'
      : `coalesce(${RAW_CUTS.slice(0, k + 1)
          .reverse()
          .map(cutColumn)
          .join(', ')}, 0)`;
  RAW_CUTS.forEach((column, k) => {
    parts.push(`substr(${template}, ${upTo(k - 1)} + 1, ${upTo(k)} - ${upTo(k - 1)})`);
    parts.push(`CASE WHEN ${cutColumn(column)} IS NOT NULL THEN ${column} END`);
  });
  parts.push(`substr(${template}, ${upTo(RAW_CUTS.length - 1)} + 1)`);
  return `concat(${parts.join(', ')})`;
}

/** The column of `cloudtrail_events` holding the raw event (whole or as a template). */
export const rawColumn = (layout: RawLayout): string => (layout === 'template' ? 'raw_template' : 'raw');

/** The tables; created when missing (a new table stores the raw event as a template). */
export const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS activity_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS ingest_ledger (
    file_id INTEGER PRIMARY KEY,
    path VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    mtime TIMESTAMP,
    sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    events INTEGER NOT NULL,
    ingested_at TIMESTAMP NOT NULL
  )`,
  // JSON columns are stored as text (ingest writes them from JSON.parse, so they are valid JSON) and
  // typed JSON in the view: no JSON parsing on the write path. The raw events are most of the bytes:
  // ZSTD keeps them about four times smaller than DuckDB's default string compression, and faster.
  // (On a database file created before the storage version that has ZSTD, the table already exists.)
  `CREATE TABLE IF NOT EXISTS cloudtrail_events (
    ${STORED.map((c) => `${c.name} ${storedType(c)}`).join(',\n    ')},
    addendum_reason VARCHAR,
    addendum_original_event_id VARCHAR,
    superseded BOOLEAN NOT NULL DEFAULT false,
    file_id INTEGER,
    ${RAW_CUTS.map((c) => `${cutColumn(c)} INTEGER`).join(',\n    ')},
    raw_template VARCHAR NOT NULL USING COMPRESSION zstd
  )`,
];

/** SQL telling the layout of the open database's `cloudtrail_events` (one row: the column count). */
export const TEMPLATE_LAYOUT_PROBE = `SELECT count(*) FROM duckdb_columns()
  WHERE database_name = current_database() AND schema_name = 'main'
    AND table_name = 'cloudtrail_events' AND column_name = 'raw_template'`;

/** The `events` view over a table of the given layout, and the schema version. */
export function viewDdl(layout: RawLayout): readonly string[] {
  const raw = layout === 'template' ? rawFromTemplate('raw_template') : 'raw';
  return [
    // One row per unique event: an addendum with reason UPDATED_DATA replaces the event it names.
    `CREATE OR REPLACE VIEW events AS
    SELECT ${EVENT_COLUMNS.map((c) => (c.name === 'raw' ? `CAST(${raw} AS JSON) AS raw` : c.type === 'JSON' ? `CAST(${c.name} AS JSON) AS ${c.name}` : c.name)).join(', ')}
    FROM cloudtrail_events WHERE NOT superseded`,
    `INSERT OR REPLACE INTO activity_meta VALUES ('schema_version', '${layout === 'template' ? SCHEMA_VERSION : 1}')`,
  ];
}
