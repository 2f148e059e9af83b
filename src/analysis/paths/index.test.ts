import { describe, expect, it } from 'vitest';
import { compileGlob, extensionOf, globMatches, normalisePath } from './index.js';

const matches = (pattern: string, path: string): boolean => globMatches(compileGlob(pattern), normalisePath(path));

describe('globMatches', () => {
  it('matches the seed patterns below their directories', () => {
    expect(matches('/tmp/*', '/tmp/a.enc')).toBe(true);
    expect(matches('/tmp/*', '/tmp/x/y/a.enc')).toBe(true);
    expect(matches('/tmp/*', '/tmp')).toBe(false);
    expect(matches('/tmp/*', '/var/tmp/a')).toBe(false);
    expect(matches('/home/*/Downloads/*', '/home/bob/Downloads/x.aes')).toBe(true);
    expect(matches('/home/*/Downloads/*', '/home/bob/Documents/x.aes')).toBe(false);
    expect(matches('/home/*/Downloads/*', '/home/Downloads/x.aes')).toBe(false);
  });
  it('compares Windows paths case-insensitively with either slash and the NT prefix', () => {
    expect(matches('C:\\Users\\*\\Documents\\exfil', 'c:\\USERS\\Bob\\documents\\EXFIL\\a.aes')).toBe(true);
    expect(matches('C:\\Users\\*\\Documents\\exfil', 'C:/Users/bob/Documents/exfil/x.bin')).toBe(true);
    expect(matches('C:\\Users\\*\\Documents\\exfil', '\\??\\C:\\Users\\bob\\Documents\\exfil\\x')).toBe(true);
    expect(matches('C:\\Users\\*\\Documents\\exfil', 'C:\\Users\\bob\\Documents\\exfiltrate.doc')).toBe(false);
    expect(matches('C:\\Users\\*\\Documents\\exfil*', 'C:\\Users\\bob\\Documents\\exfiltrate.doc')).toBe(true);
  });
  it('never matches across platforms, and POSIX is case-sensitive', () => {
    expect(matches('/tmp/*', 'C:\\tmp\\a')).toBe(false);
    expect(matches('/home/*/Downloads/*', '/home/bob/downloads/a')).toBe(false);
  });
  it('supports ? and several stars in a segment', () => {
    expect(matches('/srv/data-??/*.enc*/*', '/srv/data-01/x.enc.old/f')).toBe(true);
    expect(matches('/srv/a*b*c/*', '/srv/aXXbYYc/f')).toBe(true);
    expect(matches('/srv/a*b*c/*', '/srv/aXXbYY/f')).toBe(false);
  });
  it('stays fast on a hostile 64 KiB segment', () => {
    const path = normalisePath('/tmp/' + 'a'.repeat(65536) + '/x');
    const glob = compileGlob('/tmp/*a*a*a*a*b/*');
    expect(globMatches(glob, path)).toBe(false);
  });
});

describe('extensionOf', () => {
  it('takes the last extension of the last segment, in lower case', () => {
    expect(extensionOf('/tmp/x.tar.ENC')).toBe('enc');
    expect(extensionOf('C:\\a.b\\file')).toBe('');
    expect(extensionOf('/home/bob/.bashrc')).toBe('');
  });
});
