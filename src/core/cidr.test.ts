import { describe, expect, it } from 'vitest';
import { cidrContains, ipBytes, parseCidr } from './cidr.js';

describe('cidr', () => {
  it('matches IPv4 prefixes on and off byte boundaries', () => {
    const net = parseCidr('10.1.0.0/16')!;
    expect(cidrContains(net, '10.1.200.3')).toBe(true);
    expect(cidrContains(net, '10.2.0.1')).toBe(false);
    const odd = parseCidr('172.16.0.0/12')!;
    expect(cidrContains(odd, '172.31.255.255')).toBe(true);
    expect(cidrContains(odd, '172.32.0.0')).toBe(false);
  });
  it('matches IPv6, and IPv4-mapped IPv6 as IPv4', () => {
    expect(cidrContains(parseCidr('fc00::/7')!, 'fd12:3456::1')).toBe(true);
    expect(cidrContains(parseCidr('fc00::/7')!, '2001:db8::1')).toBe(false);
    expect(ipBytes('::ffff:10.0.0.1')).toEqual([10, 0, 0, 1]);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, '::ffff:10.0.0.1')).toBe(true);
  });
  it('rejects what is not an address or prefix', () => {
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('__proto__')).toBeUndefined();
    expect(parseCidr('example.com/8')).toBeUndefined();
    expect(cidrContains(parseCidr('10.0.0.0/8')!, 'not-an-ip')).toBe(false);
  });
});
