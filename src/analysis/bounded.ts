// Attacker-keyed state with a hard cap: per-flow and per-entity Maps evict their oldest entry (insertion
// order) before growing past the cap, handing it to the caller so its evidence is reported, not lost.

/** Makes room for one new key in `map`: when it holds `max` entries, the oldest is removed and passed to `evict`. */
export function makeRoom<K, V>(map: Map<K, V>, max: number, evict: (value: V) => void): void {
  while (map.size >= max) {
    const oldest = map.entries().next();
    if (oldest.done === true) return;
    map.delete(oldest.value[0]);
    evict(oldest.value[1]);
  }
}
