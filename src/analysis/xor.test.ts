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
