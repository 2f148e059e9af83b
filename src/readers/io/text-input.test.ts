import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { newInputHealth } from '../../core/health.js';
import { openInput } from './open.js';
import { BadLines, numberedLines, type NumberedLine } from './text-input.js';
import { streamOf, TEST_LIMITS } from '../testing.js';

const ctx = (limits = TEST_LIMITS) => ({ path: 'in.log', health: newInputHealth('in.log'), limits, options: {} });

describe('numberedLines', () => {
  it('numbers non-empty lines, counts them as records and converts a stream failure into an InputError', async () => {
    const c = ctx();
    const seen: NumberedLine[] = [];
    for await (const batch of numberedLines(streamOf('a\n\nb\r\nc', 2), c)) seen.push(...batch);
    expect(seen).toEqual([{ text: 'a', line: 1 }, { text: 'b', line: 3 }, { text: 'c', line: 4 }]);
    expect(c.health.records).toBe(3);

    const gz = gzipSync(Buffer.from('line\n'.repeat(20000)));
    const opened = await openInput(streamOf(gz.subarray(0, gz.length - 8), 256));
    const d = ctx();
    let count = 0;
    await expect((async () => {
      for await (const batch of numberedLines(opened.stream, d)) count += batch.length;
    })()).rejects.toThrow(InputError);
    expect(count).toBeGreaterThan(0);
  });
});

describe('BadLines', () => {
  it('stops at the budget of bad lines in a row, and a good line resets it', () => {
    const bad = new BadLines(ctx({ ...TEST_LIMITS, max_consecutive_bad_lines: 3 }));
    bad.bad('x.y', 1);
    bad.bad('x.y', 2);
    bad.good();
    bad.bad('x.y', 4);
    bad.bad('x.y', 5);
    expect(() => bad.bad('x.y', 6)).toThrow(/3 bad lines in a row/);
  });
});
