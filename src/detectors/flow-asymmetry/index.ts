// flow-asymmetry: per (source host, destination) and per configured window, sums bytes sent and received over
// every connection record that carries byte counts (flows from captures and Zeek conn.log, firewall logs with
// bytes), so many small uploads add up ("low and slow"), and reports a window where the host sent far more than it
// received. Clients normally receive more than they send; exfiltration inverts that (ATT&CK T1048 detection:
// "uncommon data flows … a client sending significantly more data than it receives from a server").
import { z } from 'zod';
import type { AnomalyCounter } from '../../core/anomalies.js';
import { CappedMap } from '../state/capped-map.js';
import { DEFAULT_INTERNAL_NETWORKS, cidrMatcher, parseCidrs } from '../../core/cidr.js';
import type { Event, Proto } from '../../core/events.js';
import { findingId, type Evidence, type Finding } from '../../core/findings.js';
import type { Detector, DetectorSpec, Emit } from '../detector.js';

const options = z.strictObject({
  enabled: z.boolean().default(true),
  /**
   * Tumbling windows, aligned to the epoch, each evaluated on its own: an hour catches a burst, a day catches a
   * trickle of small uploads that no single hour shows.
   */
  window_seconds: z.array(z.number().int().min(60)).min(1).default([3600, 86400]),
  /** Out/in ratio from which a window is asymmetric. Web browsing runs near 0.1; 10 means the host mostly sent. */
  min_ratio: z.number().positive().default(10),
  /**
   * Bytes out a window must reach: 5 MiB is above API calls, telemetry and mail of a normal client in an hour,
   * and below what an exfiltration worth detecting moves (the seed's per-flow floor is 10 MB).
   */
  min_bytes_out: z.number().int().min(1).default(5 * 1024 * 1024),
  /** This many connections or more in one window, each small, make it "low and slow" (one more risk point). */
  low_and_slow_connections: z.number().int().min(2).default(20),
  /** Destinations in these networks are not exfiltration targets (backups and file servers inside the site). */
  internal_networks: z.array(z.string()).default([...DEFAULT_INTERNAL_NETWORKS]),
  /** Most (host, destination, window) entries kept at once; the oldest is evaluated and evicted beyond it (`flow-asymmetry.max_entries`). */
  max_entries: z.number().int().min(1).default(100_000),
  /** Evidence records kept per entry (the first ones), so a finding cites where its bytes came from. */
  max_evidence: z.number().int().min(1).default(5),
});

type Options = z.infer<typeof options>;

interface Volume {
  host: string;
  src_ip: string;
  dst_ip: string;
  window: number;
  start: number;
  ts_first: number;
  ts_last: number;
  bytes_out: number;
  bytes_in: number;
  connections: number;
  /** Bytes out by destination port, capped at a few ports. */
  ports: Map<number, number>;
  proto: Proto;
  evidence: Evidence[];
}

const MAX_PORTS = 8;

function create(o: Options, limits: AnomalyCounter): Detector {
  const isInternal = cidrMatcher(parseCidrs(o.internal_networks));
  const windows = [...new Set(o.window_seconds)].sort((a, b) => a - b);
  let emit: Emit = () => {};
  const state = new CappedMap<string, Volume>(o.max_entries, limits, 'flow-asymmetry.max_entries', (_key, volume) => evaluate(volume, emit, true));

  function evaluate(v: Volume, out: Emit, evicted = false): void {
    if (v.bytes_out < o.min_bytes_out) return;
    const ratio = v.bytes_out / Math.max(1, v.bytes_in);
    if (ratio < o.min_ratio) return;
    const [port] = [...v.ports.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [];
    const lowAndSlow = v.connections >= o.low_and_slow_connections;
    const risk = 5 + (v.bytes_out >= 10 * o.min_bytes_out ? 1 : 0) + (ratio >= 10 * o.min_ratio ? 1 : 0) + (lowAndSlow ? 1 : 0);
    const mib = (v.bytes_out / 1048576).toFixed(1);
    const finding: Finding = {
      id: findingId('flow-asymmetry', [v.host, v.dst_ip, v.window], v.start),
      technique: 'T1048',
      analytic: 'flow-asymmetry',
      risk,
      ts_start: v.ts_first,
      ts_end: v.ts_last,
      host: v.host,
      src_ip: v.src_ip,
      dst_ip: v.dst_ip,
      dst_port: port,
      proto: v.proto,
      bytes_out: v.bytes_out,
      bytes_in: v.bytes_in,
      reason:
        `${v.host} sent ${mib} MiB to ${v.dst_ip} and received ${v.bytes_in} bytes in ${v.connections} connection(s) ` +
        `within ${v.window / 3600} h (out/in ratio ${ratio >= 1e6 ? '>1e6' : ratio.toFixed(1)})` +
        (lowAndSlow ? ', many small uploads adding up' : '') + (evicted ? '; window cut short by the state cap' : ''),
      evidence: v.evidence,
      details: {
        window_seconds: v.window,
        window_start: v.start,
        ratio: Math.round(ratio * 100) / 100,
        connections: v.connections,
        ports: [...v.ports.keys()].map(String),
      },
    };
    out(finding);
  }

  function add(host: string, src_ip: string, dst_ip: string, dst_port: number | undefined, proto: Proto, ts: number, out: number, inb: number, evidence: Evidence): void {
    for (const window of windows) {
      const start = Math.floor(ts / window) * window;
      const key = `${host}\u0000${dst_ip}\u0000${window}`;
      let v = state.get(key);
      if (v !== undefined && v.start !== start) {
        // The key moved to a later (or, with unordered input, earlier) window: the old one is complete.
        state.delete(key);
        evaluate(v, emit);
        v = undefined;
      }
      if (v === undefined) {
        v = { host, src_ip, dst_ip, window, start, ts_first: ts, ts_last: ts, bytes_out: 0, bytes_in: 0, connections: 0, ports: new Map(), proto, evidence: [] };
        state.set(key, v);
      }
      v.bytes_out += out;
      v.bytes_in += inb;
      v.connections++;
      if (ts < v.ts_first) v.ts_first = ts;
      if (ts > v.ts_last) v.ts_last = ts;
      if (dst_port !== undefined && (v.ports.has(dst_port) || v.ports.size < MAX_PORTS)) v.ports.set(dst_port, (v.ports.get(dst_port) ?? 0) + out);
      if (v.evidence.length < o.max_evidence) v.evidence.push(evidence);
    }
  }

  return {
    onEvent(event: Event, out: Emit): void {
      if (event.kind !== 'flow' && event.kind !== 'firewall') return;
      const bytesOut = event.bytes_out;
      if (bytesOut === undefined || !Number.isFinite(bytesOut) || bytesOut < 0 || !Number.isFinite(event.ts)) return;
      const bytesIn = event.bytes_in !== undefined && Number.isFinite(event.bytes_in) && event.bytes_in > 0 ? event.bytes_in : 0;
      if (isInternal(event.dst_ip)) return;
      emit = out;
      const note = `${bytesOut} bytes out, ${bytesIn} in to ${event.dst_ip}${event.dst_port === undefined ? '' : ':' + event.dst_port}`;
      add(event.src_ip, event.src_ip, event.dst_ip, event.dst_port, event.proto, event.ts, bytesOut, bytesIn, { ...event.source, note });
    },
    snapshot(): unknown {
      return {
        entries: [...state.entries()].map(([key, v]) => [key, { ...v, ports: [...v.ports.entries()] }]),
      };
    },
    restore(snapshot: unknown): void {
      const saved = snapshot as { entries: [string, Omit<Volume, 'ports'> & { ports: [number, number][] }][] };
      state.clear();
      for (const [key, v] of saved.entries) state.set(key, { ...v, ports: new Map(v.ports) });
    },
    flush(out: Emit): void {
      const pending = [...state.entries()].map(([, v]) => v);
      pending.sort((a, b) => a.start - b.start || a.window - b.window || (a.host < b.host ? -1 : a.host > b.host ? 1 : a.dst_ip < b.dst_ip ? -1 : 1));
      for (const v of pending) evaluate(v, out);
      state.clear();
    },
  };
}

export const flowAsymmetry: DetectorSpec<Options> = {
  id: 'flow-asymmetry',
  description: 'A host sending far more than it receives to one destination over a window, summed across connections',
  consumes: ['flow', 'firewall'],
  options,
  create,
};
