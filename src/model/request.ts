/**
 * A request to authorise, as given to `leastpriv simulate` and to the engine.
 * Context values arrive from JSON: booleans and numbers are accepted and treated as their text.
 */
export type ContextValueInput = string | number | boolean | readonly (string | number | boolean)[];

export interface AuthorizationRequest {
  /** An IAM or STS ARN, a service principal (`lambda.amazonaws.com`), or `anonymous`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account owning the resource; when absent it is read from the resource ARN, if the ARN has one. */
  readonly resourceAccount?: string;
  readonly context?: Readonly<Record<string, ContextValueInput>>;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Unknown';
