// Seed analytic 4, "large outbound over alternative protocols": connections to FTP, SMTP, DNS, NetBIOS/SMB
// ports that each carry more than 10 MB out, repeated (≥ 3) between the same host and destination port within
// a window and adding up to more than 50 MB. Ports where bulk uploads are unusual make volume meaningful.
import { z } from 'zod';
import type { AnomalyCounter } from '../../core/anomalies.js';
import type { FirewallEvent, FlowEvent, Proto } from '../../core/events.js';
import type { Evidence, Finding } from '../../core/findings.js';
import { findingId } from '../../core/findings.js';
import type { Detector, DetectorSpec } from '../detector.js';
import { CappedMap } from '../state/capped-map.js';

const ID = 'seed-alt-protocol-volume';
const MB = 1_000_000;

export const options = z.strictObject({
  enabled: z.boolean().default(true),
  /** Seed: FTP 21, SMTP 25, DNS 53, NetBIOS 139, SMB 445, submission 587, FTPS 990. */
  ports: z.array(z.number().int().min(0).max(65535)).default([21, 25, 53, 139, 445, 587, 990]),
  /** Seed: a connection counts when it sends more than 10 MB (decimal megabytes: 10 000 000 bytes). */
  min_connection_bytes_out: z.number().int().min(0).default(10 * MB),
  /** Seed: at least 3 such connections… */
  min_connections: z.number().int().min(1).default(3),
  /** Seed: …adding up to more than 50 MB (risk 8)… */
  min_total_bytes_out: z.number().int().min(0).default(50 * MB),
  /** Seed: …and risk 9 above 100 MB. */
  high_risk_total_bytes_out: z.number().int().min(0).default(100 * MB),
  /** Not fixed by the seed: the connections must fall within this many seconds of each other. */
  window_seconds: z.number().positive().default(3600),
  /** Cap on (host, destination, port) keys tracked at once; the oldest is evaluated early when hit. */
  max_keys: z.number().int().min(1).default(100_000),
  /** Cap on qualifying connections remembered per key (the earliest are evaluated first when hit). */
  max_connections_per_key: z.number().int().min(3).default(10_000),
});
type Options = z.infer<typeof options>;

interface Connection {
  ts: number;
  bytesOut: number;
  bytesIn: number;
  evidence: Evidence;
}

interface Key {
  host: string;
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  proto: Proto;
  connections: Connection[];
}

function finding(o: Options, key: Key, run: Connection[]): Finding {
  const bytesOut = run.reduce((n, c) => n + c.bytesOut, 0);
  const bytesIn = run.reduce((n, c) => n + c.bytesIn, 0);
  const first = run[0]!.ts;
  const last = run[run.length - 1]!.ts;
  return {
    id: findingId(ID, [key.src_ip, key.dst_ip, key.dst_port], first),
    // The seed files this analytic under T1048.001; volume alone cannot show the encryption (see README).
    technique: 'T1048.001',
    analytic: ID,
    risk: bytesOut > o.high_risk_total_bytes_out ? 9 : 8,
    ts_start: first,
    ts_end: last,
    host: key.host,
    src_ip: key.src_ip,
    dst_ip: key.dst_ip,
    dst_port: key.dst_port,
    proto: key.proto,
    bytes_out: bytesOut,
    bytes_in: bytesIn,
    reason: `${key.src_ip} sent ${(bytesOut / MB).toFixed(1)} MB to ${key.dst_ip}:${key.dst_port} in ${run.length} connections of more than ${(o.min_connection_bytes_out / MB).toFixed(0)} MB each within ${Math.round(last - first)} s`,
    evidence: run.slice(0, 50).map((c) => c.evidence),
    details: { connections: run.length, window_seconds: o.window_seconds },
  };
}

/**
 * Finds, in time order, maximal runs of connections that fit in the window and pass both thresholds;
 * each run becomes one finding and the scan resumes after it.
 */
export function qualifyingRuns(o: Options, connections: Connection[]): Connection[][] {
  const sorted = [...connections].sort((a, b) => a.ts - b.ts);
  const runs: Connection[][] = [];
  let left = 0;
  let sum = 0;
  for (let right = 0; right < sorted.length; right++) {
    sum += sorted[right]!.bytesOut;
    while (sorted[right]!.ts - sorted[left]!.ts > o.window_seconds) sum -= sorted[left++]!.bytesOut;
    if (right - left + 1 >= o.min_connections && sum > o.min_total_bytes_out) {
      // Extend while later connections still fall in the window of this run's first connection.
      let end = right;
      while (end + 1 < sorted.length && sorted[end + 1]!.ts - sorted[left]!.ts <= o.window_seconds) end++;
      runs.push(sorted.slice(left, end + 1));
      left = end + 1;
      right = end;
      sum = 0;
    }
  }
  return runs;
}

function create(o: Options, limits: AnomalyCounter): Detector {
  const ports = new Set(o.ports);
  const keys = new CappedMap<string, Key>(o.max_keys, limits, `${ID}.max_keys`);
  const evaluate = (key: Key, emit: (f: Finding) => void): void => {
    for (const run of qualifyingRuns(o, key.connections)) emit(finding(o, key, run));
  };
  return {
    onEvent(ev, emit) {
      const event = ev as FlowEvent | FirewallEvent;
      const bytesOut = event.bytes_out;
      if (bytesOut === undefined || bytesOut <= o.min_connection_bytes_out) return;
      if (event.dst_port === undefined || !ports.has(event.dst_port)) return;
      const id = `${event.src_ip}|${event.dst_ip}|${event.dst_port}`;
      const key = keys.upsert(
        id,
        () => ({ host: event.host ?? event.src_ip, src_ip: event.src_ip, dst_ip: event.dst_ip, dst_port: event.dst_port!, proto: event.proto, connections: [] }),
        (_, evicted) => evaluate(evicted, emit),
      );
      if (key.connections.length >= o.max_connections_per_key) {
        limits.add(`${ID}.max_connections_per_key`);
        evaluate(key, emit);
        key.connections = [];
      }
      key.connections.push({ ts: event.ts, bytesOut, bytesIn: event.bytes_in ?? 0, evidence: { ...event.source, note: `${bytesOut} bytes out` } });
    },
    flush(emit) {
      for (const [, key] of keys.drain()) evaluate(key, emit);
    },
  };
}

export const seedAltProtocolVolume: DetectorSpec<Options> = {
  id: ID,
  description: 'Seed analytic 4: repeated large uploads over FTP, SMTP, DNS or SMB ports',
  consumes: ['flow', 'firewall'],
  options,
  create,
};
