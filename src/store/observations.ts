// What one input adds to the store besides findings: baseline sightings (hosts, destinations, per-process
// network use), host-side connections for process attribution, and file names seen leaving. Accumulated in
// bounded Maps while the input is read, then written in the same transaction as its findings and checkpoint.
import { AnomalyCounter } from '../core/anomalies.js';
import type { Event, ProcessRef, Source } from '../core/events.js';
import { inAny, parseCidrs, type Cidr } from '../core/cidr.js';
import type { CorrelateOptions } from '../correlate/options.js';
import { baseName } from '../correlate/paths.js';

export interface Sighting {
  first: number;
  last: number;
  count: number;
}

export interface ConnectionRow {
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  ts: number;
  host?: string;
  process?: ProcessRef;
  source: Source;
}

export interface TransferRow {
  src_ip: string;
  dst_ip: string;
  name: string;
  ts: number;
  size?: number;
  protocol: string;
}

const SEP = '\u0000';

function sight(map: Map<string, Sighting>, key: string, ts: number): boolean {
  const s = map.get(key);
  if (s !== undefined) {
    if (ts < s.first) s.first = ts;
    if (ts > s.last) s.last = ts;
    s.count++;
    return true;
  }
  return false;
}

export class Observations {
  readonly hosts = new Map<string, Sighting>();
  /** Key: host, destination (IP or domain), port (0 for a domain). */
  readonly destinations = new Map<string, Sighting>();
  /** Key: host, process image. */
  readonly processes = new Map<string, Sighting>();
  /** Key: the connection row's primary key, so one input's repeats collapse. */
  readonly connections = new Map<string, ConnectionRow>();
  readonly transfers = new Map<string, TransferRow>();

  /** Caps hit while observing (`correlate.*_capped`), added to the input's health when it is committed. */
  readonly anomalies = new AnomalyCounter();

  private readonly internalNetworks: Cidr[];

  constructor(private readonly options: CorrelateOptions) {
    this.internalNetworks = parseCidrs(options.internal_networks);
  }

  observe(event: Event): void {
    if (!Number.isFinite(event.ts)) return;
    switch (event.kind) {
      case 'flow':
      case 'firewall':
        this.contact(this.internal(event.src_ip), event.dst_ip, event.dst_port ?? 0, event.ts);
        break;
      case 'net_conn': {
        const host = event.host ?? event.src_ip;
        this.contact(host, event.dst_ip, event.dst_port, event.ts);
        if (event.dst_hostname !== undefined) this.contact(host, event.dst_hostname.toLowerCase(), 0, event.ts);
        if (event.process?.image !== undefined) this.count(this.processes, host + SEP + event.process.image.toLowerCase(), event.ts);
        this.connection(event.host, event);
        break;
      }
      case 'dns':
        this.contact(this.internal(event.src_ip), event.query.toLowerCase(), 0, event.ts);
        break;
      case 'tls':
        if (event.server_name !== undefined) this.contact(this.internal(event.src_ip), event.server_name.toLowerCase(), 0, event.ts);
        break;
      case 'http':
        if (event.host_header !== undefined) this.contact(this.internal(event.src_ip), event.host_header.toLowerCase(), 0, event.ts);
        if ((event.method === 'POST' || event.method === 'PUT') && event.uri !== undefined) {
          const path = event.uri.split('?', 1)[0]!;
          if (path.length > 1) this.transfer(event.src_ip, event.dst_ip, baseName(path), event.ts, event.request_body_len, 'http');
        }
        break;
      case 'ftp':
        if ((event.command === 'STOR' || event.command === 'APPE' || event.command === 'STOU') && event.arg !== undefined) {
          this.transfer(event.src_ip, event.dst_ip, baseName(event.arg), event.ts, event.file_size, 'ftp');
        }
        break;
      case 'smtp':
        for (const attachment of event.attachments ?? []) {
          if (attachment.name !== undefined) this.transfer(event.src_ip, event.dst_ip, baseName(attachment.name), event.ts, attachment.size, 'smtp');
        }
        break;
      case 'file_transfer':
        if (event.is_orig === true && event.filename !== undefined && event.src_ip !== undefined && event.dst_ip !== undefined) {
          this.transfer(event.src_ip, event.dst_ip, baseName(event.filename), event.ts, event.total_bytes ?? event.seen_bytes, event.protocol ?? 'unknown');
        }
        break;
      default:
        break;
    }
  }

  /**
   * Network records are keyed by their source address (a sensor's or firewall's own name is not the host that
   * talked); host telemetry by host name. Sources outside the internal networks are inbound traffic, not a host's
   * destinations.
   */
  private internal(address: string): string | undefined {
    return inAny(this.internalNetworks, address) ? address : undefined;
  }

  private contact(host: string | undefined, dst: string, port: number, ts: number): void {
    if (host === undefined || dst === '') return;
    this.count(this.hosts, host, ts);
    this.count(this.destinations, host + SEP + dst + SEP + port, ts);
  }

  private count(map: Map<string, Sighting>, key: string, ts: number): void {
    if (sight(map, key, ts)) return;
    if (this.hosts.size + this.destinations.size + this.processes.size >= this.options.max_baseline_entries_per_input) {
      this.anomalies.add('correlate.baseline_capped');
      return;
    }
    map.set(key, { first: ts, last: ts, count: 1 });
  }

  private connection(host: string | undefined, e: Extract<Event, { kind: 'net_conn' }>): void {
    const key = [e.src_ip, e.dst_ip, e.dst_port, e.ts, e.src_port].join(SEP);
    if (this.connections.has(key)) return;
    if (this.connections.size >= this.options.max_connections_per_input) {
      this.anomalies.add('correlate.connections_capped');
      return;
    }
    this.connections.set(key, { src_ip: e.src_ip, src_port: e.src_port, dst_ip: e.dst_ip, dst_port: e.dst_port, ts: e.ts, host, process: e.process, source: e.source });
  }

  private transfer(src_ip: string, dst_ip: string, name: string, ts: number, size: number | undefined, protocol: string): void {
    if (name === '' || name === '.' || name === '/') return;
    const key = [src_ip, dst_ip, name, ts].join(SEP);
    if (this.transfers.has(key)) return;
    if (this.transfers.size >= this.options.max_transfers_per_input) {
      this.anomalies.add('correlate.transfers_capped');
      return;
    }
    this.transfers.set(key, { src_ip, dst_ip, name, ts, size, protocol });
  }
}

export const splitKey = (key: string): string[] => key.split(SEP);
