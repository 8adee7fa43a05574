import { describe, expect, it } from 'vitest';
import { parseDate } from './date.js';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
// "You must specify date/time values with one of the W3C implementations of the ISO 8601 date
// formats or in epoch (UNIX) time." Wildcards and policy variables are not permitted.
const context = createRequestContext({
  'aws:CurrentTime': '2024-05-01T12:00:00Z',
  'aws:EpochTime': '1714564800',
  'aws:TokenIssueTime': 'yesterday',
});

function verdict(operator: string, key: string, values: string[]): string {
  return compileCondition(clauseOf(operator, key, values), { variablesEnabled: true }).evaluate(
    context,
    false,
  ).verdict;
}

describe('date operators (Conditions_Date)', () => {
  it.each([
    ['DateGreaterThan', 'aws:CurrentTime', ['2020-01-01T00:00:01Z'], 'match'],
    ['DateGreaterThan', 'aws:CurrentTime', ['2024-05-01T12:00:00Z'], 'no-match'],
    ['DateGreaterThanEquals', 'aws:CurrentTime', ['2024-05-01T12:00:00Z'], 'match'],
    ['DateLessThan', 'aws:CurrentTime', ['2024-05-02'], 'match'],
    ['DateLessThan', 'aws:CurrentTime', ['2024-05-01'], 'no-match'],
    ['DateLessThanEquals', 'aws:CurrentTime', ['2024-05-01T12:00:00.000Z'], 'match'],
    // The same instant written in another zone, and as epoch seconds, on either side.
    ['DateEquals', 'aws:CurrentTime', ['2024-05-01T14:00:00+02:00'], 'match'],
    ['DateEquals', 'aws:CurrentTime', ['1714564800'], 'match'],
    ['DateEquals', 'aws:EpochTime', ['2024-05-01T12:00:00Z'], 'match'],
    ['DateNotEquals', 'aws:EpochTime', ['2024-05-01T12:00:00Z'], 'no-match'],
    ['DateNotEquals', 'aws:EpochTime', ['2020-01-01', '2021-01-01'], 'match'],
    // Uninterpretable dates never compare.
    ['DateLessThan', 'aws:TokenIssueTime', ['2030-01-01'], 'no-match'],
    ['DateNotEquals', 'aws:TokenIssueTime', ['2030-01-01'], 'no-match'],
    ['DateLessThan', 'aws:CurrentTime', ['2030-13-01'], 'no-match'],
    ['DateLessThan', 'aws:CurrentTime', ['2030-*'], 'no-match'],
  ])('%s %s %j → %s', (operator, key, values, expected) => {
    expect(verdict(operator, key, values)).toBe(expected);
  });
});

describe('parseDate (W3C ISO 8601 profile and epoch seconds)', () => {
  // https://www.w3.org/TR/NOTE-datetime
  it.each([
    // All-digit text is epoch seconds, never a bare year (a documented choice of ours).
    ['2024', 2024_000],
    ['1714564800', 1714564800_000],
    ['1714564800.5', 1714564800_500],
    ['2024-05', Date.UTC(2024, 4, 1)],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T12:00Z', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:30Z', Date.UTC(2024, 4, 1, 12, 0, 30)],
    ['2024-05-01T12:00:30.25Z', Date.UTC(2024, 4, 1, 12, 0, 30, 250)],
    ['2024-05-01T12:00:30-05:30', Date.UTC(2024, 4, 1, 17, 30, 30)],
    ['2024-05-01T12:00:30', Date.UTC(2024, 4, 1, 12, 0, 30)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
  ])('%j → %d', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each([
    '',
    'now',
    '2023-02-29',
    '2024-00-01',
    '2024-05-32',
    '2024-05-01T25:00Z',
    '2024-05-01T12:60Z',
    '2024-05-01 12:00Z',
    '2024-05-01T12:00:00+0200',
    '2024-05-01T12:00:00Zjunk',
    '24-05-01',
    '1.',
  ])('rejects %j', (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});
