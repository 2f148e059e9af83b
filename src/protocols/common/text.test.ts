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

  it('passes ASCII through', () => {
    expect(protocolText(Buffer.from('GET / HTTP/1.1'), 4, 5)).toBe('/');
  });
});
