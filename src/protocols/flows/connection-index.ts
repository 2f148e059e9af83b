// Connections by endpoints without a string key per packet: a hash of (protocol, address, port, address,
// port) that is the same in both directions, so one lookup finds a connection from either side's packets,
// with the connections sharing a hash chained through them. The hash is seeded per index, so traffic
// crafted to collide cannot pile every connection into one chain.
import { randomBytes } from 'node:crypto';

export interface Chained<T> {
  /** The endpoint hash the entry is filed under. */
  hash: number;
  /** The next entry with the same hash. */
  sameHash: T | undefined;
}

export class ConnectionIndex<T extends Chained<T>> {
  private readonly chains = new Map<number, T>();
  private readonly seed = randomBytes(4).readInt32LE(0);
  size = 0;

  /**
   * The hash of one packet's endpoints: `addressLength` bytes of source address at `srcAt` and of destination
   * address at `dstAt` in `bytes`, and a `context` that is part of the key in both directions (VLAN tags when
   * those are keyed, else 0). Swapping source and destination gives the same hash.
   */
  hash(proto: number, bytes: Uint8Array, addressLength: number, srcAt: number, sport: number, dstAt: number, dport: number, context = 0): number {
    const a = endpointHash(this.seed, bytes, srcAt, addressLength, sport);
    const b = endpointHash(this.seed, bytes, dstAt, addressLength, dport);
    // Order-independent, and not a ^ b (which is 0 for a connection to itself on the same port).
    return mix(mix(this.seed ^ proto ^ (context << 8), a < b ? a : b), a < b ? b : a) & 0x3fffffff;
  }

  /** The first entry filed under `hash`; follow `sameHash` for the rest. */
  chain(hash: number): T | undefined {
    return this.chains.get(hash);
  }

  add(entry: T, hash: number): void {
    entry.hash = hash;
    entry.sameHash = this.chains.get(hash);
    this.chains.set(hash, entry);
    this.size++;
  }

  remove(entry: T): void {
    const head = this.chains.get(entry.hash);
    if (head === entry) {
      if (entry.sameHash === undefined) this.chains.delete(entry.hash);
      else this.chains.set(entry.hash, entry.sameHash);
    } else {
      let before = head;
      while (before !== undefined && before.sameHash !== entry) before = before.sameHash;
      if (before === undefined) return;
      before.sameHash = entry.sameHash;
    }
    entry.sameHash = undefined;
    this.size--;
  }
}

function endpointHash(seed: number, bytes: Uint8Array, at: number, length: number, port: number): number {
  let h = mix(seed, port);
  for (let i = at; i < at + length; i += 4) h = mix(h, (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!);
  return h >>> 0;
}

/** One round of MurmurHash3's 32-bit block mixing and finalisation. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h, 5) + 0xe6546b64;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
