/**
 * Just enough IPv4 to pick representative source addresses for `aws:SourceIp` probes: an address
 * inside each range a policy names, and one outside all of them. Parsed by hand (no regex from
 * policy text); anything that is not a dotted quad with an optional prefix is ignored.
 */

export interface Ipv4Range {
  readonly base: number;
  readonly prefix: number;
}

function parseQuad(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (part.length === 0 || part.length > 3) return undefined;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function parseIpv4Range(text: string): Ipv4Range | undefined {
  const slash = text.indexOf('/');
  const address = parseQuad(slash === -1 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  let prefix = 32;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (p.length === 0 || p.length > 2 || !/^\d+$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > 32) return undefined;
  }
  const size = 2 ** (32 - prefix);
  return { base: address - (address % size), prefix };
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function rangeContains(range: Ipv4Range, address: number): boolean {
  const size = 2 ** (32 - range.prefix);
  return address >= range.base && address < range.base + size;
}

/** An address inside the range: its first host when the range has hosts. */
export function addressInside(range: Ipv4Range): string {
  return formatIpv4(range.prefix <= 30 ? range.base + 1 : range.base);
}

/** Documentation and shared-space addresses (RFC 5737, RFC 6598), tried in order. */
const OUTSIDERS = ['198.51.100.23', '203.0.113.77', '192.0.2.55', '100.64.7.9', '11.22.33.44'];

/** A public-looking address outside every given range (the first candidate if all are covered). */
export function addressOutside(ranges: readonly Ipv4Range[]): string {
  for (const candidate of OUTSIDERS) {
    const value = parseQuad(candidate) ?? 0;
    if (!ranges.some((r) => rangeContains(r, value))) return candidate;
  }
  return OUTSIDERS[0] as string;
}
