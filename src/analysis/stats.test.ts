import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ContentStats, expectedRandomEntropy, measure, statsOf } from './stats.js';
import { keystream } from './testdata/random.js';

const text = readFileSync(new URL('./testdata/plain.txt', import.meta.url));

describe('content statistics', () => {
  it('measures ciphertext as uniform, uncorrelated and incompressible', () => {
    const s = statsOf(keystream(65536));
    expect(s.entropy).toBeGreaterThan(7.99);
    expect(Math.abs(s.chiZ)).toBeLessThan(4);
    expect(Math.abs(s.serialCorrelation)).toBeLessThan(0.02);
    expect(s.repeatRatio).toBeLessThan(0.01);
    expect(Math.abs(s.mean - 127.5)).toBeLessThan(1);
    expect(s.distinct).toBe(256);
  });

  it('measures text as low-entropy, correlated and repetitive', () => {
    const s = statsOf(text);
    expect(s.entropy).toBeLessThan(5.2);
    expect(s.printableRatio).toBeGreaterThan(0.95); // DESIGN.md has a few UTF-8 arrows and dashes
    expect(s.repeatRatio).toBeGreaterThan(0.3);
    expect(s.chiZ).toBeGreaterThan(50);
  });

  it('gives the same answer streamed in chunks as in one call', () => {
    const data = new Uint8Array(deflateRawSync(text));
    // Chunks of one and two bytes cross the start of the trigram windows and every chunk boundary.
    for (const size of [1, 2, 3, 7, 4096]) {
      const streamed = new ContentStats();
      for (let i = 0; i < data.length; i += size) streamed.add(data.subarray(i, i + size));
      expect(streamed.summary(), `chunks of ${size}`).toEqual(statsOf(data));
    }
  });

  it('matches the textbook mean and cyclic serial correlation (as ent computes them)', () => {
    const data = new Uint8Array(deflateRawSync(text)).subarray(0, 999);
    const n = data.length;
    let sum = 0;
    let sumSq = 0;
    let products = 0;
    for (let i = 0; i < n; i++) {
      sum += data[i]!;
      sumSq += data[i]! * data[i]!;
      products += data[i]! * data[(i + 1) % n]!;
    }
    const s = statsOf(data);
    expect(s.mean).toBe(sum / n);
    expect(s.serialCorrelation).toBe((n * products - sum * sum) / (n * sumSq - sum * sum));
    expect(s.printableRatio).toBe(data.filter((b) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13).length / n);
  });

  it('measures each buffer afresh in the shared table: nothing of the previous buffer remains', () => {
    const fresh = (bytes: Uint8Array): unknown => {
      const s = new ContentStats();
      s.add(bytes);
      return s.summary();
    };
    const second = new Uint8Array(text.subarray(0, 500));
    measure(text);
    expect(measure(second).summary()).toEqual(fresh(second));
    expect(measure(second).count(0x20)).toBe(second.filter((b) => b === 0x20).length);
  });

  it('counts repeated trigrams: none in three bytes, one in a repeated three-byte pattern', () => {
    expect(statsOf(new Uint8Array([1, 2, 3])).repeatRatio).toBe(0);
    expect(statsOf(new Uint8Array([1, 2, 3, 1, 2, 3])).repeatRatio).toBe(1 / 4); // windows 123 231 312 123
    const counts = new ContentStats();
    counts.add(new Uint8Array([5, 5, 9]));
    expect([counts.count(5), counts.count(9), counts.count(0)]).toEqual([2, 1, 0]);
  });

  it('computes the expected entropy of random samples (the small-sample bias)', () => {
    // Mean plug-in entropy of 200 keystream samples of each size matches the exact expectation.
    for (const n of [64, 256, 1024]) {
      let sum = 0;
      for (let k = 0; k < 200; k++) sum += statsOf(keystream(n, `seed${n}-${k}`)).entropy;
      expect(Math.abs(sum / 200 - expectedRandomEntropy(n))).toBeLessThan(0.02);
    }
    expect(expectedRandomEntropy(1_000_000)).toBeCloseTo(8 - 255 / (2e6 * Math.LN2), 6);
    expect(expectedRandomEntropy(65536)).toBeCloseTo(expectedRandomEntropy(65537), 3);
  });

  it('handles empty and constant input', () => {
    expect(statsOf(new Uint8Array(0)).entropy).toBe(0);
    const c = statsOf(new Uint8Array(1000).fill(0x41));
    expect(c.entropy).toBe(0);
    expect(c.serialCorrelation).toBe(1);
  });
});
