import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIpv6, parseIpv6 } from './ip.js';

describe('IP text', () => {
  it('writes RFC 5952 text', () => {
    expect(formatIpv6(Buffer.from('20010db8000000000001000000000001', 'hex'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(Buffer.from('00000000000000000000ffffc0000201', 'hex'))).toBe('::ffff:192.0.2.1');
  });

  it('canonicalises the kernel\'s zero-padded IPv6 and leaves IPv4 alone', () => {
    expect(canonicalIp('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIp('FE80::0001')).toBe('fe80::1');
    expect(canonicalIp('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(canonicalIp('::')).toBe('::');
    expect(canonicalIp('::192.0.2.1')).toBe('::c000:201');
    expect(canonicalIp('64:ff9b:0:0:0:0:192.0.2.1')).toBe('64:ff9b::c000:201');
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
  });

  it('rejects malformed IPv6 text', () => {
    for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'g::1', ':'.repeat(50)]) {
      expect(parseIpv6(bad), bad).toBeUndefined();
    }
  });
});
