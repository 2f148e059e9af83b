// IP fragment reassembly (RFC 791 §3.2 for IPv4, RFC 8200 §4.5 for IPv6) with bounded state: a capped
// number of trackers, each expiring after a timeout, each holding at most one 65 535-byte datagram's worth
// of pieces. Overlaps keep the bytes that arrived first; an overlap carrying different bytes is an evasion
// signal and is counted (`defrag.overlap_diff_data`).
import type { AnomalyCounter } from '../core/anomalies.js';

export interface FragmentLimits {
  /** Datagrams being reassembled at once; the oldest is dropped beyond this (`defrag.trackers_evicted`). */
  max_trackers: number;
  /** Seconds a datagram may wait for its missing fragments (`defrag.timeout`). */
  timeout: number;
  /** Fragments kept per datagram (`defrag.too_many_fragments`). */
  max_fragments: number;
}

/** RFC 791: the total length field is 16 bits, so no datagram is larger. */
const MAX_DATAGRAM = 65_535;

interface Piece {
  start: number;
  bytes: Uint8Array;
}

interface Tracker {
  firstSeen: number;
  pieces: Piece[];
  /** Payload length, known once the last fragment (MF clear) arrived. */
  total: number;
  held: number;
}

export class FragmentReassembler {
  private readonly trackers = new Map<string, Tracker>();

  constructor(
    private readonly limits: FragmentLimits,
    private readonly anomalies: AnomalyCounter,
  ) {}

  get size(): number {
    return this.trackers.size;
  }

  /**
   * Adds one fragment's payload at `start` (bytes); returns the whole reassembled payload once every byte
   * from 0 to the end is present, else undefined.
   */
  add(key: string, start: number, more: boolean, bytes: Uint8Array, now: number): Uint8Array | undefined {
    if (start + bytes.length > MAX_DATAGRAM) {
      this.anomalies.add('defrag.too_large', { detail: `offset ${start} + ${bytes.length}` });
      return undefined;
    }
    let tracker = this.trackers.get(key);
    if (tracker !== undefined && now - tracker.firstSeen > this.limits.timeout) {
      this.anomalies.add('defrag.timeout');
      this.trackers.delete(key);
      tracker = undefined;
    }
    if (tracker === undefined) {
      this.expire(now);
      if (this.trackers.size >= this.limits.max_trackers) this.evictOldest();
      tracker = { firstSeen: now, pieces: [], total: -1, held: 0 };
      this.trackers.set(key, tracker);
    }
    if (tracker.pieces.length >= this.limits.max_fragments) {
      this.anomalies.add('defrag.too_many_fragments');
      this.trackers.delete(key);
      return undefined;
    }
    if (!more) {
      const end = start + bytes.length;
      if (tracker.total >= 0 && tracker.total !== end) this.anomalies.add('defrag.inconsistent_length');
      tracker.total = end;
    }
    this.checkOverlap(tracker, start, bytes);
    tracker.pieces.push({ start, bytes });
    tracker.held += bytes.length;
    if (tracker.total < 0 || tracker.held < tracker.total) return undefined;
    return this.assemble(key, tracker);
  }

  private checkOverlap(tracker: Tracker, start: number, bytes: Uint8Array): void {
    const end = start + bytes.length;
    for (const piece of tracker.pieces) {
      const from = Math.max(start, piece.start);
      const to = Math.min(end, piece.start + piece.bytes.length);
      if (from >= to) continue;
      for (let i = from; i < to; i++) {
        if (bytes[i - start] !== piece.bytes[i - piece.start]) {
          this.anomalies.add('defrag.overlap_diff_data');
          return;
        }
      }
      this.anomalies.add('defrag.overlap');
    }
  }

  private assemble(key: string, tracker: Tracker): Uint8Array | undefined {
    const out = new Uint8Array(tracker.total);
    const filled = new Uint8Array(tracker.total);
    let covered = 0;
    // First arrival wins: later pieces only fill bytes nobody wrote yet.
    for (const piece of tracker.pieces) {
      const len = Math.min(piece.bytes.length, tracker.total - piece.start);
      for (let i = 0; i < len; i++) {
        const at = piece.start + i;
        if (filled[at] === 0) {
          filled[at] = 1;
          out[at] = piece.bytes[i]!;
          covered++;
        }
      }
    }
    if (covered < tracker.total) return undefined;
    this.trackers.delete(key);
    return out;
  }

  private expire(now: number): void {
    // Map iteration is insertion order, so the oldest trackers come first.
    for (const [key, tracker] of this.trackers) {
      if (now - tracker.firstSeen <= this.limits.timeout) break;
      this.trackers.delete(key);
      this.anomalies.add('defrag.timeout');
    }
  }

  private evictOldest(): void {
    const oldest = this.trackers.keys().next();
    if (oldest.done !== true) this.trackers.delete(oldest.value);
    this.anomalies.add('defrag.trackers_evicted');
  }
}
