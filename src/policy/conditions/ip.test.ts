import { describe, expect, it } from 'vitest';
import { clauseOf } from './fixtures.js';
import { compileCondition, createRequestContext } from './index.js';
import { parseAddress, parseCidr } from './ip.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
// CIDR values, IPv4 and IPv6 ("2001:DB8:1234:5678::/64"); an address without a prefix is /32.

function verdict(operator: string, values: string[], sourceIp: string | undefined): string {
  const context = createRequestContext(sourceIp === undefined ? {} : { 'aws:SourceIp': sourceIp });
  return compileCondition(clauseOf(operator, 'aws:SourceIp', values), { variablesEnabled: true }).evaluate(
    context,
    false,
  ).verdict;
}

describe('IpAddress / NotIpAddress (Conditions_IPAddress)', () => {
  it.each([
    ['IpAddress', ['203.0.113.0/24'], '203.0.113.7', 'match'],
    ['IpAddress', ['203.0.113.0/24'], '203.0.114.7', 'no-match'],
    ['IpAddress', ['203.0.113.5'], '203.0.113.5', 'match'],
    ['IpAddress', ['203.0.113.5'], '203.0.113.6', 'no-match'],
    ['IpAddress', ['0.0.0.0/0'], '198.51.100.1', 'match'],
    // Host bits in the policy value are ignored (the network is what counts).
    ['IpAddress', ['203.0.113.77/24'], '203.0.113.1', 'match'],
    ['IpAddress', ['203.0.113.0/24', '2001:DB8:1234:5678::/64'], '2001:db8:1234:5678:abcd::1', 'match'],
    ['IpAddress', ['2001:DB8:1234:5678::/64'], '2001:db8:1234:5679::1', 'no-match'],
    ['IpAddress', ['::/0'], '2001:db8::1', 'match'],
    // IPv4 ranges do not cover native IPv6 addresses, nor ::/0-less IPv6 ranges IPv4 ones...
    ['IpAddress', ['0.0.0.0/0'], '2001:db8::1', 'no-match'],
    ['IpAddress', ['2001:db8::/32'], '203.0.113.7', 'no-match'],
    // ...but an IPv4-mapped IPv6 request address is its IPv4 address (our documented choice).
    ['IpAddress', ['203.0.113.0/24'], '::ffff:203.0.113.7', 'match'],
    ['IpAddress', ['::ffff:203.0.113.0/120'], '203.0.113.7', 'match'],
    // Negated: the address must be in none of the ranges.
    ['NotIpAddress', ['203.0.113.0/24'], '198.51.100.7', 'match'],
    ['NotIpAddress', ['203.0.113.0/24', '198.51.100.0/24'], '198.51.100.7', 'no-match'],
    // Uninterpretable values never compare; a negated operator cannot be satisfied by them.
    ['IpAddress', ['203.0.113.0/33'], '203.0.113.7', 'no-match'],
    ['NotIpAddress', ['not-an-ip'], '203.0.113.7', 'no-match'],
    ['IpAddress', ['203.0.113.0/24'], 'vpce-123', 'no-match'],
    ['NotIpAddress', ['203.0.113.0/24'], 'vpce-123', 'no-match'],
    // A missing key: IpAddress false; NotIpAddress true (the negated-operator rule).
    ['IpAddress', ['203.0.113.0/24'], undefined, 'no-match'],
    ['NotIpAddress', ['203.0.113.0/24'], undefined, 'match'],
    ['IpAddressIfExists', ['203.0.113.0/24'], undefined, 'match'],
  ])('%s %j with aws:SourceIp=%j → %s', (operator, values, ip, expected) => {
    expect(verdict(operator, values, ip)).toBe(expected);
  });

  it('explains in the documented sentence shape', () => {
    const context = createRequestContext({ 'aws:SourceIp': '198.51.100.7' });
    const result = compileCondition(clauseOf('IpAddress', 'aws:SourceIp', ['203.0.113.0/24']), {
      variablesEnabled: true,
    }).evaluate(context, true);
    expect(result.explanation?.reason).toBe('aws:SourceIp 198.51.100.7 is not in 203.0.113.0/24');
    expect(result.explanation?.verdict).toBe('no-match');
  });
});

function words(text: string): number[] | undefined {
  const out = new Uint32Array(4);
  return parseAddress(text, out, true) < 0 ? undefined : Array.from(out);
}

describe('address parser', () => {
  it.each([
    ['::', [0, 0, 0, 0]],
    ['::1', [0, 0, 0, 1]],
    ['1::', [0x00010000, 0, 0, 0]],
    ['2001:db8::8:800:200c:417a', [0x20010db8, 0, 0x00080800, 0x200c417a]],
    ['2001:DB8:0:0:8:800:200C:417A', [0x20010db8, 0, 0x00080800, 0x200c417a]],
    ['::ffff:1.2.3.4', [0, 0, 0xffff, 0x01020304]],
    ['1.2.3.4', [0, 0, 0xffff, 0x01020304]],
    ['64:ff9b::192.0.2.33', [0x0064ff9b, 0, 0, 0xc0000221]],
    ['1:2:3:4:5:6:7::', [0x00010002, 0x00030004, 0x00050006, 0x00070000]],
    ['255.255.255.255', [0, 0, 0xffff, 0xffffffff]],
  ])('%j → %j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it.each([
    '',
    ':',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    'fe80::1%eth0',
    'g::1',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-4',
    '::1.2.3',
    '1:2:3:4:5:6:7:1.2.3.4',
    ' 1.2.3.4',
    '1:',
    ':1',
  ])('rejects %j', (text) => {
    expect(words(text)).toBeUndefined();
  });

  it.each([0, 1, 8, 16, 24, 31, 32])('accepts IPv4 prefix /%d', (prefix) => {
    expect(parseCidr(`10.0.0.0/${prefix}`)?.prefix).toBe(96 + prefix);
  });

  it.each([0, 1, 48, 64, 96, 127, 128])('accepts IPv6 prefix /%d', (prefix) => {
    expect(parseCidr(`2001:db8::/${prefix}`)?.prefix).toBe(prefix);
  });

  it.each(['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/08', '::/129', '::/1a', '10.0.0.0/24/1'])(
    'rejects CIDR %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );

  it('refuses a prefix on a request address', () => {
    expect(parseAddress('10.0.0.1/32', new Uint32Array(4), false)).toBe(-1);
  });

  it('masks host bits at every prefix length', () => {
    for (let prefix = 0; prefix <= 128; prefix++) {
      const cidr = parseCidr(`ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/${prefix}`)!;
      const ones = Array.from(cidr.words).reduce((n, w) => n + w.toString(2).replace(/0/g, '').length, 0);
      expect(ones).toBe(prefix);
    }
  });
});
