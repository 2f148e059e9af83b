import { describe, expect, it } from 'vitest';
import { parseWinTime } from './time.js';

describe('parseWinTime', () => {
  const base = Date.UTC(2020, 0, 2, 3, 4, 5) / 1000;
  it('reads SystemTime, UtcTime and offsets, keeping sub-millisecond digits', () => {
    expect(parseWinTime('2020-01-02T03:04:05.1234567Z')).toBeCloseTo(base + 0.1234567, 6);
    expect(parseWinTime('2020-01-02 03:04:05.123')).toBeCloseTo(base + 0.123, 6);
    expect(parseWinTime('2020-01-02T03:04:05')).toBe(base);
    expect(parseWinTime('2020-01-02T05:04:05+02:00')).toBe(base);
    expect(parseWinTime('2020-01-01T23:04:05-0400')).toBe(base);
  });
  it('refuses malformed and out-of-range times', () => {
    for (const bad of ['garbage', '2020-13-01 00:00:00', '2020-01-02 24:00:00', '2020-01-02', '', '9'.repeat(100)]) expect(parseWinTime(bad), bad).toBeUndefined();
  });
});
