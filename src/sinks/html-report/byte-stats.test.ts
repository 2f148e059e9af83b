import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prng as seeded } from '../../../test/prng.js';
import { byteStats, classifyPayload } from './byte-stats.js';

function noise(n: number, seed: number): Uint8Array {
  const random = seeded(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

describe('byteStats', () => {
  it('gives 8 bits/byte and zero chi-square for a perfectly flat histogram, 0 for one repeated byte', () => {
    expect(byteStats(Uint8Array.from({ length: 512 }, (_, i) => i % 256))).toEqual({ entropy: 8, chiSquare: 0 });
    const flat = byteStats(new Uint8Array(1000).fill(65));
    expect(flat.entropy).toBe(0);
    expect(flat.chiSquare).toBeCloseTo(255 * 1000, 6);
  });

  it('tells encrypted-like from compressed from encoded text', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `record ${i * 7919 % 10007} value ${(i * 104729) % 99991};`).join('\n');
    const cases: [Uint8Array, string][] = [
      [noise(4096, 1), 'encrypted'],
      [deflateSync(Buffer.from(words)).subarray(0, 4096), 'compressed'],
      [Buffer.from(Buffer.from(noise(3000, 2)).toString('base64')), 'other'],
      [noise(100, 3), 'other'],
    ];
    for (const [bytes, expected] of cases) expect(classifyPayload(byteStats(bytes), bytes.length)).toBe(expected);
  });
});
