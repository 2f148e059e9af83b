// beaconing: a host connecting to the same destination at regular intervals with small requests — the heartbeat
// of a command-and-control implant. It is context, not an alert: the correlator labels a transfer to a host's
// beaconing peer as exfiltration over the C2 channel (T1041) instead of over an alternative protocol (T1048).
// Regularity is the median absolute deviation of the gaps between connections over the median gap: robust to
// the odd extra connection — not least the exfiltration itself over the same channel — where a plain
// coefficient of variation would be thrown off by one outlier.
import { z } from 'zod';
import type { AnomalyCounter } from '../../core/anomalies.js';
import { CappedMap } from '../state/capped-map.js';
import type { Event } from '../../core/events.js';
import { findingId, type Evidence } from '../../core/findings.js';
import type { Detector, DetectorSpec, Emit } from '../detector.js';

const options = z.strictObject({
  enabled: z.boolean().default(true),
  /** Fewer connections than this cannot show a rhythm: 12 gives 11 gaps (an hour of 5-minute beacons). */
  min_connections: z.number().int().min(3).default(12),
  /**
   * Median deviation of the gaps over the median gap. Implants jitter by 10–20 % uniformly, which puts this near
   * 0.05–0.1; random (Poisson-like) traffic sits near 0.5. 0.15 keeps a margin on both sides.
   */
  max_jitter: z.number().min(0).default(0.15),
  /** A heartbeat is small: a median request above 16 KiB is a transfer, not a beacon. */
  max_median_bytes_out: z.number().int().min(0).default(16 * 1024),
  /** Gaps shorter than this are retries or a chatty protocol, not a heartbeat. */
  min_interval_seconds: z.number().min(0).default(5),
  /** Connections within this many seconds of the previous one are the same connection seen twice (flow and host log). */
  same_connection_seconds: z.number().min(0).default(1),
  /** Most recent connections kept per (host, destination, port). */
  max_samples: z.number().int().min(8).default(64),
  /** Most (host, destination, port) pairs tracked; the oldest is evaluated and evicted beyond it (`beaconing.max_pairs`). */
  max_pairs: z.number().int().min(1).default(100_000),
});

type Options = z.infer<typeof options>;

interface Series {
  host: string;
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  first: number;
  times: number[];
  bytes: number[];
  evidence: Evidence[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function create(o: Options, limits: AnomalyCounter): Detector {
  let emit: Emit = () => {};
  const series = new CappedMap<string, Series>(o.max_pairs, limits, 'beaconing.max_pairs', (_k, s) => evaluate(s, emit));

  function evaluate(s: Series, out: Emit): void {
    if (s.times.length < o.min_connections) return;
    const times = [...s.times].sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const typical = median(gaps);
    if (typical < o.min_interval_seconds) return;
    const jitter = median(gaps.map((g) => Math.abs(g - typical))) / typical;
    const medianBytes = s.bytes.length === 0 ? 0 : median(s.bytes);
    if (jitter > o.max_jitter || medianBytes > o.max_median_bytes_out) return;
    out({
      id: findingId('beaconing', [s.host, s.dst_ip, s.dst_port], s.first),
      technique: 'T1041',
      analytic: 'beaconing',
      risk: 3,
      ts_start: s.first,
      ts_end: times[times.length - 1]!,
      host: s.host,
      src_ip: s.src_ip,
      dst_ip: s.dst_ip,
      dst_port: s.dst_port,
      reason: `${s.host} connected to ${s.dst_ip}:${s.dst_port} every ${typical.toFixed(0)} s (jitter ${(jitter * 100).toFixed(0)} %, median ${medianBytes} bytes out) over ${s.times.length} connections: a C2 heartbeat`,
      evidence: s.evidence,
      details: { interval_seconds: Math.round(typical * 10) / 10, jitter: Math.round(jitter * 1000) / 1000, connections: s.times.length, median_bytes_out: medianBytes },
    });
  }

  return {
    onEvent(event: Event, out: Emit): void {
      if ((event.kind !== 'flow' && event.kind !== 'net_conn') || !Number.isFinite(event.ts)) return;
      emit = out;
      // Keyed by address, not host name, so flows and host logs of the same connections join.
      const host = event.src_ip;
      const key = `${host}\u0000${event.dst_ip}\u0000${event.dst_port}`;
      let s = series.get(key);
      if (s === undefined) {
        s = { host, src_ip: event.src_ip, dst_ip: event.dst_ip, dst_port: event.dst_port, first: event.ts, times: [], bytes: [], evidence: [] };
        series.set(key, s);
      }
      const last = s.times[s.times.length - 1];
      if (last !== undefined && Math.abs(event.ts - last) <= o.same_connection_seconds) return;
      if (s.times.length >= o.max_samples) {
        s.times.shift();
        if (s.bytes.length >= o.max_samples) s.bytes.shift();
      }
      s.times.push(event.ts);
      if (event.kind === 'flow' && event.bytes_out !== undefined) s.bytes.push(event.bytes_out);
      if (event.ts < s.first) s.first = event.ts;
      if (s.evidence.length < 3) s.evidence.push({ ...event.source, note: `connection to ${event.dst_ip}:${event.dst_port}` });
    },
    flush(out: Emit): void {
      const all = [...series.entries()].map(([, s]) => s).sort((a, b) => a.first - b.first || (a.host < b.host ? -1 : a.host > b.host ? 1 : a.dst_ip < b.dst_ip ? -1 : 1));
      for (const s of all) evaluate(s, out);
      series.clear();
    },
  };
}

export const beaconing: DetectorSpec<Options> = {
  id: 'beaconing',
  description: 'Periodic small connections from a host to one destination (a C2 heartbeat), to tell T1041 from T1048',
  consumes: ['flow', 'net_conn'],
  options,
  create,
};
