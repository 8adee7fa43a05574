import { isIP } from 'node:net';

/**
 * Value syntax per operator family. Fixed, anchored regular expressions over bounded input (never
 * built from policy text). Sources:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

const MAX_VALUE = 512;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
// W3C profile of ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, with optional time and zone), or epoch seconds.
const ISO_DATE = /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const EPOCH = /^\d{1,12}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function isNumericValue(value: string): boolean {
  return value.length <= MAX_VALUE && NUMBER.test(value);
}

export function isDateValue(value: string): boolean {
  return value.length <= MAX_VALUE && (ISO_DATE.test(value) || EPOCH.test(value));
}

export function isBoolValue(value: string): boolean {
  const lower = value.toLowerCase();
  return lower === 'true' || lower === 'false';
}

export function isBase64Value(value: string): boolean {
  return value.length <= MAX_VALUE * 4 && value.length % 4 === 0 && BASE64.test(value);
}

export interface Cidr {
  readonly version: 4 | 6;
  readonly prefix: number;
}

/** `203.0.113.0/24`, `2001:db8::/32` or a bare address (a full-length prefix). */
export function parseCidr(value: string): Cidr | undefined {
  if (value.length > 64) return undefined;
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const version = isIP(address);
  if (version !== 4 && version !== 6) return undefined;
  const max = version === 4 ? 32 : 128;
  if (slash === -1) return { version, prefix: max };
  const digits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(digits)) return undefined;
  const prefix = Number(digits);
  return prefix <= max ? { version, prefix } : undefined;
}
