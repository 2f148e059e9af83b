// Attacker-keyed state with a hard cap: per-flow and per-entity Maps evict their oldest entry (insertion
// order) before growing past the cap, handing it to the caller so its evidence is reported, not lost.

/**
 * The entry for `key`, created by `create` when missing; when the map already holds `max` entries the oldest
 * is removed first and passed to `evict`.
 */
export function boundedEntry<K, V>(map: Map<K, V>, key: K, max: number, create: () => V, evict: (value: V) => void): V {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  while (map.size >= max) {
    const oldest = map.entries().next();
    if (oldest.done === true) break;
    map.delete(oldest.value[0]);
    evict(oldest.value[1]);
  }
  const created = create();
  map.set(key, created);
  return created;
}
