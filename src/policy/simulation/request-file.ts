import { InputError } from '../../model/errors.js';
import type { NamedPolicy, PolicyType } from '../../model/policy.js';
import type { AuthorizationRequest, ContextValueInput } from '../../model/request.js';
import type { PolicySet } from '../evaluate/index.js';
import { parsePolicy } from '../parse/index.js';

/**
 * The `leastpriv simulate --request FILE` input: one request object, a JSON array of them, or
 * JSON lines. Each request carries its own policies; identical policy documents are parsed once.
 */
export interface SimulationCase {
  /** 0-based position in the file. */
  readonly index: number;
  /** 1-based line where the request starts (JSON lines), when known. */
  readonly line?: number;
  readonly request: AuthorizationRequest;
  readonly policies: PolicySet;
  readonly managementAccount?: string;
}

export type SimulationInput =
  | { readonly ok: true; readonly value: SimulationCase }
  | { readonly ok: false; readonly index: number; readonly error: InputError };

const POLICY_KEYS = ['identity', 'resource', 'boundary', 'session', 'scp', 'rcp', 'endpoint'] as const;

/** Splits the text into request values, keeping going past a bad line so one typo loses one request. */
export function readRequestValues(
  text: string,
  file: string,
): { readonly value?: unknown; readonly line?: number; readonly error?: InputError }[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') {
    return [
      {
        error: new InputError('the file is empty', {
          file,
          expected: 'a request object, an array of them, or JSON lines',
        }),
      },
    ];
  }
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (!Array.isArray(parsed)) throw new Error('not an array');
      return parsed.map((value) => ({ value }));
    } catch (err) {
      return [{ error: jsonError(err, text, file) }];
    }
  }
  try {
    return [{ value: JSON.parse(text.replace(/^\uFEFF/, '')), line: 1 }];
  } catch {
    // Not one JSON value: read it as JSON lines.
  }
  const out: { value?: unknown; line?: number; error?: InputError }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineText = lines[i]!.trim();
    if (lineText === '') continue;
    try {
      out.push({ value: JSON.parse(lineText), line: i + 1 });
    } catch (err) {
      out.push({
        line: i + 1,
        error: new InputError(`not valid JSON: ${messageOf(err)}`, {
          file,
          line: i + 1,
          expected: 'one request object per line (JSON lines)',
        }),
      });
    }
  }
  return out;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function jsonError(err: unknown, text: string, file: string): InputError {
  const message = messageOf(err);
  const at = /position (\d+)/.exec(message);
  let line: number | undefined;
  let column: number | undefined;
  if (at) {
    const offset = Number(at[1]);
    const before = text.slice(0, offset);
    line = before.split('\n').length;
    column = offset - before.lastIndexOf('\n');
  }
  return new InputError(`not valid JSON: ${message}`, {
    file,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    expected: 'a request object, an array of them, or JSON lines',
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parsed policies, shared across requests: files of many requests usually repeat the same documents. */
interface PolicyCache {
  readonly documents: Map<string, NamedPolicy | string>;
  readonly sets: Map<string, PolicySet | PolicySetProblem>;
}

/** Why a request's policies could not be used; turned into an InputError naming that request. */
interface PolicySetProblem {
  readonly message: string;
  readonly expected: string;
  readonly hint?: string;
}

/** Reads every request; a bad request becomes an error entry at its index and the rest still run. */
export function parseSimulationFile(text: string, file: string): SimulationInput[] {
  const cache: PolicyCache = { documents: new Map(), sets: new Map() };
  return readRequestValues(text, file).map((entry, index) => {
    if (entry.error) return { ok: false, index, error: entry.error };
    try {
      return { ok: true, value: toCase(entry.value, index, entry.line, file, cache) };
    } catch (err) {
      if (err instanceof InputError) return { ok: false, index, error: err };
      throw err;
    }
  });
}

function toCase(
  value: unknown,
  index: number,
  line: number | undefined,
  file: string,
  cache: PolicyCache,
): SimulationCase {
  const place = `request ${index + 1}`;
  const fail = (message: string, expected: string, hint?: string): never => {
    throw new InputError(message, {
      file,
      ...(line !== undefined ? { line } : {}),
      place,
      expected,
      ...(hint ? { hint } : {}),
    });
  };
  if (!isRecord(value))
    return fail('is not an object', 'an object with principal, action, resource and policies');
  for (const key of ['principal', 'action', 'resource'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '')
      fail(`"${key}" is missing or not a string`, `"${key}": a non-empty string`);
  }
  if (value.resourceAccount !== undefined && typeof value.resourceAccount !== 'string') {
    fail(
      '"resourceAccount" is not a string',
      'a 12-digit account ID as a string',
      'quote account IDs: numbers lose leading zeros',
    );
  }
  const context: Record<string, ContextValueInput> = Object.create(null);
  if (value.context !== undefined) {
    if (!isRecord(value.context)) fail('"context" is not an object', 'an object of condition keys to values');
    for (const [key, v] of Object.entries(value.context as Record<string, unknown>)) {
      if (isScalar(v) || (Array.isArray(v) && v.every(isScalar))) context[key] = v as ContextValueInput;
      else
        fail(
          `context key "${key}" has a value that is not a string, number, boolean or array of them`,
          'a scalar or an array of scalars',
        );
    }
  }
  // A role's trust policy is the resource policy of sts:AssumeRole*; it has its own syntax rules.
  const assumeRole = /^sts:assumerole/i.test(value.action as string);
  const policiesValue = value.policies ?? {};
  const setKey = `${assumeRole ? 'trust' : 'resource'}\u0000${JSON.stringify(policiesValue)}`;
  let set = cache.sets.get(setKey);
  if (!set) {
    set = readPolicySet(policiesValue, assumeRole, cache.documents);
    cache.sets.set(setKey, set);
  }
  if ('message' in set) return fail(set.message, set.expected, set.hint);
  const request: AuthorizationRequest = {
    principal: value.principal as string,
    action: value.action as string,
    resource: value.resource as string,
    ...(typeof value.resourceAccount === 'string' ? { resourceAccount: value.resourceAccount } : {}),
    context,
  };
  const managementAccount = typeof value.managementAccount === 'string' ? value.managementAccount : undefined;
  return {
    index,
    ...(line !== undefined ? { line } : {}),
    request,
    policies: set,
    ...(managementAccount ? { managementAccount } : {}),
  };
}

class PolicySetError extends Error {
  constructor(readonly problem: PolicySetProblem) {
    super(problem.message);
  }
}

function readPolicySet(
  policiesValue: unknown,
  assumeRole: boolean,
  documents: Map<string, NamedPolicy | string>,
): PolicySet | PolicySetProblem {
  const problem = (message: string, expected: string, hint?: string): never => {
    throw new PolicySetError({ message, expected, ...(hint ? { hint } : {}) });
  };
  try {
    if (!isRecord(policiesValue))
      problem('"policies" is not an object', `an object with any of ${POLICY_KEYS.join(', ')}`);
    const policies = policiesValue as Record<string, unknown>;
    for (const key of Object.keys(policies)) {
      if (!(POLICY_KEYS as readonly string[]).includes(key)) {
        problem(`unknown policy type "policies.${key}"`, `one of ${POLICY_KEYS.join(', ')}`);
      }
    }
    const named = (doc: unknown, path: string, type: PolicyType): NamedPolicy => {
      let document = doc;
      let name = path;
      // Accept the AWS CLI's {PolicyName, PolicyDocument} wrapper as well as a bare document.
      if (isRecord(doc) && doc.PolicyDocument !== undefined) {
        document = doc.PolicyDocument;
        if (typeof doc.PolicyName === 'string') name = doc.PolicyName;
      }
      const key = `${type}\u0000${name}\u0000${typeof document === 'string' ? document : JSON.stringify(document)}`;
      let cached = documents.get(key);
      if (cached === undefined) {
        const parsed = parsePolicy(document, { type });
        const firstError = parsed.issues.find((i) => i.severity === 'ERROR');
        cached =
          !parsed.policy || firstError
            ? `policies.${path} is not a valid policy: ${firstError ? `${firstError.path ? `${firstError.path}: ` : ''}${firstError.message}` : 'unreadable'}`
            : { name, policy: parsed.policy };
        documents.set(key, cached);
      }
      if (typeof cached === 'string') {
        return problem(cached, 'a valid IAM policy document', 'run `leastpriv lint` on it for every problem');
      }
      return cached;
    };
    const list = (key: 'identity' | 'boundary' | 'endpoint' | 'resource' | 'session', type: PolicyType) => {
      const v = policies[key];
      if (v === undefined || v === null) return undefined;
      const items = Array.isArray(v) ? v : [v];
      // `resource` and `session` are documented as single documents; name them without an index then.
      const single = (key === 'resource' || key === 'session') && items.length === 1;
      return items.map((doc, i) => named(doc, single ? key : `${key}[${i}]`, type));
    };
    const levels = (key: 'scp' | 'rcp') => {
      const v = policies[key];
      if (v === undefined) return undefined;
      if (!Array.isArray(v))
        return problem(
          `"policies.${key}" is not an array of levels`,
          `"${key}": [[root policies], [OU policies], …, [account policies]]`,
        );
      return v.map((level, l) => {
        if (!Array.isArray(level)) {
          return problem(
            `"policies.${key}[${l}]" is not an array`,
            'one array of policies per level of the organization, root first',
          );
        }
        return level.map((doc, i) => named(doc, `${key}[${l}][${i}]`, key));
      });
    };
    return {
      ...optional('identity', list('identity', 'identity')),
      ...optional('resource', list('resource', assumeRole ? 'trust' : 'resource')),
      ...optional('boundary', list('boundary', 'boundary')),
      ...optional('session', list('session', 'session')),
      ...optional('scp', levels('scp')),
      ...optional('rcp', levels('rcp')),
      ...optional('endpoint', list('endpoint', 'endpoint')),
    };
  } catch (err) {
    if (err instanceof PolicySetError) return err.problem;
    throw err;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
