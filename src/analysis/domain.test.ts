import { describe, expect, it } from 'vitest';
import { DnsChunkAssembler } from './dns-chunks.js';
import { splitName } from './domain.js';
import { subTechnique } from './technique.js';

describe('registered domain heuristic', () => {
  it('splits generic and country-code names', () => {
    expect(splitName('a.b.Example.COM.')).toEqual({ registered: 'example.com', subdomain: 'a.b' });
    expect(splitName('x.y.bbc.co.uk')).toEqual({ registered: 'bbc.co.uk', subdomain: 'x.y' });
    expect(splitName('example.com')).toEqual({ registered: 'example.com', subdomain: '' });
    expect(splitName('co.uk')).toEqual({ registered: 'co.uk', subdomain: '' });
    expect(splitName('deep.name.example.io')).toEqual({ registered: 'example.io', subdomain: 'deep.name' });
    expect(splitName('__proto__.evil.net').subdomain).toBe('__proto__');
  });

  it('counts empty labels as labels, at either end and in the middle', () => {
    expect(splitName('a.co.uk')).toEqual({ registered: 'a.co.uk', subdomain: '' });
    expect(splitName('.co.uk')).toEqual({ registered: '.co.uk', subdomain: '' });
    expect(splitName('x..example.com')).toEqual({ registered: 'example.com', subdomain: 'x.' });
    expect(splitName('a.b.c.co.uk.')).toEqual({ registered: 'c.co.uk', subdomain: 'a.b' });
    expect(splitName('.x.com')).toEqual({ registered: 'x.com', subdomain: '' });
    expect(splitName('..com')).toEqual({ registered: '.com', subdomain: '' });
    expect(splitName('com')).toEqual({ registered: 'com', subdomain: '' });
    expect(splitName('.')).toEqual({ registered: '', subdomain: '' });
  });
});

describe('DNS chunk reassembly', () => {
  it('orders numbered chunks and drops repeats', () => {
    const a = new DnsChunkAssembler({ maxChars: 1000, maxNames: 100 });
    for (const s of ['2.cccc', '0.aaaa', '1.bbbb', '0.aaaa']) a.add(s);
    expect(a.text()).toBe('aaaabbbbcccc');
    expect(a.count).toBe(3);
  });

  it('keeps arrival order without sequence numbers and joins multi-label chunks', () => {
    const a = new DnsChunkAssembler({ maxChars: 1000, maxNames: 100 });
    a.add('zz.yy');
    a.add('aa.bb');
    expect(a.text()).toBe('zzyyaabb');
  });

  it('stops at its character cap and counts what it dropped', () => {
    const a = new DnsChunkAssembler({ maxChars: 10, maxNames: 100 });
    for (let i = 0; i < 5; i++) a.add(`${'x'.repeat(4)}${i}`);
    expect(a.length).toBe(10);
    expect(a.dropped).toBe(3);
  });
});

describe('sub-technique from evidence', () => {
  it('follows what was seen', () => {
    expect(subTechnique({ encryptedTransport: false, content: 'ciphertext' })).toBe('T1048.001');
    expect(subTechnique({ encryptedTransport: false, content: 'text' })).toBe('T1048.003');
    expect(subTechnique({ encryptedTransport: true })).toBe('T1048.002');
    expect(subTechnique({ encryptedTransport: false, content: 'too-short' })).toBe('T1048');
  });
});
