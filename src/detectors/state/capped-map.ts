// Per-entity detector state with a hard cap on entries: when full, the least recently touched entry is
// evicted (handed to the caller's `onEvict` so a detector can still report it) and the eviction is counted.
import type { AnomalyCode, AnomalyCounter } from '../../core/anomalies.js';

export class CappedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    private readonly limits: AnomalyCounter,
    private readonly limitCode: AnomalyCode,
  ) {}

  /** The entry for `key`, created by `create` when absent; touching it makes it the most recent. */
  upsert(key: K, create: () => V, onEvict: (key: K, value: V) => void): V {
    const existing = this.map.get(key);
    if (existing !== undefined) {
      this.map.delete(key);
      this.map.set(key, existing);
      return existing;
    }
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) {
        const value = this.map.get(oldest.value)!;
        this.map.delete(oldest.value);
        this.limits.add(this.limitCode);
        onEvict(oldest.value, value);
      }
    }
    const value = create();
    this.map.set(key, value);
    return value;
  }

  get size(): number {
    return this.map.size;
  }

  /** Removes and yields every entry, oldest first. */
  *drain(): IterableIterator<[K, V]> {
    const entries = [...this.map.entries()];
    this.map.clear();
    yield* entries;
  }
}
