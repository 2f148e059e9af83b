// flow-asymmetry: per (source host, destination) and per configured window, sums bytes sent and received over
// every connection record that carries byte counts (flows from captures and Zeek conn.log, firewall logs with
// bytes), so many small uploads add up ("low and slow"), and reports a window where the host sent far more than it
// received. Clients normally receive more than they send; exfiltration inverts that (ATT&CK T1048 detection:
// "uncommon data flows … a client sending significantly more data than it receives from a server").
import { z } from 'zod';
import type { AnomalyCounter } from '../../core/anomalies.js';
import { CappedMap } from '../state/capped-map.js';
import { DEFAULT_INTERNAL_NETWORKS, cidrMatcher, parseCidrs } from '../../core/cidr.js';
import type { Event, FirewallEvent, FlowEvent, Proto } from '../../core/events.js';
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
  /**
   * Most (host, destination) pairs kept at once, each with one entry per window; the oldest pair is evaluated and
   * evicted beyond it (`flow-asymmetry.max_entries`).
   */
  max_entries: z.number().int().min(1).default(100_000),
  /** Evidence records kept per entry (the first ones), so a finding cites where its bytes came from. */
  max_evidence: z.number().int().min(1).default(5),
});

type Options = z.infer<typeof options>;

/** The records with byte counts this detector sums. */
type ConnectionEvent = FlowEvent | FirewallEvent;

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

/** The key a volume was saved under in snapshots, one per (host, destination, window). */
function snapshotKey(v: Volume): string {
  return `${v.host}\u0000${v.dst_ip}\u0000${v.window}`;
}

function create(o: Options, limits: AnomalyCounter): Detector {
  const isInternal = cidrMatcher(parseCidrs(o.internal_networks));
  const windows = [...new Set(o.window_seconds)].sort((a, b) => a - b);
  let emit: Emit = () => {};
  // One entry per (host, destination): its volume in each window, in the order of `windows`.
  const state = new CappedMap<string, (Volume | undefined)[]>(o.max_entries, limits, 'flow-asymmetry.max_entries', (_key, volumes) => {
    for (const v of volumes) if (v !== undefined) evaluate(v, emit, true);
  });

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

  /** Adds one connection to each window of its pair; the evidence is built only while a window still keeps some. */
  function add(event: ConnectionEvent, out: number, inb: number): void {
    const { src_ip: host, dst_ip, dst_port, ts } = event;
    const key = `${host}\u0000${dst_ip}`;
    let volumes = state.get(key);
    if (volumes === undefined) {
      volumes = windows.map(() => undefined);
      state.set(key, volumes);
    }
    let evidence: Evidence | undefined;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      const start = Math.floor(ts / window) * window;
      let v = volumes[i];
      if (v !== undefined && v.start !== start) {
        // The pair moved to a later (or, with unordered input, earlier) window: the old one is complete.
        evaluate(v, emit);
        v = undefined;
      }
      if (v === undefined) {
        v = { host, src_ip: host, dst_ip, window, start, ts_first: ts, ts_last: ts, bytes_out: 0, bytes_in: 0, connections: 0, ports: new Map(), proto: event.proto, evidence: [] };
        volumes[i] = v;
      }
      v.bytes_out += out;
      v.bytes_in += inb;
      v.connections++;
      if (ts < v.ts_first) v.ts_first = ts;
      if (ts > v.ts_last) v.ts_last = ts;
      if (dst_port !== undefined && (v.ports.has(dst_port) || v.ports.size < MAX_PORTS)) v.ports.set(dst_port, (v.ports.get(dst_port) ?? 0) + out);
      if (v.evidence.length < o.max_evidence) {
        evidence ??= { ...event.source, note: `${out} bytes out, ${inb} in to ${dst_ip}${dst_port === undefined ? '' : ':' + dst_port}` };
        v.evidence.push(evidence);
      }
    }
  }

  function allVolumes(): Volume[] {
    return [...state.entries()].flatMap(([, vs]) => vs.filter((v): v is Volume => v !== undefined));
  }

  return {
    onEvent(event: Event, out: Emit): void {
      if (event.kind !== 'flow' && event.kind !== 'firewall') return;
      const bytesOut = event.bytes_out;
      if (bytesOut === undefined || !Number.isFinite(bytesOut) || bytesOut < 0 || !Number.isFinite(event.ts)) return;
      const bytesIn = event.bytes_in !== undefined && Number.isFinite(event.bytes_in) && event.bytes_in > 0 ? event.bytes_in : 0;
      if (isInternal(event.dst_ip)) return;
      emit = out;
      add(event, bytesOut, bytesIn);
    },
    snapshot(): unknown {
      return { entries: allVolumes().map((v) => [snapshotKey(v), { ...v, ports: [...v.ports.entries()] }]) };
    },
    restore(snapshot: unknown): void {
      const saved = snapshot as { entries: [string, Omit<Volume, 'ports'> & { ports: [number, number][] }][] };
      state.clear();
      for (const [, volume] of saved.entries) {
        const i = windows.indexOf(volume.window);
        if (i < 0) continue;
        const key = `${volume.host}\u0000${volume.dst_ip}`;
        const pair = state.get(key) ?? windows.map(() => undefined);
        pair[i] = { ...volume, ports: new Map(volume.ports) };
        state.set(key, pair);
      }
    },
    flush(out: Emit): void {
      const pending = allVolumes();
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
