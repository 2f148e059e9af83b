import { describe, expect, it } from 'vitest';
import { BASE64_ALPHABET, longestRun } from './runs.js';

describe('longestRun', () => {
  it('finds the first longest Base64 run in text and in bytes alike', () => {
    const text = 'id=abc&blob=QUJD+/==?x=ABCDEFGHIJ.';
    expect(longestRun(text, BASE64_ALPHABET)).toEqual({ start: 7, length: 13 });
    expect(longestRun(Buffer.from(text, 'latin1'), BASE64_ALPHABET)).toEqual({ start: 7, length: 13 });
  });

  it('never counts characters beyond Latin-1 as members', () => {
    expect(longestRun('AĀA', BASE64_ALPHABET)).toEqual({ start: 0, length: 1 });
  });

  it('handles 1 MiB of one alphabet character as a single run (RELIABILITY D27)', () => {
    expect(longestRun('/'.repeat(1 << 20) + '!', BASE64_ALPHABET)).toEqual({ start: 0, length: 1 << 20 });
  });
});
