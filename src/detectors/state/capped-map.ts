// Per-entity detector state with a hard cap on entries: when full, the least recently touched entry is
// evicted (handed to an `onEvict` so a detector can still report it) and the eviction is counted under the
// detector's limit code, so it shows in the run summary.
import type { AnomalyCode, AnomalyCounter } from '../../core/anomalies.js';

export type OnEvict<K, V> = (key: K, value: V) => void;

export class CappedMap<K, V> {
  private readonly map = new Map<K, V>();
  /** Entries evicted so far because the cap was reached. */
  evictions = 0;

  constructor(
    private readonly capacity: number,
    private readonly limits: AnomalyCounter,
    private readonly limitCode: AnomalyCode,
    /** What happens to an evicted entry when the caller does not say otherwise. */
    private readonly defaultOnEvict: OnEvict<K, V> = () => {},
  ) {}

  /** The entry for `key`, created by `create` when absent; touching it makes it the most recent. */
  upsert(key: K, create: () => V, onEvict: OnEvict<K, V> = this.defaultOnEvict): V {
    const existing = this.map.get(key);
    if (existing !== undefined) {
      this.map.delete(key);
      this.map.set(key, existing);
      return existing;
    }
    const value = create();
    this.set(key, value, onEvict);
    return value;
  }

  /** Stores `value` as the most recent entry, evicting the least recent one first when full. */
  set(key: K, value: V, onEvict: OnEvict<K, V> = this.defaultOnEvict): void {
    if (this.map.delete(key) || this.map.size < this.capacity) {
      this.map.set(key, value);
      return;
    }
    const oldest = this.map.entries().next();
    if (oldest.done !== true) {
      const [oldestKey, oldestValue] = oldest.value;
      this.map.delete(oldestKey);
      this.evictions++;
      this.limits.add(this.limitCode);
      onEvict(oldestKey, oldestValue);
    }
    this.map.set(key, value);
  }

  /** The entry for `key` without touching it (a lookup is not a use). */
  get(key: K): V | undefined {
    return this.map.get(key);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** Entries, least recently touched first. */
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  clear(): void {
    this.map.clear();
  }

  /** Removes and yields every entry, least recently touched first. */
  *drain(): IterableIterator<[K, V]> {
    const entries = [...this.map.entries()];
    this.map.clear();
    yield* entries;
  }
}
