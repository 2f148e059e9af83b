import { describe, expect, it } from 'vitest';
import { ConnectionIndex } from './connection-index.js';

interface Entry {
  name: string;
  hash: number;
  sameHash: Entry | undefined;
}

const entry = (name: string): Entry => ({ name, hash: 0, sameHash: undefined });

function chainNames(index: ConnectionIndex<Entry>, hash: number): string[] {
  const names: string[] = [];
  for (let e = index.chain(hash); e !== undefined; e = e.sameHash) names.push(e.name);
  return names;
}

describe('ConnectionIndex', () => {
  // 10.0.0.1:1234 -> 10.0.0.2:80 and fd00::1:1234 -> fd00::2:80 laid out as in a packet.
  const v4 = Uint8Array.from([10, 0, 0, 1, 10, 0, 0, 2]);
  const v6 = new Uint8Array(32);
  v6.set([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  v6.set([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 16);

  it('hashes both directions of a connection alike, and other connections apart', () => {
    const index = new ConnectionIndex<Entry>();
    const forward = index.hash(6, v4, 4, 0, 1234, 4, 80);
    expect(index.hash(6, v4, 4, 4, 80, 0, 1234)).toBe(forward);
    expect(index.hash(6, v6, 16, 0, 1234, 16, 80)).toBe(index.hash(6, v6, 16, 16, 80, 0, 1234));
    const others = [
      index.hash(17, v4, 4, 0, 1234, 4, 80), // another protocol
      index.hash(6, v4, 4, 0, 1235, 4, 80), // another port
      index.hash(6, v4, 4, 0, 80, 4, 1234), // ports swapped but not addresses
      index.hash(6, v6, 16, 0, 1234, 16, 80),
    ];
    for (const other of others) expect(other).not.toBe(forward);
  });

  it('hashes a keyed context (VLAN tags) alike in both directions and apart from another context', () => {
    const index = new ConnectionIndex<Entry>();
    const untagged = index.hash(6, v4, 4, 0, 1234, 4, 80);
    expect(index.hash(6, v4, 4, 0, 1234, 4, 80, 0)).toBe(untagged);
    const vlan42 = index.hash(6, v4, 4, 0, 1234, 4, 80, 43);
    expect(index.hash(6, v4, 4, 4, 80, 0, 1234, 43)).toBe(vlan42);
    expect(vlan42).not.toBe(untagged);
    expect(index.hash(6, v4, 4, 0, 1234, 4, 80, 44)).not.toBe(vlan42);
  });

  it('keeps every entry sharing a hash and removes any of them', () => {
    const index = new ConnectionIndex<Entry>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry) as [Entry, Entry, Entry, Entry];
    index.add(a, 7);
    index.add(b, 7);
    index.add(c, 7);
    index.add(d, 8);
    expect(index.size).toBe(4);
    expect(chainNames(index, 7).sort()).toEqual(['a', 'b', 'c']);
    index.remove(b);
    expect(chainNames(index, 7).sort()).toEqual(['a', 'c']);
    index.remove(c);
    index.remove(a);
    expect(index.chain(7)).toBeUndefined();
    expect(chainNames(index, 8)).toEqual(['d']);
    expect(index.size).toBe(1);
  });

  it('is seeded per index, so colliding endpoints in one do not collide in another', () => {
    const hashes = new Set(Array.from({ length: 8 }, () => new ConnectionIndex<Entry>().hash(6, v4, 4, 0, 1234, 4, 80)));
    expect(hashes.size).toBeGreaterThan(1);
  });
});
