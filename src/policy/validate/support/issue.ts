import { NO_POSITION, type PolicyIssue, type SourcePosition } from '../../../model/issue.js';
import type { ConditionClause, Statement } from '../../../model/policy.js';
import type { LintRule } from '../types.js';

type ArrayElement = 'Action' | 'NotAction' | 'Resource' | 'NotResource';

export function statementPath(statement: Statement): string {
  return `Statement[${statement.index}]`;
}

export function valuePath(statement: Statement, element: ArrayElement, index: number): string {
  return `${statementPath(statement)}.${element}[${index}]`;
}

export function elementPath(statement: Statement, element: string): string {
  return `${statementPath(statement)}.${element}`;
}

export function conditionPath(statement: Statement, clause: ConditionClause): string {
  return `${statementPath(statement)}.Condition.${clause.operator}.${clause.key}`;
}

/** Position of one value of an array element, falling back to the element key, then the statement. */
export function valuePos(statement: Statement, element: ArrayElement, index: number): SourcePosition {
  return (
    statement.valuePos[element]?.[index] ?? statement.elementPos[element] ?? statement.pos ?? NO_POSITION
  );
}

export function elementPos(statement: Statement, element: keyof Statement['elementPos']): SourcePosition {
  return statement.elementPos[element] ?? statement.pos ?? NO_POSITION;
}

export function makeIssue(
  rule: Pick<LintRule, 'code' | 'severity' | 'fix'>,
  path: string,
  pos: SourcePosition,
  message: string,
  fix: string = rule.fix,
): PolicyIssue {
  return { code: rule.code, severity: rule.severity, path, line: pos.line, column: pos.column, message, fix };
}
