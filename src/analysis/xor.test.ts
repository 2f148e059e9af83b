import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keystream } from './testdata/random.js';
import { recoverXorKey } from './xor.js';

const text = new Uint8Array(readFileSync(new URL('./testdata/plain.txt', import.meta.url)));

function xor(data: Uint8Array, key: Uint8Array): Uint8Array {
  return data.map((b, i) => b ^ key[i % key.length]!);
}

describe('repeating-key XOR recovery', () => {
  for (const key of ['K', 'secret', 'Th1s-is-a-l0nger-k3y!']) {
    it(`recovers the ${key.length}-byte key "${key}" from XOR-ed text`, () => {
      const found = recoverXorKey(xor(text, Buffer.from(key)));
      expect(found).toBeDefined();
      expect(Buffer.from(found!.key).toString()).toBe(key);
      expect(found!.preview.startsWith('# exfilscope')).toBe(true);
    });
  }

  it('finds no key in ciphertext, in plaintext, or in constant bytes', () => {
    expect(recoverXorKey(keystream(4096))).toBeUndefined();
    expect(recoverXorKey(text)).toBeUndefined();
    expect(recoverXorKey(new Uint8Array(4096).fill(0xff))).toBeUndefined();
  });

  it('needs enough bytes per key column', () => {
    expect(recoverXorKey(xor(text.subarray(0, 10), Buffer.from('abc')))).toBeUndefined();
  });
});

describe('repeating-key XOR on patterns', () => {
  it('finds no key in periodic fill data such as concatenated Linux ping payloads', () => {
    const pings = new Uint8Array(560);
    for (let i = 0; i < 560; i++) pings[i] = i % 56 < 16 ? (i % 56 === 0 ? i : 0) : i % 56;
    expect(recoverXorKey(pings)).toBeUndefined();
  });

  it('recovers the key of XOR-ed CSV (digit-heavy text)', () => {
    const csv = Buffer.from(Array.from({ length: 120 }, (_, i) => `${i},alice${i}@example.com,4111111111${String(i * 7919).padStart(6, '0')},${(i * 37) % 1000}.25`).join('\n'));
    const key = Buffer.from('S3cr3tK');
    const found = recoverXorKey(new Uint8Array(csv.map((b, i) => b ^ key[i % key.length]!)));
    expect(Buffer.from(found!.key).toString()).toBe('S3cr3tK');
  });
});

describe('repeating-key XOR at the text-ratio threshold', () => {
  // The ASCII text of plain.txt (2873 bytes), XOR-ed with an 8-byte key after `damaged` bytes spread over
  // every key column got their high bit set: the decryption keeps n − damaged text bytes.
  const prose = text.filter((b) => b >= 0x20 && b < 0x7f);
  const n = prose.length;
  const key = Buffer.from('Kq7#zP2m');
  const damage = (positions: number[]): Uint8Array => {
    const plain = new Uint8Array(prose);
    for (const at of positions) plain[at]! |= 0x80;
    return xor(plain, key);
  };
  const spread = (count: number): number[] => Array.from({ length: count }, (_, d) => (d * 33) % n);
  // The most non-text bytes a decryption may hold and still be ≥ 97 % text.
  let allowed = 0;
  while ((n - (allowed + 1)) / n >= 0.97) allowed++;

  it('accepts the key while at least 97 % of the decryption is text, and not one byte below', () => {
    expect(allowed).toBe(86);
    const found = recoverXorKey(damage(spread(allowed)));
    expect(Buffer.from(found!.key).toString()).toBe('Kq7#zP2m');
    expect(found!.textRatio).toBe((n - allowed) / n);
    expect(recoverXorKey(damage(spread(allowed + 1)))).toBeUndefined();
  });

  it('keeps a key whose bytes mix high and low bit 7, damaged up to the limit (bit 7 repeats only with the key)', () => {
    const mixed = new Uint8Array([0x80, 0x01, 0xff, 0x42, 0x9c, 0x37, 0xc5]);
    const plain = new Uint8Array(prose);
    for (const at of spread(allowed)) plain[at]! |= 0x80;
    const found = recoverXorKey(xor(plain, mixed));
    expect(found!.key).toEqual(mixed);
    expect(found!.textRatio).toBe((n - allowed) / n);
  });

  it('rejects binary whose bit 7 follows no key period, and ciphertext', () => {
    // Text with bit 7 set at random on 1 byte in 6: no period up to 32 keeps bit 7 steady enough.
    const noise = keystream(n, 'bit7');
    const scrambled = new Uint8Array(prose).map((b, i) => (noise[i]! < 43 ? b | 0x80 : b));
    expect(recoverXorKey(xor(scrambled, key))).toBeUndefined();
    expect(recoverXorKey(keystream(4096, 'binary'))).toBeUndefined();
  });

  it('gives up when the first key column alone holds too much non-text', () => {
    const firstColumn = Array.from({ length: allowed + 1 }, (_, d) => d * 8);
    expect(recoverXorKey(damage(firstColumn))).toBeUndefined();
    expect(Buffer.from(recoverXorKey(damage(firstColumn.slice(1)))!.key).toString()).toBe('Kq7#zP2m');
  });
});
