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
