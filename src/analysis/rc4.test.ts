import { describe, expect, it } from 'vitest';
import { Rc4, rc4 } from './rc4.js';

// RFC 6229 §2 test vectors: keystream bytes at offsets 0, 16, 240, 256, 1536, 4080 for some keys.
const VECTORS: { key: string; at: Record<number, string> }[] = [
  {
    key: '0102030405',
    at: { 0: 'b2396305f03dc027ccc3524a0a1118a8', 16: '6982944f18fc82d589c403a47a0d0919', 240: '28cb1132c96ce286421dcaadb8b69eae', 1536: 'd8729db41882259bee4f825325f5a130' },
  },
  { key: '0102030405060708090a0b0c0d0e0f10', at: { 0: '9ac7cc9a609d1ef7b2932899cde41b97' } },
  { key: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20', at: { 0: 'eaa6bd25880bf93d3f5d1e4ca2611d91' } },
  { key: '1ada31d5cf688221c109163908ebe51debb46227c6cc8b37641910833222772a', at: { 4096: '370b1c1fe655916d97fd0d47ca1d72b8' } },
];

describe('RC4', () => {
  for (const v of VECTORS) {
    it(`matches RFC 6229 for key ${v.key}`, () => {
      const key = Buffer.from(v.key, 'hex');
      const stream = new Rc4(key).apply(new Uint8Array(4112));
      for (const [offset, hex] of Object.entries(v.at)) {
        expect(Buffer.from(stream.subarray(Number(offset), Number(offset) + 16)).toString('hex')).toBe(hex);
      }
    });
  }

  it('decrypts what it encrypted, also across calls', () => {
    const key = Buffer.from('secret');
    const plain = Buffer.from('the quick brown fox jumps over the lazy dog');
    const c = rc4(key, plain);
    const r = new Rc4(key);
    const back = Buffer.concat([r.apply(c.subarray(0, 10)), r.apply(c.subarray(10))]);
    expect(back.toString()).toBe(plain.toString());
  });

  it('rejects empty keys', () => {
    expect(() => new Rc4(new Uint8Array(0))).toThrow(RangeError);
  });
});
