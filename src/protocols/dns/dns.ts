// DNS analyzers for UDP datagrams and TCP streams (RFC 1035 §4.2.2: two-byte length prefix per message),
// producing Zeek dns.log semantics: one event per query, completed by its response (matched on
// transaction id) or logged unanswered when the conversation ends. Pending queries are bounded per
// connection; each is on two lists, its transaction id's and the arrival order's, so a response finds its
// query and the oldest is dropped at the bound without a scan.
import type { DnsEvent } from '../../core/events.js';
import type { AnalyzerContext, AppProtocol, DatagramAnalyzer, Direction, StreamAnalyzer } from '../analyzer.js';
import { emitPayload } from '../common/payload.js';
import type { DnsLimits, DnsMessage, DnsReport } from './message.js';
import { DEFAULT_DNS_LIMITS, parseDnsMessage } from './message.js';
import { qtypeName, rcodeName } from './names.js';

/** A query awaiting its response, linked into its id's chain and the arrival list (both oldest first). */
interface Pending {
  ts: number;
  query: DnsMessage;
  sameId: Pending | undefined;
  older: Pending | undefined;
  newer: Pending | undefined;
}

/** Shared by the UDP and TCP front ends: decodes messages and pairs queries with responses. */
class DnsConversation {
  /** The oldest pending query of each transaction id; the others follow through `sameId`. */
  private readonly pending = new Map<number, Pending>();
  private oldest: Pending | undefined;
  private newest: Pending | undefined;
  private pendingCount = 0;
  private first = true;

  /** NetBIOS name service (RFC 1002) shares DNS's message format; its names are encoded. */
  private readonly netbios: boolean;
  private readonly report: DnsReport;
  /** Removed on a protocol violation: later messages are not read. */
  private removed = false;

  constructor(private readonly ctx: AnalyzerContext, private readonly limits: DnsLimits) {
    this.netbios = ctx.conn.dst_port === NETBIOS_NS_PORT || ctx.conn.src_port === NETBIOS_NS_PORT;
    this.report = { anomaly: (code) => ctx.anomaly(code), limitReached: (code, detail) => ctx.limitReached(code, detail) };
  }

  message(dir: Direction, bytes: Uint8Array, ts: number): void {
    if (this.removed) return;
    // Zeek turns the connection round when its first message is a response from the originator, before
    // reading the rest of it.
    if (this.first && dir === 'orig' && bytes.length >= HEADER_BYTES && (bytes[2]! & QR_RESPONSE) !== 0) this.ctx.flip();
    this.first = false;
    const msg = parseDnsMessage(bytes, this.limits, this.report);
    if (msg === undefined) return;
    if (msg.questions > this.limits.max_questions) {
      // Zeek takes so many questions for traffic that is not DNS (DNS_Conn_count_too_large).
      const detail = `${msg.questions} > ${this.limits.max_questions}`;
      this.ctx.limitReached('dns.too_many_questions', detail);
      this.removed = this.ctx.violation('dns', 'dns.violation', detail);
      return;
    }
    this.ctx.confirm('dns');
    for (const txt of msg.txt) emitPayload(this.ctx, ts, dir, { protocol: 'dns', context: 'dns.txt' }, { bytes: txt, total: txt.length });
    if (!msg.response) {
      this.sampleName(msg, dir, ts);
      this.addPending(msg, ts);
      return;
    }
    // A response answers the pending query with its id and the same question; unsolicited mDNS answers
    // (id 0, another name) stay separate rows, as in Zeek.
    let before: Pending | undefined;
    let query = this.pending.get(msg.id);
    while (query !== undefined && query.query.question?.name !== msg.question?.name) {
      before = query;
      query = query.sameId;
    }
    if (query !== undefined) this.unlink(query, before);
    // A response repeats its query's name: sampled again only when the query was not seen.
    else this.sampleName(msg, dir, ts);
    this.emit(query?.ts ?? ts, query?.query, msg);
  }

  /** The question's name, as sent on the wire, for content analysis (names can carry encoded data). */
  private sampleName(msg: DnsMessage, dir: Direction, ts: number): void {
    if (msg.question === undefined || msg.question.raw.length === 0) return;
    emitPayload(this.ctx, ts, dir, { protocol: 'dns', context: 'dns.qname' }, { bytes: msg.question.raw, total: msg.question.raw.length });
  }

  end(): void {
    for (const head of this.pending.values()) for (let p: Pending | undefined = head; p !== undefined; p = p.sameId) this.emit(p.ts, p.query, undefined);
    this.pending.clear();
    this.oldest = this.newest = undefined;
    this.pendingCount = 0;
  }

  private addPending(msg: DnsMessage, ts: number): void {
    if (this.pendingCount >= this.limits.max_pending_queries) {
      this.ctx.anomaly('dns.too_many_pending');
      const oldest = this.oldest;
      if (oldest !== undefined) {
        // The first query to arrive is also the first of its id's chain.
        this.unlink(oldest, undefined);
        this.emit(oldest.ts, oldest.query, undefined);
      }
    }
    const pending: Pending = { ts, query: msg, sameId: undefined, older: this.newest, newer: undefined };
    if (this.newest === undefined) this.oldest = pending;
    else this.newest.newer = pending;
    this.newest = pending;
    const first = this.pending.get(msg.id);
    if (first === undefined) this.pending.set(msg.id, pending);
    else {
      let last = first;
      while (last.sameId !== undefined) last = last.sameId;
      last.sameId = pending;
    }
    this.pendingCount++;
  }

  /** Takes a query off both lists; `before` is the query ahead of it on its id's chain (none for the first). */
  private unlink(p: Pending, before: Pending | undefined): void {
    if (before !== undefined) before.sameId = p.sameId;
    else if (p.sameId !== undefined) this.pending.set(p.query.id, p.sameId);
    else this.pending.delete(p.query.id);
    if (p.older === undefined) this.oldest = p.newer;
    else p.older.newer = p.newer;
    if (p.newer === undefined) this.newest = p.older;
    else p.newer.older = p.older;
    this.pendingCount--;
  }

  private emit(ts: number, query: DnsMessage | undefined, response: DnsMessage | undefined): void {
    // Zeek takes the query name from the response when the query was not seen, or from the first answer
    // when there is no question at all; the query type only from a query.
    let name = query?.question?.name ?? response?.question?.name ?? response?.firstOwner ?? '';
    if (this.netbios) name = decodeNetbiosName(name);
    // connFields spelled out: one object per query instead of a second one spread into it.
    const { uid, src_ip, src_port, dst_ip, dst_port, proto } = this.ctx.conn;
    const event: DnsEvent = {
      kind: 'dns', ts, host: src_ip, source: this.ctx.source(), uid, src_ip, src_port, dst_ip, dst_port, proto, trans_id: (query ?? response)!.id, query: name,
    };
    if (query?.question !== undefined) {
      event.qtype = query.question.qtype;
      event.qtype_name = qtypeName(query.question.qtype);
    }
    if (response !== undefined) {
      event.rcode = response.rcode;
      event.rcode_name = rcodeName(response.rcode);
      if (response.answers.length > 0) {
        event.answers = response.answers;
        event.ttls = response.ttls;
      }
    }
    this.ctx.emit(event);
  }
}

const NETBIOS_NS_PORT = 137;
const HEADER_BYTES = 12;
/** The QR bit of the header's flags (RFC 1035 §4.1.1): set in responses. */
const QR_RESPONSE = 0x80;

/**
 * RFC 1001 §14.1 first-level decoding as Zeek's decode_netbios_name does it: pairs of letters `A`–`P` are
 * nibbles of 16 bytes; the name is the first 15 (the 16th is the service suffix) up to the first byte that
 * is not a letter, digit or punctuation (the space padding).
 */
function decodeNetbiosName(name: string): string {
  let out = '';
  for (let i = 0; i < 15; i++) {
    const hi = name.charCodeAt(2 * i) & ~0x20;
    const lo = name.charCodeAt(2 * i + 1) & ~0x20;
    if (!(hi >= 0x41 && hi <= 0x50 && lo >= 0x41 && lo <= 0x50)) break;
    const byte = ((hi - 0x41) << 4) | (lo - 0x41);
    if (byte >= 3 && (byte <= 0x20 || byte >= 0x7f)) break;
    out += String.fromCharCode(byte);
  }
  return out;
}

class DnsDatagramAnalyzer implements DatagramAnalyzer {
  private readonly conversation: DnsConversation;

  constructor(ctx: AnalyzerContext, limits: DnsLimits) {
    this.conversation = new DnsConversation(ctx, limits);
  }

  datagram(dir: Direction, bytes: Uint8Array, ts: number): void {
    this.conversation.message(dir, bytes, ts);
  }

  end(): void {
    this.conversation.end();
  }
}

/** Reassembles length-prefixed messages per direction; the 16-bit prefix bounds each buffer to 64 KiB. */
class DnsStreamAnalyzer implements StreamAnalyzer {
  private readonly conversation: DnsConversation;
  private readonly buffers: Record<Direction, { data: Uint8Array; have: number; prefix: boolean }> = {
    orig: { data: new Uint8Array(2), have: 0, prefix: true },
    resp: { data: new Uint8Array(2), have: 0, prefix: true },
  };
  private readonly lost: Record<Direction, boolean> = { orig: false, resp: false };

  constructor(private readonly ctx: AnalyzerContext, limits: DnsLimits) {
    this.conversation = new DnsConversation(ctx, limits);
  }

  data(dir: Direction, bytes: Uint8Array, ts: number): void {
    if (this.lost[dir]) return;
    const buf = this.buffers[dir];
    let pos = 0;
    while (pos < bytes.length) {
      const take = Math.min(buf.data.length - buf.have, bytes.length - pos);
      buf.data.set(bytes.subarray(pos, pos + take), buf.have);
      buf.have += take;
      pos += take;
      if (buf.have < buf.data.length) break;
      if (buf.prefix) {
        const length = (buf.data[0]! << 8) | buf.data[1]!;
        buf.data = new Uint8Array(length);
        buf.have = 0;
        buf.prefix = false;
        if (length > 0) continue;
      } else this.conversation.message(dir, buf.data, ts);
      buf.data = new Uint8Array(2);
      buf.have = 0;
      buf.prefix = true;
    }
  }

  gap(dir: Direction): void {
    // Message boundaries cannot be found again after a gap: stop reading this direction.
    this.ctx.anomaly('dns.content_gap');
    this.lost[dir] = true;
  }

  end(): void {
    this.conversation.end();
  }
}

/** DNS over UDP (port 53, NetBIOS name service 137, mDNS 5353, LLMNR 5355) and TCP (port 53). */
export function dnsProtocols(limits: DnsLimits = DEFAULT_DNS_LIMITS): AppProtocol[] {
  const ports = new Set([53, 137, 5353, 5355]);
  return [
    {
      name: 'dns', transport: 'udp',
      matches: (conn) => ports.has(conn.dst_port) || ports.has(conn.src_port),
      create: (ctx) => new DnsDatagramAnalyzer(ctx, limits),
      sessionTimeout: limits.session_timeout,
    },
    {
      name: 'dns', transport: 'tcp',
      matches: (conn) => conn.dst_port === 53,
      create: (ctx) => new DnsStreamAnalyzer(ctx, limits),
    },
  ];
}
