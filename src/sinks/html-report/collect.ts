// Aggregates over a run's events for the HTML report, in bounded memory: bytes per host pair, per-destination
// volume over time, top and newest destinations, and entropy/chi-square points of inspected payloads.
// Fed by run()'s onEvents hook. Every table is capped by a named option (options.ts); when one overflows, the smallest
// entries are folded into a counted remainder (so totals stay exact and the report says what was folded).
import type { Event, PayloadEvent } from '../../core/events.js';
import { classify, type Verdict } from '../../analysis/inspect.js';

/** How the entropy/chi-square chart colours a payload: by the same classifier the content detectors use. */
export type PayloadClass = 'encrypted' | 'compressed' | 'other';

function payloadClass(verdict: Verdict): PayloadClass {
  if (verdict === 'ciphertext') return 'encrypted';
  return verdict === 'compressed' || verdict === 'media' ? 'compressed' : 'other';
}
import { htmlReportOptions, type HtmlReportOptions } from './options.js';


interface PairStats {
  src: string;
  dst: string;
  out: number;
  in: number;
  conns: number;
}

const MAX_PORTS_KEPT = 8;
const MAX_SOURCES_KEPT = 16;

interface DestinationTotals {
  dst: string;
  out: number;
  in: number;
  conns: number;
  first: number;
  last: number;
}

interface DestinationStats extends DestinationTotals {
  ports: Set<number>;
  sources: Set<string>;
  /** Outbound bytes per time bucket (key = floor(ts / bucket width)). */
  buckets: Map<number, number>;
}

export interface DestinationRow extends DestinationTotals {
  /** The first few destination ports seen. */
  ports: number[];
  /** Distinct sources, counted up to a cap (`sourcesCapped` when there were more). */
  sources: number;
  sourcesCapped: boolean;
}

export interface PayloadPoint {
  entropy: number;
  chiSquare: number;
  size: number;
  cls: PayloadClass;
  context: string;
  dst: string;
}

export interface Folded {
  entries: number;
  out: number;
  in: number;
}

/** What the report draws: plain data, sorted and cut to the report's row limits. */
export interface ReportAggregates {
  pairs: PairStats[];
  pairsFolded: Folded;
  destinations: DestinationRow[];
  newestDestinations: DestinationRow[];
  destinationsFolded: Folded;
  series: { bucketSeconds: number; starts: number[]; destinations: string[]; values: number[][] };
  payloads: PayloadPoint[];
  payloadsSeen: number;
  volumeEvents: number;
}

/** A small deterministic PRNG (xorshift32) so the same input always yields the same sampled report. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

export class ReportCollector {
  private readonly options: HtmlReportOptions;
  private readonly pairs = new Map<string, PairStats>();
  private readonly destinations = new Map<string, DestinationStats>();
  private readonly pairsFolded: Folded = { entries: 0, out: 0, in: 0 };
  private readonly destinationsFolded: Folded = { entries: 0, out: 0, in: 0 };
  private bucketSeconds = 1;
  private minBucket = Infinity;
  private maxBucket = -Infinity;
  private readonly payloads: PayloadPoint[] = [];
  private payloadsSeen = 0;
  private volumeEvents = 0;
  private readonly random = xorshift(0x9e3779b9);

  constructor(options: Partial<HtmlReportOptions> = {}) {
    this.options = htmlReportOptions.parse(options);
  }

  add(events: readonly Event[]): void {
    for (const event of events) {
      if (event.kind === 'flow') {
        this.addVolume(event.ts, event.src_ip, event.dst_ip, event.dst_port, event.bytes_out ?? 0, event.bytes_in ?? 0);
      } else if (event.kind === 'firewall') {
        const out = event.bytes_out ?? event.length ?? 0;
        this.addVolume(event.ts, event.src_ip, event.dst_ip, event.dst_port, out, event.bytes_in ?? 0);
      } else if (event.kind === 'payload') {
        this.addPayload(event);
      }
    }
  }

  private addVolume(ts: number, src: string, dst: string, port: number | undefined, out: number, inb: number): void {
    this.volumeEvents++;
    const pairKey = `${src}\u0000${dst}`;
    let pair = this.pairs.get(pairKey);
    if (pair === undefined) {
      pair = { src, dst, out: 0, in: 0, conns: 0 };
      this.pairs.set(pairKey, pair);
    }
    pair.out += out;
    pair.in += inb;
    pair.conns++;

    let dest = this.destinations.get(dst);
    if (dest === undefined) {
      dest = { dst, out: 0, in: 0, conns: 0, first: ts, last: ts, ports: new Set(), sources: new Set(), buckets: new Map() };
      this.destinations.set(dst, dest);
    }
    dest.out += out;
    dest.in += inb;
    dest.conns++;
    if (ts < dest.first) dest.first = ts;
    if (ts > dest.last) dest.last = ts;
    if (port !== undefined && dest.ports.size < MAX_PORTS_KEPT) dest.ports.add(port);
    if (dest.sources.size <= MAX_SOURCES_KEPT) dest.sources.add(src);
    if (Number.isFinite(ts) && out > 0) this.addToBucket(dest, ts, out);

    if (this.pairs.size > 2 * this.options.max_pairs) fold(this.pairs, this.options.max_pairs, this.pairsFolded);
    if (this.destinations.size > 2 * this.options.max_destinations) {
      fold(this.destinations, this.options.max_destinations, this.destinationsFolded);
      this.recomputeBucketRange();
    }
  }

  private addToBucket(dest: DestinationStats, ts: number, out: number): void {
    const key = Math.floor(ts / this.bucketSeconds);
    dest.buckets.set(key, (dest.buckets.get(key) ?? 0) + out);
    if (key < this.minBucket) this.minBucket = key;
    if (key > this.maxBucket) this.maxBucket = key;
    while (this.maxBucket - this.minBucket + 1 > this.options.max_time_buckets) this.widenBuckets();
  }

  /** Doubles the bucket width and merges neighbours, so the series stays within max_time_buckets. */
  private widenBuckets(): void {
    this.bucketSeconds *= 2;
    for (const dest of this.destinations.values()) {
      const merged = new Map<number, number>();
      for (const [key, bytes] of dest.buckets) {
        const wider = Math.floor(key / 2);
        merged.set(wider, (merged.get(wider) ?? 0) + bytes);
      }
      dest.buckets = merged;
    }
    this.minBucket = Math.floor(this.minBucket / 2);
    this.maxBucket = Math.floor(this.maxBucket / 2);
  }

  private recomputeBucketRange(): void {
    this.minBucket = Infinity;
    this.maxBucket = -Infinity;
    for (const dest of this.destinations.values()) {
      for (const key of dest.buckets.keys()) {
        if (key < this.minBucket) this.minBucket = key;
        if (key > this.maxBucket) this.maxBucket = key;
      }
    }
  }

  private addPayload(event: PayloadEvent): void {
    const { bytes } = event.sample;
    if (bytes.length === 0) return;
    this.payloadsSeen++;
    const slot = this.payloads.length < this.options.max_payload_points
      ? this.payloads.length
      : Math.floor(this.random() * this.payloadsSeen);
    if (slot >= this.options.max_payload_points) return;
    const { verdict, stats } = classify(bytes, event.sample.total);
    this.payloads[slot] = {
      entropy: stats.entropy,
      chiSquare: stats.chiSquare,
      size: bytes.length,
      cls: payloadClass(verdict),
      context: event.context,
      dst: event.dst_ip,
    };
  }

  snapshot(): ReportAggregates {
    const rows = this.options.top_rows;
    const pairs = [...this.pairs.values()].sort((a, b) => b.out - a.out || b.in - a.in).slice(0, rows);
    const byOut = [...this.destinations.values()].sort((a, b) => b.out - a.out || a.first - b.first);
    const top = byOut.slice(0, rows);
    const newest = [...this.destinations.values()].sort((a, b) => b.first - a.first).slice(0, rows).map(destinationRow);
    const charted = byOut.filter((d) => d.buckets.size > 0).slice(0, this.options.series_destinations);
    const starts: number[] = [];
    if (charted.length > 0) for (let k = this.minBucket; k <= this.maxBucket; k++) starts.push(k * this.bucketSeconds);
    const values = charted.map((d) => starts.map((_, i) => d.buckets.get(this.minBucket + i) ?? 0));
    return {
      pairs: pairs.map((p) => ({ ...p })),
      pairsFolded: { ...this.pairsFolded },
      destinations: top.map(destinationRow),
      newestDestinations: newest,
      destinationsFolded: { ...this.destinationsFolded },
      series: { bucketSeconds: this.bucketSeconds, starts, destinations: charted.map((d) => d.dst), values },
      payloads: this.payloads.map((p) => ({ ...p })),
      payloadsSeen: this.payloadsSeen,
      volumeEvents: this.volumeEvents,
    };
  }
}

function destinationRow(d: DestinationStats): DestinationRow {
  const { dst, out, in: inb, conns, first, last } = d;
  return {
    dst, out, in: inb, conns, first, last,
    ports: [...d.ports].sort((a, b) => a - b),
    sources: Math.min(d.sources.size, MAX_SOURCES_KEPT),
    sourcesCapped: d.sources.size > MAX_SOURCES_KEPT,
  };
}

/** Keeps the `keep` entries with most outbound bytes; the rest are counted into `folded`. */
function fold<T extends { out: number; in: number }>(map: Map<string, T>, keep: number, folded: Folded): void {
  const ranked = [...map.entries()].sort(([, a], [, b]) => b.out - a.out);
  for (const [key, value] of ranked.slice(keep)) {
    folded.entries++;
    folded.out += value.out;
    folded.in += value.in;
    map.delete(key);
  }
}
