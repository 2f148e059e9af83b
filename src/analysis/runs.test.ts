import { describe, expect, it } from 'vitest';
import { BASE64_ALPHABET, longestRun } from './runs.js';
import { keystream } from './testdata/random.js';

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

  it('with a minimum length, finds the same first longest run when it is that long, and a shorter one otherwise', () => {
    // Runs of every length around the minimum, separated by one or two non-members, as text and as bytes.
    const noise = keystream(40_000, 'runs');
    for (let k = 0; k < 400; k++) {
      const parts = Array.from({ length: 12 }, (_, j) => 'Q'.repeat(noise[k * 24 + j]! % 140) + (noise[k * 24 + 12 + j]! % 3 === 0 ? '!?' : '.'));
      const text = parts.join('');
      // Reference: the first longest member run, by splitting on anything outside the alphabet.
      let expected = { start: 0, length: 0 };
      let at = 0;
      for (const piece of text.split(/([^A-Za-z0-9+/=])/)) {
        if (/^[A-Za-z0-9+/=]+$/.test(piece) && piece.length > expected.length) expected = { start: at, length: piece.length };
        at += piece.length;
      }
      for (const atLeast of [1, 2, 64, 100]) {
        for (const input of [text, Buffer.from(text, 'latin1')]) {
          const found = longestRun(input, BASE64_ALPHABET, atLeast);
          if (expected.length >= atLeast) expect(found).toEqual(expected);
          else expect(found.length).toBeLessThan(atLeast);
        }
      }
    }
  });

  it('finds a run that starts or ends exactly at the input edges with a minimum length', () => {
    expect(longestRun('A'.repeat(100), BASE64_ALPHABET, 100)).toEqual({ start: 0, length: 100 });
    expect(longestRun(`!${'A'.repeat(100)}`, BASE64_ALPHABET, 100)).toEqual({ start: 1, length: 100 });
    expect(longestRun(`${'A'.repeat(99)}!`, BASE64_ALPHABET, 100).length).toBeLessThan(100);
  });
});
