import { LIST, VARCHAR } from '@duckdb/node-api';
import type { ActivityDb } from '../store.js';
import type { CloudTrailRecord } from './types.js';

/**
 * Streams raw CloudTrail records out of the activity store's `events` view in time order, with the
 * filters as bound parameters. Records are parsed one chunk at a time, so memory stays bounded
 * whatever the size of the store.
 */

export interface EventFilter {
  /** ISO 8601 time: only events at or after it. */
  readonly since?: string;
  /** Only these event names (the rules' pre-filter). */
  readonly eventNames?: readonly string[];
  /** Only events of this principal: the caller's ARN or, for role sessions, the role's ARN. */
  readonly principalArn?: string;
}

export async function* streamEvents(
  db: ActivityDb,
  filter: EventFilter = {},
): AsyncGenerator<CloudTrailRecord> {
  const where: string[] = [];
  if (filter.since !== undefined) where.push('event_time >= CAST($since AS TIMESTAMP)');
  if (filter.eventNames !== undefined) where.push('list_contains($names, event_name)');
  if (filter.principalArn !== undefined)
    where.push('(identity_arn = $principal OR session_issuer_arn = $principal)');
  const sql = `SELECT CAST(raw AS VARCHAR) AS raw FROM events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY event_time, event_id`;
  const statement = await db.connection.prepare(sql);
  if (filter.since !== undefined) statement.bindVarchar(statement.parameterIndex('since'), filter.since);
  if (filter.eventNames !== undefined)
    statement.bindList(statement.parameterIndex('names'), [...filter.eventNames], LIST(VARCHAR));
  if (filter.principalArn !== undefined)
    statement.bindVarchar(statement.parameterIndex('principal'), filter.principalArn);
  const result = await statement.stream();
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      const text = row[0];
      if (typeof text !== 'string') continue;
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          yield parsed as CloudTrailRecord;
      } catch {
        // The store only holds events it parsed; an unreadable one is skipped, not fatal.
      }
    }
  }
}
