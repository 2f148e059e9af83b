// A Map with a hard cap on entries for attacker-keyed state: when full, the oldest entry is evicted and handed to
// the owner (to evaluate, and to count against its limit), so memory stays bounded and the loss is visible.

export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly cap: number, private readonly onEvict: (key: K, value: V) => void) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (!this.map.has(key) && this.map.size >= this.cap) {
      const oldest = this.map.entries().next().value;
      if (oldest !== undefined) {
        this.map.delete(oldest[0]);
        this.onEvict(oldest[0], oldest[1]);
      }
    }
    this.map.set(key, value);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  clear(): void {
    this.map.clear();
  }
}
