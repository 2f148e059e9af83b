import { describe, expect, it } from 'vitest';
import { INSPECT_DEFAULTS, inspect } from './inspect.js';
import { inspectSample } from './sample-inspection.js';
import { keystream } from './testdata/random.js';

// 5000 bytes of CSV, then ciphertext: a 4096-byte prefix is text, the whole is not.
const csv = Buffer.from(Array.from({ length: 400 }, (_, i) => `${i},user${i},${(i * 7919) % 1000}.00\n`).join('')).subarray(0, 5000);
const bytes = new Uint8Array(Buffer.concat([csv, keystream(3000)]));

describe('one inspection per sample', () => {
  it('computes it once and hands every reader the same result, which is what inspect returns', () => {
    const sample = { bytes, total: 20_000 };
    const first = inspectSample(sample);
    expect(inspectSample(sample, Infinity, { ...INSPECT_DEFAULTS })).toBe(first); // equal options, another object
    expect(inspectSample(sample, bytes.length, INSPECT_DEFAULTS, { uri: false })).toBe(first);
    expect(first).toEqual(inspect(bytes, 20_000));
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('inspects again for another prefix length, other options or other hints', () => {
    const sample = { bytes, total: bytes.length };
    const whole = inspectSample(sample);
    const prefix = inspectSample(sample, 4096);
    expect(whole.verdict).toBe('binary');
    expect(prefix).toEqual(inspect(bytes.subarray(0, 4096), bytes.length));
    expect(prefix.verdict).toBe('text');
    const strict = inspectSample(sample, Infinity, { ...INSPECT_DEFAULTS, minCiphertextBytes: 4000 });
    expect(strict).not.toBe(whole);
    expect(strict).toEqual(inspect(bytes, bytes.length, { ...INSPECT_DEFAULTS, minCiphertextBytes: 4000 }));
    expect(inspectSample(sample, Infinity, INSPECT_DEFAULTS, { uri: true })).not.toBe(whole);
  });

  it('keeps results apart for two samples with equal bytes', () => {
    const a = { bytes, total: bytes.length };
    const b = { bytes: bytes.slice(), total: bytes.length };
    expect(inspectSample(a)).not.toBe(inspectSample(b));
    expect(inspectSample(a)).toEqual(inspectSample(b));
  });
});
