import { describe, expect, it } from 'vitest';
import { archName, decodeSockaddr, openFlagsWrite, syscallName } from './decode.js';

describe('syscallName', () => {
  it('names syscalls by architecture and passes names through', () => {
    expect(syscallName('c000003e', '59')).toBe('execve');
    expect(syscallName('c00000b7', '221')).toBe('execve');
    expect(syscallName('c00000b7', '56')).toBe('openat');
    expect(syscallName('c000003e', '42')).toBe('connect');
    expect(syscallName('40000003', '11')).toBe('execve');
    expect(syscallName('c000003e', 'execve')).toBe('execve');
    expect(syscallName('deadbeef', '59')).toBeUndefined();
    expect(archName('C000003E')).toBe('x86_64');
  });
});

describe('decodeSockaddr', () => {
  it('decodes inet, inet6 and unix addresses', () => {
    expect(decodeSockaddr('02000050A9FEA9FE0000000000000000')).toMatchObject({ family: 'inet', address: '169.254.169.254', port: 80 });
    expect(decodeSockaddr('0A002BCB000000000000000000000000000000000000000100000000')).toMatchObject({ family: 'inet6', address: '::1', port: 11211 });
    expect(decodeSockaddr('01002F746D702F736F636B00')).toMatchObject({ family: 'unix', path: '/tmp/sock' });
    expect(decodeSockaddr('0100006162')).toMatchObject({ family: 'unix', path: '@ab' });
  });

  it('detects a big-endian family (s390x, ppc64)', () => {
    expect(decodeSockaddr('0002D903000000000000000000000000')).toMatchObject({ family: 'inet', address: '0.0.0.0', port: 55555 });
  });

  it('refuses short or non-hex input instead of reading past it', () => {
    expect(decodeSockaddr('0200')).toBeUndefined();
    expect(decodeSockaddr('0A00')).toBeUndefined();
    expect(decodeSockaddr('zz')).toBeUndefined();
  });
});

describe('openFlagsWrite', () => {
  it('tells writes and creations from reads', () => {
    expect(openFlagsWrite('0')).toEqual({ write: false, create: false });
    expect(openFlagsWrite('80000')).toEqual({ write: false, create: false });
    expect(openFlagsWrite('241')).toEqual({ write: true, create: true });
    expect(openFlagsWrite('1')).toEqual({ write: true, create: false });
    expect(openFlagsWrite('200')).toEqual({ write: true, create: false });
    expect(openFlagsWrite('x')).toBeUndefined();
  });
});
