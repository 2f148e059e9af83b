// The packet-capture reader (pcap and pcapng, optionally gzip/zstd-compressed): frames records, decodes
// packets, runs them through the flow table and yields the resulting flow, application and payload events
// in batches. Every limit is a key of config section `readers.pcap` with a counter that says when it hit.
import { z } from 'zod';
import type { Event } from '../../core/events.js';
import type { AppProtocol } from '../../protocols/analyzer.js';
import { decodeLink, type DecodeContext, type TransportPacket } from '../../protocols/decode.js';
import { FlowTable, LIKELY_SERVER_PORTS } from '../../protocols/flows/flow-table.js';
import { FragmentReassembler } from '../../protocols/fragments.js';
import { APP_PROTOCOLS, appProtocols } from '../../protocols/index.js';
import { appProtocolOptions } from '../../protocols/options.js';
import type { ByteStream } from '../io/open.js';
import type { ReadContext, Reader } from '../reader.js';
import { CaptureFramer, MAX_RECORD_BYTES, captureFormatOf } from './framing.js';

const count = (fallback: number, min = 0) => z.number().int().min(min).default(fallback);

export const captureOptions = z.strictObject({
  max_flows: count(200_000, 1).describe('connections tracked at once (about 3 KiB each); least recently active evicted first (flow.evicted)'),
  tcp_inactivity_timeout: count(300, 1).describe("seconds; Zeek's tcp_inactivity_timeout"),
  udp_inactivity_timeout: count(60, 1).describe("seconds; Zeek's udp_inactivity_timeout"),
  icmp_inactivity_timeout: count(60, 1).describe("seconds; Zeek's icmp_inactivity_timeout"),
  tcp_attempt_delay: count(5, 1).describe("seconds an unanswered SYN's connection lives; Zeek's tcp_attempt_delay"),
  tcp_close_delay: count(5, 0).describe("seconds a closed connection lingers; Zeek's tcp_close_delay"),
  max_buffered_bytes: count(1 << 20, 0).describe('out-of-order bytes buffered per TCP direction (tcp.reassembly_overflow)'),
  overlap_window: count(1500, 0).describe('delivered bytes kept per direction to detect retransmissions with different data'),
  inspect_depth: count(10 << 20, 0).describe('bytes per direction given to application analyzers (tcp.inspect_depth_reached)'),
  payload_sample_bytes: count(4096, 0).describe('bytes per direction sampled into payload events'),
  max_expected: count(1000, 1).describe('pending expected connections such as FTP data channels (flow.expected_dropped)'),
  checksums: z.enum(['ignore', 'verify']).default('ignore').describe('verify IP/TCP/UDP/ICMP checksums and ignore bad packets (decode.bad_checksum); off by default because captures taken on a sending host carry offloaded, unfilled checksums'),
  max_tunnel_depth: count(4, 0).describe("tunnel layers decapsulated; the connection carrying a deeper one gains X in its history (decode.tunnel_depth_exceeded); Zeek's Tunnel::max_depth (4)"),
  max_tunnel_changes: count(5, 0).describe("changes of the tunnels around a connection followed; the next one marks its history with X (flow.tunnel_changes_exceeded); Zeek's Tunnel::max_changes_per_connection (5)"),
  likely_server_ports: z.array(z.number().int().min(0).max(65535)).max(65536).default([...LIKELY_SERVER_PORTS]).describe("ports taken as the server side of a connection first seen mid-way; Zeek's likely_server_ports"),
  delay_teredo_confirmation: z.boolean().default(true).describe("name Teredo as a connection's service only once both directions carried it; Zeek's Tunnel::delay_teredo_confirmation"),
  ignore_violations_after: count(10_240, 0).describe("payload bytes of a connection after which a protocol violation no longer removes its analyzer; Zeek's DPD::ignore_violations_after"),
  track_removed_services: z.boolean().default(false).describe("keep a service removed on a protocol violation in conn.log, followed by `-service`; Zeek's DPD::track_removed_services_in_connection"),
  conn_key: z.enum(['five-tuple', 'vlan-five-tuple']).default('five-tuple').describe("what tells connections apart: addresses, ports and protocol, or those and the 802.1Q/802.1ad VLAN IDs (outer and inner); Zeek's ConnKey::factory, vlan-five-tuple as its policy/frameworks/conn_key/vlan_fivetuple"),
  max_fragment_trackers: count(65_535, 1).describe('IP datagrams reassembled at once (defrag.trackers_evicted)'),
  fragment_timeout: count(60, 1).describe('seconds a fragmented datagram may wait (defrag.timeout)'),
  max_fragments: count(256, 1).describe('fragments kept per datagram (defrag.too_many_fragments)'),
  protocols: appProtocolOptions.prefault({}),
});

export type CaptureOptions = z.infer<typeof captureOptions>;

/** Capture bytes framed and decoded between two hand-overs of events. */
const BATCH_BYTES = 256 * 1024;
/** Bytes of a chunk joined to the previous chunk's cut-off tail: a whole pcap record at most. */
const JOIN_BYTES = MAX_RECORD_BYTES + 16;

/** Packets (decoded and run through the flow table) into events; shared by the reader and `exfilscope logs`. */
export async function* captureEvents(
  stream: ByteStream,
  ctx: ReadContext<CaptureOptions>,
  protocols: readonly AppProtocol[] = APP_PROTOCOLS,
): AsyncIterable<Event[]> {
  const { health, options } = ctx;
  const anomalies = health.anomalies;
  let batch: Event[] = [];
  const flows = new FlowTable({
    limits: options,
    anomalies,
    protocols,
    emit: (event) => batch.push(event),
    reader: 'pcap',
    path: ctx.path,
  });
  const decode: DecodeContext = {
    anomalies,
    fragments: new FragmentReassembler(
      { max_trackers: options.max_fragment_trackers, timeout: options.fragment_timeout, max_fragments: options.max_fragments },
      anomalies,
    ),
    now: 0,
    verifyChecksums: options.checksums === 'verify',
  };
  let snaplenNoted = false;
  const framer = new CaptureFramer(ctx.path, anomalies, (record) => {
    decode.now = flows.clock(record.ts, record.offset);
    decode.bigEndianHost = record.bigEndian;
    if (!snaplenNoted && record.data.length < record.wireLength) {
      snaplenNoted = true;
      health.notes.push('snaplen-limited capture: payload truncated; volumes come from IP/TCP lengths');
    }
    // Tunnels are peeled iteratively: each layer's packet is processed, then its inner frame decoded; frames
    // carried beside a packet (A-MSDU subframes) wait on a stack made only when there are some.
    let linktype = record.linktype;
    let data = record.data;
    let depth = 0;
    let encapsulation: string | undefined;
    let alongside: { linktype: number; data: Uint8Array; depth: number; encapsulation: string | undefined }[] | undefined;
    for (;;) {
      const packet = decodeLink(linktype, data, decode);
      let inner = packet?.inner;
      if (packet !== undefined) {
        if (encapsulation !== undefined) packet.encapsulation = encapsulation;
        const cut = inner !== undefined && depth >= options.max_tunnel_depth;
        if (cut) packet.tunnelCut = true;
        if (packet.encapsulationOnly !== true) flows.process(packet, record.ts);
        if (packet.alongside !== undefined) (alongside ??= []).push({ ...packet.alongside, depth, encapsulation });
        if (cut) {
          anomalies.add('decode.tunnel_depth_exceeded', { offset: record.offset });
          inner = undefined;
        }
        if (inner !== undefined) encapsulation = `${encapsulation ?? ''}${tunnelLayer(packet)};`;
      }
      if (inner !== undefined) {
        ({ linktype, data } = inner);
        depth++;
        continue;
      }
      const next = alongside?.pop();
      if (next === undefined) break;
      ({ linktype, data, depth, encapsulation } = next);
    }
  });
  let base = 0;
  /**
   * Frames `buf` (input from offset `base`) a slice at a time, each slice's events handed on at once: small
   * batches are garbage before the next young-generation collection instead of being promoted. Returns
   * the bytes consumed (whole units) and advances `base` past them.
   */
  function* frame(buf: Buffer): Generator<Event[], number> {
    let used = 0;
    for (;;) {
      const end = Math.min(buf.length, used + BATCH_BYTES);
      let n = framer.parse(buf.subarray(used, end), base + used);
      if (n === 0 && end < buf.length) n = framer.parse(buf.subarray(used), base + used); // a unit longer than a slice
      used += n;
      health.bytes = base + used;
      health.records = framer.records;
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      if (n === 0 || used === buf.length) break;
    }
    base += used;
    return used;
  }
  let leftover: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      let rest = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      if (leftover.length > 0) {
        // The unit cut at the chunk boundary is completed from the head of this chunk: only that much is
        // copied, not the whole chunk (unless the unit is longer than the head).
        const joined = yield* frame(Buffer.concat([leftover, rest.subarray(0, JOIN_BYTES)]));
        rest = joined > leftover.length ? rest.subarray(joined - leftover.length) : Buffer.concat([leftover.subarray(joined), rest]);
      }
      const used = yield* frame(rest);
      // Copy the tail so a small leftover does not pin the whole chunk.
      leftover = Buffer.from(rest.subarray(used));
    }
    const note = framer.finish(leftover.length, base);
    if (note !== undefined) health.notes.push(note);
    health.bytes = base + leftover.length;
  } finally {
    // Connections seen before an unreadable tail are still reported.
    health.records = framer.records;
    flows.flushAll();
    if (batch.length > 0) yield batch;
  }
}

/**
 * One tunnel layer as Zeek tells encapsulations apart, the same both ways round: a UDP tunnel by its type and
 * connection endpoints; GRE and IP-in-IP (also GRE carried in UDP) by the outer addresses only.
 */
function tunnelLayer(packet: TransportPacket): string {
  const udp = packet.tunnel !== undefined;
  const a = udp ? `${packet.src}|${packet.sport}` : packet.src;
  const b = udp ? `${packet.dst}|${packet.dport}` : packet.dst;
  return `${packet.tunnel ?? 'ip'}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
}

export const captureReader: Reader<CaptureOptions> = {
  name: 'pcap',
  description: 'packet captures: pcap (µs/ns, either byte order) and pcapng',
  options: captureOptions,
  sniff: (head) => captureFormatOf(head) !== undefined,
  events: (stream, ctx) => captureEvents(stream, ctx, appProtocols(ctx.options.protocols)),
};
