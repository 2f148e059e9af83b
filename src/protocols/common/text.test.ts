import { describe, expect, it } from 'vitest';
import { RAW_BYTE_BASE, protocolText, textBytes } from './text.js';

describe('protocolText', () => {
  it('decodes valid UTF-8 and keeps every invalid byte recoverable', () => {
    const bytes = Uint8Array.from([0x61, 0xc3, 0xbc, 0xfc, 0xe2, 0x82, 0x41, 0xc0, 0xaf, 0xed, 0xa0, 0x80]);
    const text = protocolText(bytes);
    expect([...text].map((c) => c.codePointAt(0))).toEqual([
      0x61, 0xfc, RAW_BYTE_BASE + 0xfc, RAW_BYTE_BASE + 0xe2, RAW_BYTE_BASE + 0x82, 0x41,
      RAW_BYTE_BASE + 0xc0, RAW_BYTE_BASE + 0xaf, RAW_BYTE_BASE + 0xed, RAW_BYTE_BASE + 0xa0, RAW_BYTE_BASE + 0x80,
    ]);
    expect(textBytes(text)).toEqual(bytes);
  });

  it('decodes four-byte sequences and long mixed text the same as a UTF-8 decoder, invalid bytes aside', () => {
    const valid = Buffer.from('zone 😀 ü €'.repeat(300));
    expect(valid.length).toBeGreaterThan(4096);
    expect(protocolText(valid)).toBe(valid.toString('utf8'));
    const mixed = Buffer.concat([valid, Buffer.from([0xff, 0xf0, 0x9f]), Buffer.from('😀')]);
    const text = protocolText(mixed);
    expect(text.endsWith(`\u{F00FF}\u{F00F0}\u{F009F}😀`)).toBe(true);
    expect(textBytes(text)).toEqual(Uint8Array.from(mixed));
  });

  it('passes ASCII through', () => {
    expect(protocolText(Buffer.from('GET / HTTP/1.1'), 4, 5)).toBe('/');
  });
});
