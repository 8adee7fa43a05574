/**
 * IpAddress / NotIpAddress over IPv4 and IPv6 CIDRs. Every address is held as 128 bits in four
 * 32-bit words; IPv4 is stored as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2)
 * and an IPv4 prefix /n becomes /(96+n). So `::ffff:203.0.113.7` from a dual-stack front end is
 * in `203.0.113.0/24`, while an IPv4 range never covers native IPv6 addresses. A value without a
 * prefix is a single address ("IAM uses the default prefix value of /32"). No policy variables.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */
import { type ConditionOperator, negate } from './operator.js';

export interface Cidr {
  /** Network address with host bits cleared. */
  readonly words: Uint32Array;
  /** 0..128 in the 128-bit space. */
  readonly prefix: number;
  readonly text: string;
}

const groups = new Uint16Array(8);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Dotted quad in text[start, end) → 32-bit number, or -1. Leading zeros are rejected (octal ambiguity). */
function parseIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    const from = i;
    let octet = 0;
    while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) {
      octet = octet * 10 + (text.charCodeAt(i) - 48);
      i++;
    }
    const len = i - from;
    if (len === 0 || len > 3 || octet > 255 || (len > 1 && text.charCodeAt(from) === 48)) return -1;
    value = value * 256 + octet;
    octets++;
    if (octets < 4) {
      if (i >= end || text.charCodeAt(i) !== 46) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

/** IPv6 text in [start, end) into `groups`; false when malformed (zones `%eth0` included). */
function parseIpv6(text: string, start: number, end: number): boolean {
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start < 2) return false;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === end) {
      groups.fill(0);
      return true;
    }
  }
  while (i < end) {
    if (count === 8) return false;
    const from = i;
    let value = 0;
    while (i < end && i - from < 5) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // Embedded IPv4 in the last 32 bits.
      if (count > 6) return false;
      const v4 = parseIpv4(text, from, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    const len = i - from;
    if (len === 0 || len > 4) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false;
    }
  }
  if (gap === -1) return count === 8;
  if (count > 7) return false;
  const tail = count - gap;
  for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k]!;
  for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

/**
 * Parses an address, optionally with `/prefix`, into `out` (four words). Returns the prefix in
 * the 128-bit space, or -1 when the text is not an address. Allocates nothing.
 */
export function parseAddress(text: string, out: Uint32Array, allowPrefix: boolean): number {
  const slash = text.indexOf('/');
  const end = slash === -1 ? text.length : slash;
  let prefix = -1;
  if (slash !== -1) {
    if (!allowPrefix) return -1;
    const len = text.length - slash - 1;
    if (len < 1 || len > 3 || (len > 1 && text.charCodeAt(slash + 1) === 48)) return -1;
    prefix = 0;
    for (let i = slash + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return -1;
      prefix = prefix * 10 + (c - 48);
    }
  }
  if (text.indexOf(':') === -1) {
    const v4 = parseIpv4(text, 0, end);
    if (v4 < 0 || prefix > 32) return -1;
    out[0] = 0;
    out[1] = 0;
    out[2] = 0xffff;
    out[3] = v4;
    return prefix === -1 ? 128 : 96 + prefix;
  }
  if (!parseIpv6(text, 0, end) || prefix > 128) return -1;
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w]! << 16) | groups[2 * w + 1]!) >>> 0;
  return prefix === -1 ? 128 : prefix;
}

function wordMask(prefix: number, word: number): number {
  const bits = Math.min(32, Math.max(0, prefix - 32 * word));
  return bits === 0 ? 0 : bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
}

export function parseCidr(text: string): Cidr | undefined {
  const words = new Uint32Array(4);
  const prefix = parseAddress(text, words, true);
  if (prefix < 0) return undefined;
  for (let w = 0; w < 4; w++) words[w] = (words[w]! & wordMask(prefix, w)) >>> 0;
  return { words, prefix, text };
}

export function cidrContains(cidr: Cidr, address: Uint32Array): boolean {
  for (let w = 0; w < 4; w++) {
    if ((address[w]! & wordMask(cidr.prefix, w)) >>> 0 !== cidr.words[w]) return false;
  }
  return true;
}

// One scratch buffer for request addresses: evaluation is synchronous, so it is never shared.
const requestAddress = new Uint32Array(4);

export const IpAddress: ConditionOperator<Uint32Array, Cidr> = {
  name: 'IpAddress',
  valueType: 'ip',
  negated: false,
  variables: false,
  compileValue: parseCidr,
  parseRequest: (raw) => (parseAddress(raw, requestAddress, false) === 128 ? requestAddress : undefined),
  matches: (r, p) => cidrContains(p, r),
  phrase: { yes: 'is in', no: 'is not in' },
  expects: 'an IPv4 or IPv6 address or CIDR',
};

export const NotIpAddress = negate(IpAddress, 'NotIpAddress');

export const IP_OPERATORS: readonly ConditionOperator[] = [
  IpAddress,
  NotIpAddress,
] as readonly ConditionOperator[];
