// What the correlator needs to know beyond the findings: baselines, host-side connections, file names seen
// leaving, and the allow-list. The store answers these from SQLite; tests answer them from memory.
import type { ProcessRef, Source } from '../core/events.js';

export interface AttributedConnection {
  host?: string;
  process?: ProcessRef;
  ts: number;
}

export interface SeenTransfer {
  name: string;
  size?: number;
  protocol: string;
  ts: number;
}

export type AllowKind = 'cidr' | 'domain' | 'process' | 'user' | 'analytic';
export const ALLOW_KINDS: readonly AllowKind[] = ['cidr', 'domain', 'process', 'user', 'analytic'];

export interface AllowEntry {
  id: number;
  kind: AllowKind;
  value: string;
  comment?: string;
}

/** A process whose first network use came after its host's baseline was established. */
export interface NewNetworkProcess {
  host: string;
  /** Lower-cased image path, as the baseline keys it. */
  image: string;
  first_seen: number;
  host_first_seen: number;
  process?: ProcessRef;
  source?: Source;
  src_ip?: string;
  dst_ip?: string;
  dst_port?: number;
}

export interface CorrelationContext {
  /** Earliest event time the baseline holds for this host, if any. */
  hostFirstSeen(host: string): number | undefined;
  /** Earliest event time this host talked to this destination (IP or domain, any port). */
  destinationFirstSeen(host: string, dst: string): number | undefined;
  /** How many distinct hosts the baseline has seen talking to this destination. */
  prevalence(dst: string): number;
  /** Earliest event time this process image used the network on this host. */
  processNetworkFirstSeen(host: string, image: string): number | undefined;
  /** The host-side connection for this flow: same endpoints, start within `tolerance` seconds; closest wins. */
  attribute(flow: { src_ip: string; src_port?: number; dst_ip: string; dst_port?: number; ts: number }, tolerance: number): AttributedConnection | undefined;
  /** The host name host telemetry reported for this address closest to `ts`. */
  hostForIp(ip: string, ts: number): string | undefined;
  /** File names seen leaving from src to dst in [from, to]. */
  transfers(src_ip: string, dst_ip: string, from: number, to: number): SeenTransfer[];
  allowList(): AllowEntry[];
}
