// Builds packets and capture files byte by byte for tests: Ethernet/IPv4/IPv6/TCP/UDP frames, classic pcap
// (either byte order, µs or ns) and pcapng blocks, so each test states exactly the bytes it feeds in.
import { InputError } from '../src/core/errors.js';
import type { Event, FlowEvent } from '../src/core/events.js';
import { newInputHealth, type InputHealth } from '../src/core/health.js';
import type { AppProtocol } from '../src/protocols/analyzer.js';
import { captureEvents, captureOptions, type CaptureOptions } from '../src/readers/capture/capture-reader.js';

export interface TcpSpec {
  src?: string;
  dst?: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: string;
  payload?: Uint8Array | string;
  window?: number;
  options?: number[];
}

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20 };

export function bytes(input: Uint8Array | string | undefined): Uint8Array {
  if (input === undefined) return new Uint8Array(0);
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

export function tcpSegment(spec: TcpSpec): Uint8Array {
  const payload = bytes(spec.payload);
  const options = spec.options ?? [];
  const headerLength = 20 + Math.ceil(options.length / 4) * 4;
  const out = new Uint8Array(headerLength + payload.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, spec.sport);
  view.setUint16(2, spec.dport);
  view.setUint32(4, spec.seq >>> 0);
  view.setUint32(8, (spec.ack ?? 0) >>> 0);
  out[12] = (headerLength / 4) << 4;
  out[13] = [...spec.flags].reduce((acc, f) => acc | (FLAG_BITS[f] ?? 0), 0);
  view.setUint16(14, spec.window ?? 65535);
  out.set(options, 20);
  out.set(payload, headerLength);
  return out;
}

export function udpDatagram(sport: number, dport: number, payload: Uint8Array | string, lengthField?: number): Uint8Array {
  const body = bytes(payload);
  const out = new Uint8Array(8 + body.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, sport);
  view.setUint16(2, dport);
  view.setUint16(4, lengthField ?? 8 + body.length);
  out.set(body, 8);
  return out;
}

export interface Ipv4Spec {
  src: string;
  dst: string;
  proto: number;
  id?: number;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  more?: boolean;
  ihl?: number;
  totalLength?: number;
}

export function ipv4(spec: Ipv4Spec, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const view = new DataView(out.buffer);
  out[0] = 0x40 | (spec.ihl ?? 5);
  view.setUint16(2, spec.totalLength ?? out.length);
  view.setUint16(4, spec.id ?? 1);
  view.setUint16(6, ((spec.more ?? false) ? 0x2000 : 0) | ((spec.fragOffset ?? 0) / 8));
  out[8] = 64;
  out[9] = spec.proto;
  out.set(ipv4Bytes(spec.src), 12);
  out.set(ipv4Bytes(spec.dst), 16);
  out.set(payload, 20);
  return out;
}

/** IPv6 with optional extension headers given as [nextHeaderCode, bodyBytes (length multiple of 8 minus 2)]. */
export function ipv6(src: Uint8Array, dst: Uint8Array, proto: number, payload: Uint8Array, extensions: [number, Uint8Array][] = []): Uint8Array {
  const ext: number[] = [];
  const chain = [...extensions.map(([code]) => code), proto];
  extensions.forEach(([, body], i) => {
    const total = body.length + 2;
    ext.push(chain[i + 1]!, total / 8 - 1, ...body);
  });
  const out = new Uint8Array(40 + ext.length + payload.length);
  const view = new DataView(out.buffer);
  out[0] = 0x60;
  view.setUint16(4, ext.length + payload.length);
  out[6] = chain[0]!;
  out[7] = 64;
  out.set(src, 8);
  out.set(dst, 24);
  out.set(ext, 40);
  out.set(payload, 40 + ext.length);
  return out;
}

/** An Ethernet frame with a VLAN tag per TPID in `vlans`, the tags' IDs from `vlanIds` (5 where not given). */
export function ethernet(payload: Uint8Array, ethertype = 0x0800, vlans: number[] = [], vlanIds: number[] = []): Uint8Array {
  const out = new Uint8Array(14 + 4 * vlans.length + payload.length);
  out.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  let at = 12;
  vlans.forEach((tpid, i) => {
    const id = vlanIds[i] ?? 5;
    out[at] = tpid >> 8;
    out[at + 1] = tpid & 0xff;
    out[at + 2] = id >> 8;
    out[at + 3] = id & 0xff;
    at += 4;
  });
  out[at] = ethertype >> 8;
  out[at + 1] = ethertype & 0xff;
  out.set(payload, at + 2);
  return out;
}

/** An Ethernet/IPv4/TCP frame. */
export function tcpFrame(spec: TcpSpec): Uint8Array {
  return ethernet(ipv4({ src: spec.src ?? '10.0.0.1', dst: spec.dst ?? '10.0.0.2', proto: 6 }, tcpSegment(spec)));
}

export function udpFrame(src: string, dst: string, sport: number, dport: number, payload: Uint8Array | string): Uint8Array {
  return ethernet(ipv4({ src, dst, proto: 17 }, udpDatagram(sport, dport, payload)));
}

export interface CaptureRecord {
  ts: number;
  data: Uint8Array;
  /** Original length, when not the captured length. */
  wire?: number;
}

/** A classic pcap file. */
export function pcap(records: CaptureRecord[], options: { linktype?: number; bigEndian?: boolean; nanos?: boolean; snaplen?: number } = {}): Uint8Array {
  const le = options.bigEndian !== true;
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(24));
  header.setUint32(0, options.nanos === true ? 0xa1b23c4d : 0xa1b2c3d4, le);
  header.setUint16(4, 2, le);
  header.setUint16(6, 4, le);
  header.setUint32(16, options.snaplen ?? 65535, le);
  header.setUint32(20, options.linktype ?? 1, le);
  parts.push(new Uint8Array(header.buffer));
  const perSecond = options.nanos === true ? 1e9 : 1e6;
  for (const r of records) {
    const h = new DataView(new ArrayBuffer(16));
    const sec = Math.floor(r.ts);
    h.setUint32(0, sec, le);
    h.setUint32(4, Math.round((r.ts - sec) * perSecond), le);
    h.setUint32(8, r.data.length, le);
    h.setUint32(12, r.wire ?? r.data.length, le);
    parts.push(new Uint8Array(h.buffer), r.data);
  }
  return concat(parts);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One pcapng block with body padded to 4 bytes. */
export function pcapngBlock(type: number, body: Uint8Array, le = true): Uint8Array {
  const padded = Math.ceil(body.length / 4) * 4;
  const total = 12 + padded;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, le);
  view.setUint32(4, total, le);
  out.set(body, 8);
  view.setUint32(total - 4, total, le);
  return out;
}

export function shb(le = true): Uint8Array {
  const body = new DataView(new ArrayBuffer(16));
  body.setUint32(0, 0x1a2b3c4d, le);
  body.setUint16(4, 1, le);
  body.setInt32(8, -1, le);
  body.setInt32(12, -1, le);
  return pcapngBlock(0x0a0d0d0a, new Uint8Array(body.buffer), le);
}

export function idb(linktype: number, le = true, tsresol?: number): Uint8Array {
  const options = tsresol === undefined ? [] : [9, 0, 1, 0, tsresol, 0, 0, 0, 0, 0, 0, 0];
  if (!le && tsresol !== undefined) [options[0], options[1], options[2], options[3]] = [0, 9, 0, 1];
  const body = new Uint8Array(8 + options.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, linktype, le);
  view.setUint32(4, 65535, le);
  body.set(options, 8);
  return pcapngBlock(1, body, le);
}

/** Enhanced Packet Block with a timestamp in the interface's units. */
export function epb(iface: number, ticks: bigint, data: Uint8Array, le = true, wire?: number): Uint8Array {
  const body = new Uint8Array(20 + data.length);
  const view = new DataView(body.buffer);
  view.setUint32(0, iface, le);
  view.setUint32(4, Number(ticks >> 32n), le);
  view.setUint32(8, Number(ticks & 0xffffffffn), le);
  view.setUint32(12, data.length, le);
  view.setUint32(16, wire ?? data.length, le);
  body.set(data, 20);
  return pcapngBlock(6, body, le);
}

export function spb(data: Uint8Array, le = true): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  new DataView(body.buffer).setUint32(0, data.length, le);
  body.set(data, 4);
  return pcapngBlock(3, body, le);
}

/** A TCP conversation: handshake, data each way, FIN exchange. Returns frames with timestamps. */
export function tcpConversation(opts: { client?: string; server?: string; sport?: number; dport?: number; isn?: number; serverIsn?: number; request?: string | Uint8Array; response?: string | Uint8Array; t0?: number }): CaptureRecord[] {
  const client = opts.client ?? '10.0.0.1';
  const server = opts.server ?? '10.0.0.2';
  const sport = opts.sport ?? 40000;
  const dport = opts.dport ?? 80;
  const c = opts.isn ?? 1000;
  const s = opts.serverIsn ?? 5000;
  const req = bytes(opts.request ?? 'hello');
  const resp = bytes(opts.response ?? 'world!');
  const t = opts.t0 ?? 1_700_000_000;
  const up = (seq: number, ack: number, flags: string, payload?: Uint8Array) => tcpFrame({ src: client, dst: server, sport, dport, seq, ack, flags, payload });
  const down = (seq: number, ack: number, flags: string, payload?: Uint8Array) => tcpFrame({ src: server, dst: client, sport: dport, dport: sport, seq, ack, flags, payload });
  return [
    { ts: t, data: up(c, 0, 'S') },
    { ts: t + 0.1, data: down(s, c + 1, 'SA') },
    { ts: t + 0.2, data: up(c + 1, s + 1, 'A') },
    { ts: t + 0.3, data: up(c + 1, s + 1, 'PA', req) },
    { ts: t + 0.4, data: down(s + 1, c + 1 + req.length, 'PA', resp) },
    { ts: t + 0.5, data: up(c + 1 + req.length, s + 1 + resp.length, 'FA') },
    { ts: t + 0.6, data: down(s + 1 + resp.length, c + 2 + req.length, 'FA') },
    { ts: t + 0.7, data: up(c + 2 + req.length, s + 2 + resp.length, 'A') },
  ];
}

/** Runs the capture reader over in-memory bytes (fed in chunks of `chunk` bytes to exercise buffering). */
export async function runCapture(
  data: Uint8Array,
  options: Partial<CaptureOptions> = {},
  protocols: readonly AppProtocol[] = [],
  chunk = 7919,
): Promise<{ events: Event[]; health: InputHealth; batches: number }> {
  const health = newInputHealth('test.pcap');
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let at = 0; at < data.length; at += chunk) yield data.subarray(at, at + chunk);
  }
  const events: Event[] = [];
  let batches = 0;
  const ctx = { path: 'test.pcap', health, limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: 1000 }, options: captureOptions.parse(options) };
  try {
    for await (const batch of captureEvents(chunks(), ctx, protocols)) {
      events.push(...batch);
      batches++;
    }
  } catch (err) {
    health.error = err instanceof InputError ? err.located : String(err);
  }
  return { events, health, batches };
}

export function flows(events: readonly Event[]): FlowEvent[] {
  return events.filter((e): e is FlowEvent => e.kind === 'flow');
}

/** Fills the IPv4 header checksum and the TCP/UDP checksum of an IPv4 packet (RFC 1071), in place. */
export function fillChecksums(ip: Uint8Array): Uint8Array {
  const view = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  const hl = (ip[0]! & 0x0f) * 4;
  const fold = (sum: number) => {
    while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
    return ~sum & 0xffff;
  };
  const words = (from: number, to: number) => {
    let sum = 0;
    for (let i = from; i < to; i += 2) sum += (ip[i]! << 8) | (i + 1 < to ? ip[i + 1]! : 0);
    return sum;
  };
  view.setUint16(10, 0);
  view.setUint16(10, fold(words(0, hl)));
  const proto = ip[9]!;
  const at = proto === 6 ? hl + 16 : hl + 6;
  view.setUint16(at, 0);
  view.setUint16(at, fold(words(12, 20) + proto + (ip.length - hl) + words(hl, ip.length)));
  return ip;
}
