// icmp-exfil: data in ICMP echo payloads, per (pinger, target) pair. Echo data is normally an OS default —
// iputils/BSD/macOS `ping`: a timestamp then bytes equal to their offset (0x10 0x11 … from offset 16); Windows:
// `abcdefghijklmnopqrstuvw` repeated (32 bytes); scanners and monitors: zeros or one repeated byte — or a fixed
// `ping -p` test pattern. Anything else, and a `-p` pattern that changes from packet to packet, is data. The
// data is reassembled in order (bounded) and inspected: ciphertext → T1048.001, readable → T1048.003. Echo
// request/reply asymmetry (requests unanswered, or replies that do not echo the request size) is reported as
// supporting evidence from the `icmp` events.
import { z } from 'zod';
import type { Event, IcmpEvent, PayloadEvent } from '../../core/events.js';
import type { Evidence, Finding } from '../../core/findings.js';
import { findingId } from '../../core/findings.js';
import type { AnomalyCounter } from '../../core/anomalies.js';
import { CappedMap } from '../state/capped-map.js';
import { inspectionShape, toInspectOptions } from '../../analysis/inspect-options.js';
import { inspect, inspectionDetails } from '../../analysis/inspect.js';
import { subTechnique } from '../../analysis/technique.js';
import type { DetectorSpec, Emit } from '../detector.js';

const ID = 'icmp-exfil';

const options = z.object({
  enabled: z.boolean().default(true),
  /** Echo requests with non-default data needed for a finding. */
  min_packets: z.number().int().positive().default(3),
  /** Non-default data bytes needed for a finding (a few pings with odd data are not exfiltration). */
  min_bytes: z.number().int().positive().default(128),
  /** Pairs tracked at once; the oldest is judged and dropped beyond it. */
  max_pairs: z.number().int().positive().default(10_000),
  /** Bytes of non-default data kept per pair for inspection. */
  max_content_bytes: z.number().int().positive().default(256 * 1024),
  /** Echo request sizes remembered per pair, to cut a conversation's concatenated data back into packets. */
  max_sizes: z.number().int().positive().default(65_536),
  /** Distinct `ping -p` patterns remembered per pair (a fixed test pattern is one). */
  max_patterns: z.number().int().positive().default(4_096),
  ...inspectionShape,
});

type Options = z.infer<typeof options>;

const ECHO_REQUEST = 8;
const ECHO_REPLY = 0;
const TIMESTAMP_BYTES = 16;
const MAX_PATTERN = 16; // iputils accepts up to 16 pattern bytes
const MAX_EVIDENCE = 3;
const WINDOWS_PATTERN = 'abcdefghijklmnopqrstuvw';

export type EchoData = 'empty' | 'os-default' | 'fill' | 'pattern' | 'custom';

/** Classifies one echo request's data; for `pattern`, `unit` is one period of the `ping -p` pattern. */
export function classifyEchoData(data: Uint8Array): { kind: EchoData; unit?: Uint8Array } {
  if (data.length === 0) return { kind: 'empty' };
  let offsets = true;
  let windows = true;
  let fill = true;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (i >= TIMESTAMP_BYTES && b !== (i & 0xff)) offsets = false;
    if (b !== WINDOWS_PATTERN.charCodeAt(i % WINDOWS_PATTERN.length)) windows = false;
    if (b !== data[0]) fill = false;
  }
  if (windows || (offsets && data.length > TIMESTAMP_BYTES)) return { kind: 'os-default' };
  if (fill) return { kind: 'fill' };
  // `ping -p`: after the timestamp, a pattern of at most 16 bytes repeats to the end.
  const tail = data.subarray(Math.min(TIMESTAMP_BYTES, data.length));
  for (let period = 1; period <= MAX_PATTERN && period * 2 <= tail.length; period++) {
    let repeats = true;
    for (let i = period; i < tail.length && repeats; i++) repeats = tail[i] === tail[i - period];
    if (repeats) {
      const offset = TIMESTAMP_BYTES % period;
      const unit = new Uint8Array(period);
      for (let j = 0; j < period; j++) unit[(j + offset) % period] = tail[j]!;
      return { kind: 'pattern', unit };
    }
  }
  return { kind: 'custom' };
}

interface Pair {
  pinger: string;
  target: string;
  host?: string;
  tsStart: number;
  tsEnd: number;
  requests: number;
  replies: number;
  requestBytes: number;
  replyBytes: number;
  dataPackets: number;
  dataBytes: number;
  sizes: Set<number>;
  /** Data sizes of the echo requests in arrival order, and how many a payload sample has consumed. */
  requestSizes: number[];
  consumed: number;
  patterns: Set<string>;
  firstPattern?: Uint8Array;
  content: Uint8Array[];
  contentBytes: number;
  evidence: Evidence[];
}

class IcmpExfil {
  private readonly pairs: CappedMap<string, Pair>;

  constructor(private readonly o: Options, limits: AnomalyCounter) {
    this.pairs = new CappedMap(o.max_pairs, limits, 'icmp-exfil.max_pairs');
  }

  onEvent(event: Event, emit: Emit): void {
    if (event.kind === 'icmp') this.count(event, emit);
    else if (event.kind === 'payload' && event.protocol === 'icmp' && event.direction === 'out') this.data(event, emit);
  }

  flush(emit: Emit): void {
    for (const [, pair] of this.pairs.drain()) this.report(pair, emit);
  }

  private pair(pinger: string, target: string, event: Event, emit: Emit): Pair {
    const key = `${pinger}|${target}`;
    const pair = this.pairs.upsert(key, () => {
      const created: Pair = {
        pinger, target, tsStart: event.ts, tsEnd: event.ts, requests: 0, replies: 0, requestBytes: 0, replyBytes: 0,
        dataPackets: 0, dataBytes: 0, sizes: new Set(), requestSizes: [], consumed: 0, patterns: new Set(), content: [], contentBytes: 0, evidence: [],
      };
      if (event.host !== undefined) created.host = event.host;
      return created;
    }, (_key, oldest) => {
      this.report(oldest, emit);
    });
    pair.tsEnd = Math.max(pair.tsEnd, event.ts);
    return pair;
  }

  private count(event: IcmpEvent, emit: Emit): void {
    if (event.icmp_type === ECHO_REQUEST) {
      const pair = this.pair(event.src_ip, event.dst_ip, event, emit);
      pair.requests++;
      pair.requestBytes += event.payload_len;
      if (pair.sizes.size < 64) pair.sizes.add(event.payload_len);
      if (pair.requestSizes.length < this.o.max_sizes) pair.requestSizes.push(event.payload_len);
    } else if (event.icmp_type === ECHO_REPLY) {
      const pair = this.pair(event.dst_ip, event.src_ip, event, emit);
      pair.replies++;
      pair.replyBytes += event.payload_len;
    }
  }

  /**
   * A payload sample may hold one echo's data or, from a capture, the concatenated data of a whole ICMP
   * conversation: the request sizes seen in `icmp` events cut it back into packets, in order.
   */
  private data(event: PayloadEvent, emit: Emit): void {
    const pair = this.pair(event.src_ip, event.dst_ip, event, emit);
    const bytes = event.sample.bytes;
    let at = 0;
    while (at < bytes.length) {
      const size = pair.consumed < pair.requestSizes.length ? pair.requestSizes[pair.consumed++]! : bytes.length - at;
      if (size === 0) continue;
      this.packet(pair, bytes.subarray(at, at + size), event);
      at += size;
    }
  }

  private packet(pair: Pair, bytes: Uint8Array, event: PayloadEvent): void {
    const { kind, unit } = classifyEchoData(bytes);
    if (kind === 'custom') this.carry(pair, bytes, event, kind);
    else if (kind === 'pattern') {
      const key = Buffer.from(unit!).toString('hex');
      if (pair.patterns.has(key) || pair.patterns.size >= this.o.max_patterns) return;
      pair.patterns.add(key);
      // The first pattern may be a fixed test pattern; a second distinct one means the patterns are the data.
      if (pair.patterns.size === 1) {
        pair.firstPattern = unit!;
        return;
      }
      if (pair.firstPattern !== undefined) {
        this.carry(pair, pair.firstPattern, event, kind);
        pair.firstPattern = undefined;
      }
      this.carry(pair, unit!, event, kind);
    }
  }

  private carry(pair: Pair, carried: Uint8Array, event: PayloadEvent, kind: EchoData): void {
    pair.dataPackets++;
    pair.dataBytes += carried.length;
    if (pair.contentBytes + carried.length <= this.o.max_content_bytes) {
      pair.content.push(carried);
      pair.contentBytes += carried.length;
    }
    if (pair.evidence.length < MAX_EVIDENCE) pair.evidence.push({ ...event.source, note: `echo request with ${kind} data, ${carried.length} bytes` });
  }

  private report(pair: Pair, emit: Emit): void {
    const patternOnly = pair.patterns.size === pair.dataPackets;
    if (pair.dataPackets < this.o.min_packets || pair.dataBytes < this.o.min_bytes) return;
    const content = Buffer.concat(pair.content);
    const found = inspect(new Uint8Array(content.buffer, content.byteOffset, content.byteLength), content.length, toInspectOptions(this.o));
    const technique = subTechnique({ encryptedTransport: false, content: found.verdict });
    const unanswered = pair.requests - pair.replies;
    const finding: Finding = {
      id: findingId(ID, [pair.pinger, pair.target], pair.tsStart),
      technique,
      analytic: ID,
      risk: Math.min(10, (found.verdict === 'ciphertext' ? 8 : 7) + (pair.dataBytes > 10_000 ? 1 : 0)),
      ts_start: pair.tsStart,
      ts_end: pair.tsEnd,
      src_ip: pair.pinger,
      dst_ip: pair.target,
      proto: 'icmp',
      bytes_out: pair.requestBytes > 0 ? pair.requestBytes : pair.dataBytes,
      reason: `${pair.dataPackets} ICMP echo requests from ${pair.pinger} to ${pair.target} carry ${patternOnly ? 'changing ping -p patterns' : 'non-default data'} (${pair.dataBytes} bytes); the data is ${found.verdict}${found.fingerprint ? ` (${found.fingerprint.name})` : ''}`,
      evidence: pair.evidence,
      details: {
        protocol: 'icmp',
        direction: 'out',
        echo_requests: pair.requests,
        echo_replies: pair.replies,
        unanswered_requests: unanswered,
        request_bytes: pair.requestBytes,
        reply_bytes: pair.replyBytes,
        data_packets: pair.dataPackets,
        data_bytes: pair.dataBytes,
        distinct_sizes: pair.sizes.size,
        carrier: patternOnly ? 'ping-pattern' : 'payload',
        ...inspectionDetails(found),
        ...(this.pairs.evictions > 0 ? { pairs_evicted_so_far: this.pairs.evictions } : {}),
      },
    };
    if (pair.host !== undefined) finding.host = pair.host;
    emit(finding);
  }
}

export const icmpExfil: DetectorSpec<Options> = {
  id: ID,
  description: 'Data in ICMP echo payloads beyond OS defaults (custom data, changing ping -p patterns), with content verdict',
  consumes: ['icmp', 'payload'],
  options,
  create: (o, limits) => new IcmpExfil(o, limits),
};
