import { describe, expect, it } from 'vitest';
import { AnomalyCounter } from '../../core/anomalies.js';
import { CappedMap } from './capped-map.js';

describe('CappedMap', () => {
  it('evicts the least recently touched entry, counts it, and hands it over', () => {
    const limits = new AnomalyCounter();
    const evicted: string[] = [];
    const map = new CappedMap<string, number>(2, limits, 'test.max_entries', (key) => evicted.push(key));
    map.upsert('a', () => 1);
    map.upsert('b', () => 2);
    map.upsert('a', () => 99); // touches a: b is now the oldest
    map.upsert('c', () => 3);
    expect(evicted).toEqual(['b']);
    expect(map.evictions).toBe(1);
    expect(limits.count('test.max_entries')).toBe(1);
    expect([...map.entries()]).toEqual([['a', 1], ['c', 3]]);
  });

  it('lets a caller handle one eviction its own way, and keeps __proto__ as a plain key', () => {
    const map = new CappedMap<string, number>(1, new AnomalyCounter(), 'test.max_entries');
    map.set('__proto__', 1);
    const seen: number[] = [];
    map.set('constructor', 2, (_key, value) => seen.push(value));
    expect(seen).toEqual([1]);
    expect(map.get('constructor')).toBe(2);
    expect([...map.drain()]).toEqual([['constructor', 2]]);
    expect(map.size).toBe(0);
  });
});
