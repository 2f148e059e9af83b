// The connection table: turns decoded packets into connections with Zeek's conn.log semantics (who is the
// originator, duration, byte counts from sequence numbers, missed bytes, packet and IP-byte counts,
// conn_state and history), reassembles each TCP direction for the application analyzers, and emits a
// `flow` event when a connection ends (closed, timed out, evicted or at end of input). Connections no
// analyzer takes, or only an identifier (identify/), get `payload` events: a bounded sample per direction
// plus the total byte count. Analyzers report limits reached (history `X`, as Zeek's LimitReachedWeird) and
// protocol violations (the analyzer is removed and its service withdrawn, as Zeek's DPD does).
// State is bounded: at most `max_flows` connections (least recently active evicted first, counted), each
// TCP direction buffering at most `max_buffered_bytes` out of order. Expiry runs on network time clamped to
// be monotonic, so timestamps jumping backwards can neither mass-expire nor immortalise state.
// Documented handling of TCP evasions: overlapping data keeps the first copy (see reassembly.ts); data on a
// RST is never delivered; a new SYN with another ISN on a closed (or not yet answered) connection starts a
// new connection, as Zeek's IsReuse decides; the urgent pointer is not interpreted (urgent bytes stay inline);
// TTLs are not compared, so TTL-limited injection is not detected. Gaps before an analyzer has been chosen
// (no bytes seen yet) count in missed_bytes but are not reported to the analyzer.
import type { AnomalyCode, AnomalyCounter } from '../../core/anomalies.js';
import type { Event, FlowEvent, Proto, Source } from '../../core/events.js';
import type { AnalyzerContext, AnalyzerFactory, AppProtocol, ConnectionInfo, DatagramAnalyzer, Direction, StreamAnalyzer } from '../analyzer.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TransportPacket } from '../decode.js';
import { ConnectionIndex } from './connection-index.js';
import { StreamReassembler } from './reassembly.js';
import { TcpEndpoint, TcpState, TOO_LARGE_SEQ_DELTA, unwrap } from './tcp-endpoint.js';

export interface FlowLimits {
  /** Connections tracked at once; the least recently active is ended early beyond this (`flow.evicted`). */
  max_flows: number;
  /** Zeek's tcp_inactivity_timeout (5 min). */
  tcp_inactivity_timeout: number;
  /** Zeek's udp_inactivity_timeout (1 min). */
  udp_inactivity_timeout: number;
  /** Zeek's icmp_inactivity_timeout (1 min). */
  icmp_inactivity_timeout: number;
  /** Zeek's tcp_attempt_delay: an unanswered SYN's connection ends this long after the SYN. */
  tcp_attempt_delay: number;
  /** Zeek's tcp_close_delay: a closed or reset connection lingers this long for stray packets. */
  tcp_close_delay: number;
  /** Out-of-order bytes buffered per TCP direction (`tcp.reassembly_overflow`). */
  max_buffered_bytes: number;
  /** Delivered bytes kept per direction to compare retransmissions with (`tcp.overlap_diff_data`). */
  overlap_window: number;
  /** Bytes per direction handed to application analyzers; volume is still counted past it (`tcp.inspect_depth_reached`). */
  inspect_depth: number;
  /** Bytes sampled per direction for `payload` events of connections no analyzer takes. */
  payload_sample_bytes: number;
  /** Pending expected connections (FTP data channels) (`flow.expected_dropped`). */
  max_expected: number;
  /** Ports that mark a likely server when a connection is first seen mid-way (Zeek's likely_server_ports). */
  likely_server_ports: readonly number[];
  /** Zeek's Tunnel::delay_teredo_confirmation: `teredo` is a service once both directions carried it. */
  delay_teredo_confirmation: boolean;
  /** Zeek's Tunnel::max_changes_per_connection: further changes of a connection's tunnels mark its history with X. */
  max_tunnel_changes: number;
  /** Zeek's DPD::ignore_violations_after: protocol violations later than this many payload bytes keep the analyzer. */
  ignore_violations_after: number;
  /** Zeek's DPD::track_removed_services_in_connection: a service removed on a violation stays, followed by `-service`. */
  track_removed_services: boolean;
  /** Zeek's ConnKey::factory: `vlan-five-tuple` adds the VLAN tags to the connection key (vlan_fivetuple policy). */
  conn_key: 'five-tuple' | 'vlan-five-tuple';
}

/** Ports a full Zeek's analyzers register (its likely_server_ports), used to guess the responder of a partial connection. */
export const LIKELY_SERVER_PORTS: readonly number[] = [
  20, 21, 22, 23, 25, 53, 67, 69, 80, 88, 110, 111, 123, 135, 137, 138, 139, 143, 161, 162, 179, 389, 443, 445, 464,
  465, 500, 502, 514, 587, 636, 853, 989, 990, 992, 993, 995, 1080, 1194, 1434, 1723, 1812, 1813, 2123, 2152, 2404,
  3128, 3306, 3389, 3478, 3544, 4500, 4789, 5060, 5061, 5353, 5355, 5672, 6081, 6379, 6666, 6667, 6697,
  8000, 8080, 8081, 8443, 8888, 9092, 20000, 47808,
];

/** ICMP message types that answer each other; Zeek keys an ICMP "connection" on (type, counterpart). */
const ICMP4_PAIRS = new Map([[8, 0], [0, 8], [13, 14], [14, 13], [15, 16], [16, 15], [17, 18], [18, 17], [10, 9], [9, 10]]);
const ICMP6_PAIRS = new Map([[128, 129], [129, 128], [130, 131], [131, 130], [133, 134], [134, 133], [135, 136], [136, 135], [139, 140], [140, 139], [144, 145], [145, 144], [146, 147], [147, 146]]);

type Analyzer = StreamAnalyzer | DatagramAnalyzer;

interface Side {
  pkts: number;
  ipBytes: number;
  /** UDP/ICMP payload bytes (TCP uses sequence numbers instead). */
  bytes: number;
  active: boolean;
  missed: number;
  delivered: number;
  sample: Uint8Array | undefined;
  sampled: number;
}

function newSide(): Side {
  return { pkts: 0, ipBytes: 0, bytes: 0, active: false, missed: 0, delivered: 0, sample: undefined, sampled: 0 };
}

class Connection {
  readonly info: ConnectionInfo;
  /** Address bytes of each side (4 or 16), found by the endpoint index. */
  origAddress: Uint8Array;
  respAddress: Uint8Array;
  hash = 0;
  sameHash: Connection | undefined;
  /** The VLAN tags that are part of the key (`conn_key: vlan-five-tuple`), else 0. */
  vlanKey = 0;
  history = '';
  private histSeen = 0;
  /** Directions that carried a tunnel's packets: 1 originator, 2 responder. */
  private tunnelSides = 0;
  /** The tunnels around the connection's last packet (TransportPacket.encapsulation), and how often they changed. */
  encapsulation: string | undefined;
  tunnelChanges = 0;
  service: string[] = [];
  orig = newSide();
  resp = newSide();
  tcpOrig: TcpEndpoint | undefined;
  tcpResp: TcpEndpoint | undefined;
  streams: [StreamReassembler, StreamReassembler] | undefined;
  analyzer: Analyzer | undefined;
  /** An analyzer removed on a protocol violation: it gets no more bytes, only its `end`. */
  removedAnalyzer: Analyzer | undefined;
  analyzerDecided = false;
  /** Payload is sampled for `payload` events: no analyzer took the connection, or one that only identifies it. */
  sampling = true;
  /** Set when the connection has fully closed or been reset: it is removed after tcp_close_delay. */
  removeAt = Infinity;
  /** Neighbours in the table's activity list (least recently active first). */
  older: Connection | undefined;
  newer: Connection | undefined;
  alive = true;
  /** When an unanswered SYN gives up (Zeek's tcp_attempt_delay after the SYN). */
  attemptDeadline = Infinity;
  /** The analyzer's session timeout (AppProtocol.sessionTimeout) and when it is next checked. */
  sessionTimeout = 0;
  sessionCheckAt = Infinity;
  firstSource: Source;
  /**
   * A TCP connection first seen mid-stream (no SYN): Zeek's application analyzers skip those
   * (TCP_ApplicationAnalyzer's IsPartial), so it names no service, though we still parse it for content.
   */
  partial = false;

  constructor(
    readonly ipProto: number,
    info: ConnectionInfo,
    readonly start: number,
    source: Source,
    origAddress: Uint8Array,
    respAddress: Uint8Array,
  ) {
    this.info = info;
    this.origAddress = origAddress;
    this.respAddress = respAddress;
    this.last = start;
    this.firstSource = source;
  }

  last: number;

  /** Zeek's Connection::CheckHistory: each event letter once per side (upper case orig, lower case resp). */
  checkHistory(mask: number, code: string, isOrig: boolean): boolean {
    const bit = isOrig ? mask : mask << 16;
    if ((this.histSeen & bit) === 0) {
      this.histSeen |= bit;
      this.history += isOrig ? code : code.toLowerCase();
      return false;
    }
    return true;
  }

  /** Zeek confirms a tunnel on its first packet, a delayed Teredo confirmation once both directions carried it. */
  confirmTunnel(tunnel: string, isOrig: boolean, delayTeredo: boolean): void {
    this.tunnelSides |= isOrig ? 1 : 2;
    if (!this.service.includes(tunnel) && (tunnel !== 'teredo' || !delayTeredo || this.tunnelSides === 3)) this.service.push(tunnel);
  }

  addHistory(code: string, isOrig: boolean): void {
    this.history += isOrig ? code : code.toLowerCase();
  }
}

const HIST_SYN = 0x1, HIST_FIN = 0x2, HIST_RST = 0x4, HIST_FIN_RST = 0x8, HIST_DATA = 0x10, HIST_ACK = 0x20, HIST_MULTI = 0x40;
const HIST_UDP_DATA = 0x100, HIST_CORRUPT = 0x200, HIST_LIMIT = 0x400;

export interface FlowTableOptions {
  limits: FlowLimits;
  anomalies: AnomalyCounter;
  protocols: readonly AppProtocol[];
  emit: (event: Event) => void;
  /** The reader name and path for evidence pointers. */
  reader: string;
  path: string;
}

interface Expectation {
  src_ip?: string;
  until: number;
  create: AnalyzerFactory;
}

export class FlowTable {
  /** Lookup by endpoints; activity order is kept in a linked list (a Map iterated after many deletions is slow). */
  private readonly conns = new ConnectionIndex<Connection>();
  private readonly expected = new Map<string, Expectation>();
  private readonly limits: FlowLimits;
  private readonly anomalies: AnomalyCounter;
  private now = -Infinity;
  private lastSweep = -Infinity;
  private uidCounter = 0;
  /**
   * Activity lists per timeout class (TCP, UDP, other), least recently active first: within a class the
   * inactivity timeout is the same, so expiry stops at the first live connection and eviction is O(1).
   */
  private readonly lists = [new ActivityList(), new ActivityList(), new ActivityList()];
  /** Shorter per-connection timers, in deadline order (each is now + a constant). */
  private timers: { at: number; conn: Connection }[] = [];
  private timerHead = 0;
  private currentOffset = 0;

  private readonly serverPorts: ReadonlySet<number>;
  private readonly vlanKeyed: boolean;

  constructor(private readonly options: FlowTableOptions) {
    this.limits = options.limits;
    this.serverPorts = new Set(options.limits.likely_server_ports);
    this.vlanKeyed = options.limits.conn_key === 'vlan-five-tuple';
    this.anomalies = options.anomalies;
  }

  get size(): number {
    return this.conns.size;
  }

  /** Network time: the largest packet time seen, so it never runs backwards. */
  clock(ts: number, offset: number): number {
    this.currentOffset = offset;
    if (ts < this.now) this.anomalies.addAt('pcap.ts_non_monotonic', offset);
    else this.now = ts;
    if (this.now - this.lastSweep >= 1) {
      this.lastSweep = this.now;
      this.sweep();
    }
    return this.now;
  }

  private source(): Source {
    return { reader: this.options.reader, path: this.options.path, offset: this.currentOffset };
  }

  process(p: TransportPacket, ts: number): void {
    let sport = p.sport;
    let dport = p.dport;
    if (p.proto === IPPROTO_ICMP || p.proto === IPPROTO_ICMPV6) {
      const pairs = p.proto === IPPROTO_ICMP ? ICMP4_PAIRS : ICMP6_PAIRS;
      dport = pairs.get(p.sport) ?? p.dport;
    }
    const vlanKey = this.vlanKeyed ? p.vlanTags : 0;
    const hash = this.conns.hash(p.proto, p.addresses, p.addressLength, p.srcAt, sport, p.dstAt, dport, vlanKey);
    let conn = this.conns.chain(hash);
    let isOrig = true;
    for (; conn !== undefined; conn = conn.sameHash) {
      if (conn.ipProto !== p.proto || conn.vlanKey !== vlanKey || conn.origAddress.length !== p.addressLength) continue;
      if (conn.info.src_port === sport && conn.info.dst_port === dport && sameAddress(conn.origAddress, p, p.srcAt) && sameAddress(conn.respAddress, p, p.dstAt)) break;
      if (conn.info.src_port === dport && conn.info.dst_port === sport && sameAddress(conn.origAddress, p, p.dstAt) && sameAddress(conn.respAddress, p, p.srcAt)) {
        isOrig = false;
        break;
      }
    }
    if (conn !== undefined && (ts > conn.removeAt || this.attemptExpired(conn, ts) || this.isReuse(conn, p) || (ts >= conn.sessionCheckAt && sessionEnded(conn, ts)))) {
      this.finish(conn);
      conn = undefined;
    }
    if (conn === undefined) {
      ({ conn, isOrig } = this.create(p, sport, dport, hash, ts));
      conn.vlanKey = vlanKey;
    } else {
      this.listOf(conn).touch(conn);
      if (conn.encapsulation !== p.encapsulation) this.encapsulationChanged(conn, p.encapsulation);
    }
    if (p.headerTruncated === true) return;
    if (p.badChecksum === true) {
      // Zeek notes a corrupt packet in the history and otherwise ignores it.
      conn.checkHistory(HIST_CORRUPT, 'C', isOrig);
      return;
    }
    const side = isOrig ? conn.orig : conn.resp;
    side.pkts++;
    side.ipBytes += p.ipLength;
    side.active = true;
    if (p.proto === IPPROTO_TCP) this.tcp(conn, p, isOrig, ts);
    else {
      conn.last = Math.max(conn.last, ts);
      if (p.proto !== IPPROTO_TCP && protoName(p.proto) !== 'unknown') side.bytes += p.payloadLength;
      if (p.proto === IPPROTO_UDP) conn.checkHistory(HIST_UDP_DATA, 'D', isOrig);
      if (p.payload.length > 0) this.datagram(conn, isOrig, p.payload, ts);
      if (p.tunnel !== undefined) this.tunnelCarried(conn, p, isOrig);
    }
  }

  /** A datagram carrying a tunnel names it as the service; past the decapsulation depth it is a limit reached. */
  private tunnelCarried(conn: Connection, p: TransportPacket, isOrig: boolean): void {
    if (p.tunnelCut === true) conn.checkHistory(HIST_LIMIT, 'X', true);
    else conn.confirmTunnel(p.tunnel!, isOrig, this.limits.delay_teredo_confirmation);
  }

  /** Zeek's Connection::CheckEncapsulation: changes of the tunnels around a connection are followed up to a limit. */
  private encapsulationChanged(conn: Connection, encapsulation: string | undefined): void {
    conn.encapsulation = encapsulation;
    if (++conn.tunnelChanges > this.limits.max_tunnel_changes && !conn.checkHistory(HIST_LIMIT, 'X', true)) {
      this.anomalies.addAt('flow.tunnel_changes_exceeded', this.currentOffset);
    }
  }

  private create(p: TransportPacket, sport: number, dport: number, hash: number, ts: number): { conn: Connection; isOrig: boolean } {
    if (this.conns.size >= this.limits.max_flows) {
      this.anomalies.addAt('flow.evicted', this.currentOffset);
      this.finish(this.oldest()!);
    }
    const flip = this.shouldFlip(p, sport, dport);
    const info: ConnectionInfo = flip
      ? { uid: this.uid(), proto: protoName(p.proto), src_ip: p.dst, src_port: dport, dst_ip: p.src, dst_port: sport }
      : { uid: this.uid(), proto: protoName(p.proto), src_ip: p.src, src_port: sport, dst_ip: p.dst, dst_port: dport };
    // Copies: a view would pin the whole capture chunk for the connection's life.
    const src = new Uint8Array(p.addresses.subarray(p.srcAt, p.srcAt + p.addressLength));
    const dst = new Uint8Array(p.addresses.subarray(p.dstAt, p.dstAt + p.addressLength));
    const conn = new Connection(p.proto, info, ts, this.source(), flip ? dst : src, flip ? src : dst);
    conn.partial = p.proto === IPPROTO_TCP && (p.flags & TCP_SYN) === 0;
    conn.encapsulation = p.encapsulation;
    if (flip) conn.history += '^';
    if (p.proto === IPPROTO_TCP) {
      conn.tcpOrig = new TcpEndpoint();
      conn.tcpResp = new TcpEndpoint();
    }
    this.conns.add(conn, hash);
    this.listOf(conn).link(conn);
    this.claimExpected(conn, ts);
    return { conn, isOrig: !flip };
  }

  /** Zeek's WantConnection heuristics: a connection first seen from a likely server port is turned round. */
  private shouldFlip(p: TransportPacket, sport: number, dport: number): boolean {
    if (p.proto === IPPROTO_TCP) {
      const syn = (p.flags & TCP_SYN) !== 0;
      if (syn && (p.flags & TCP_ACK) === 0) return false;
      if (!this.serverPorts.has(sport)) return false;
      // Both plausible: flip only when this is not a SYN-ACK (stealth scans) and the lower port is the source.
      return this.serverPorts.has(dport) ? !syn && sport < dport : true;
    }
    if (p.proto !== IPPROTO_UDP || p.dst.endsWith('.255') || isMulticast(p.dst)) return false;
    return this.serverPorts.has(sport) && !this.serverPorts.has(dport);
  }

  private listOf(conn: Connection): ActivityList {
    return this.lists[conn.ipProto === IPPROTO_TCP ? 0 : conn.ipProto === IPPROTO_UDP ? 1 : 2]!;
  }

  /** The least recently active connection of all. */
  private oldest(): Connection | undefined {
    let best: Connection | undefined;
    for (const list of this.lists) if (list.oldest !== undefined && (best === undefined || list.oldest.last < best.last)) best = list.oldest;
    return best;
  }

  /** Schedules a check of a connection's shorter timer (close delay, attempt delay); deadlines arrive in order. */
  private schedule(conn: Connection, at: number): void {
    this.timers.push({ at, conn });
    // Timers of ended connections would otherwise keep them in memory until their deadline.
    if (this.timers.length - this.timerHead > 2 * this.limits.max_flows + 1024) {
      this.timers = this.timers.slice(this.timerHead).filter((timer) => timer.conn.alive);
      this.timerHead = 0;
    }
  }

  private uid(): string {
    this.uidCounter++;
    return `C${this.uidCounter.toString(36).padStart(8, '0')}`;
  }

  // ---- TCP (Zeek TCPSessionAdapter::Process semantics) ----

  /** Zeek's TCPSessionAdapter::IsReuse: a new initial SYN starts a new connection on the same endpoints. */
  private isReuse(conn: Connection, p: TransportPacket): boolean {
    if (p.proto !== IPPROTO_TCP || (p.flags & TCP_SYN) === 0 || (p.flags & TCP_ACK) !== 0) return false;
    const o = conn.tcpOrig!;
    const r = conn.tcpResp!;
    if (o.didClose || r.didClose) return true;
    const seq = p.seq >>> 0;
    if (seq === (o.start >>> 0)) return false;
    // A SYN answering an earlier SYN-ACK is the other half of a reversed handshake, not a new connection.
    return !(o.state === TcpState.SynAckSent && r.state === TcpState.Inactive && seq === (r.start >>> 0));
  }

  /** Zeek's attempt timer: a SYN nobody answered within tcp_attempt_delay ends the connection. */
  private attemptExpired(conn: Connection, now: number): boolean {
    const o = conn.tcpOrig;
    if (o === undefined || now <= conn.attemptDeadline) return false;
    return (o.state === TcpState.SynSent || o.state === TcpState.SynAckSent) && conn.tcpResp!.state === TcpState.Inactive;
  }

  private tcp(conn: Connection, p: TransportPacket, isOrig: boolean, ts: number): void {
    const ep = isOrig ? conn.tcpOrig! : conn.tcpResp!;
    const peer = isOrig ? conn.tcpResp! : conn.tcpOrig!;
    const flags = p.flags;
    const syn = (flags & TCP_SYN) !== 0;
    const fin = (flags & TCP_FIN) !== 0;
    const rst = (flags & TCP_RST) !== 0;
    const ack = (flags & TCP_ACK) !== 0;
    const len = p.payloadLength;
    const segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);

    this.initEndpoint(ep, syn, p.seq, segLen);
    const base = unwrap(p.seq, ep.last);
    const relSeq = base - ep.start;
    const underflow = relSeq < 0;
    if (underflow && !rst) this.anomalies.add('tcp.seq_underflow_or_misorder');

    this.updateHistory(conn, ep, isOrig, flags, relSeq, len);
    if (p.window === 0 && !rst && peer.state !== TcpState.Closed && ep.state !== TcpState.Reset) {
      if (++ep.zeroWindowCount === ep.zeroWindowThreshold) {
        conn.addHistory('W', isOrig);
        ep.zeroWindowThreshold *= 10;
      }
    }
    if (!conn.tcpOrig!.didClose || !conn.tcpResp!.didClose) conn.last = Math.max(conn.last, ts);
    if (fin) {
      ep.finCount++;
      ep.finSeq = relSeq + segLen;
    }
    let relAck = 0;
    if (ack) {
      if (peer.state === TcpState.Inactive) {
        relAck = 1;
        peer.init(p.ack - 1, p.ack - 1);
      } else {
        const ack64 = unwrap(p.ack, peer.ackSeq);
        relAck = ack64 - peer.start;
        if (relAck < 0) relAck = 0;
        else if (!rst && !(p.ack === 0 && ack64 - peer.ackSeq > TOO_LARGE_SEQ_DELTA) && ack64 > peer.ackSeq) peer.ackSeq = ack64;
      }
    }
    const deltaLast = this.updateLastSeq(conn, ep, isOrig, base + segLen, syn, fin, rst, len);
    const close = this.stateMachine(conn, ep, peer, isOrig, flags, len, deltaLast);

    if (ack) this.ackReceived(conn, !isOrig, relAck);
    if (len > 0 && !rst && !underflow && p.payload.length > 0) {
      const stream = this.stream(conn, isOrig);
      stream.add(syn ? relSeq + 1 : relSeq, p.payload);
    }
    if (close && !ep.didClose) {
      ep.didClose = true;
      if (ep.state === TcpState.Reset || peer.didClose || peer.state === TcpState.Inactive) {
        conn.removeAt = conn.last + this.limits.tcp_close_delay;
        this.schedule(conn, Math.max(conn.removeAt, this.now));
      }
    }
  }

  private initEndpoint(ep: TcpEndpoint, syn: boolean, seq: number, segLen: number): void {
    switch (ep.state) {
      case TcpState.Inactive:
        if (syn) ep.init(seq, seq + segLen);
        else ep.init(seq - 1, seq);
        break;
      case TcpState.SynSent:
      case TcpState.SynAckSent:
        if (syn && (seq >>> 0) !== (ep.start >>> 0)) {
          this.anomalies.add('tcp.syn_seq_jump');
          ep.init(seq, seq + segLen);
        }
        break;
      case TcpState.Established:
      case TcpState.Partial:
        if (syn) {
          if ((seq >>> 0) !== (ep.start >>> 0)) this.anomalies.add('tcp.syn_seq_jump');
          ep.init(seq, seq + segLen);
        }
        break;
      case TcpState.Reset:
        if (syn && ep.prevState === TcpState.Inactive) ep.init(seq, seq + segLen);
        break;
      default:
        break;
    }
  }

  private updateHistory(conn: Connection, ep: TcpEndpoint, isOrig: boolean, flags: number, relSeq: number, len: number): void {
    const syn = (flags & TCP_SYN) !== 0;
    const fin = (flags & TCP_FIN) !== 0;
    const rst = (flags & TCP_RST) !== 0;
    const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
    if (bits > 1) {
      if (fin && rst) conn.checkHistory(HIST_FIN_RST, 'I', isOrig);
      else conn.checkHistory(HIST_MULTI, 'Q', isOrig);
    } else if (bits === 1) {
      if (syn) {
        const code = (flags & TCP_ACK) !== 0 ? 'H' : 'S';
        if (conn.checkHistory(HIST_SYN, code, isOrig) && relSeq !== ep.histLastSyn) conn.addHistory(code, isOrig);
        ep.histLastSyn = relSeq;
      }
      if (fin) {
        if (conn.checkHistory(HIST_FIN, 'F', isOrig) && relSeq + len !== ep.histLastFin) conn.addHistory('F', isOrig);
        ep.histLastFin = relSeq + len;
      }
      if (rst) {
        if (conn.checkHistory(HIST_RST, 'R', isOrig) && relSeq !== ep.histLastRst) conn.addHistory('R', isOrig);
        ep.histLastRst = relSeq;
      }
    } else if (len > 0) {
      conn.checkHistory(HIST_DATA, 'D', isOrig);
    } else if ((flags & TCP_ACK) !== 0) {
      conn.checkHistory(HIST_ACK, 'A', isOrig);
    }
  }

  private updateLastSeq(conn: Connection, ep: TcpEndpoint, isOrig: boolean, last: number, syn: boolean, fin: boolean, rst: boolean, len: number): number {
    const delta = last - ep.last;
    if ((syn || rst) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) {
      // Not trusted.
    } else if (fin && ep.last === ep.start + 1) {
      ep.last = last;
    } else if (ep.state === TcpState.Reset) {
      // Nothing after a reset is trusted.
    } else if (delta > 0) {
      ep.last = last;
    } else if (len > 0) {
      if (++ep.rxmitCount === ep.rxmitThreshold) {
        conn.addHistory('T', isOrig);
        ep.rxmitThreshold *= 10;
      }
    }
    return delta;
  }

  /** Returns true when this packet closes the endpoint (Zeek's do_close). */
  private stateMachine(conn: Connection, ep: TcpEndpoint, peer: TcpEndpoint, isOrig: boolean, flags: number, len: number, deltaLast: number): boolean {
    const syn = (flags & TCP_SYN) !== 0;
    const fin = (flags & TCP_FIN) !== 0;
    const rst = (flags & TCP_RST) !== 0;
    const ack = (flags & TCP_ACK) !== 0;
    let close = false;
    switch (ep.state) {
      case TcpState.Inactive: {
        if (syn) {
          if (isOrig) {
            ep.setState(ack ? TcpState.SynAckSent : TcpState.SynSent);
            conn.attemptDeadline = this.now + this.limits.tcp_attempt_delay;
            this.schedule(conn, conn.attemptDeadline);
          }
          else {
            if (!ack && peer.state === TcpState.SynAckSent) {
              // A SYN/SYN-ACK reversal: the roles were backwards (Zeek flips them here).
              this.flip(conn);
              peer.setState(TcpState.Established);
            }
            if (peer.state === TcpState.SynSent) peer.setState(TcpState.Established);
            ep.setState(TcpState.Established);
          }
        }
        if (fin) {
          ep.setState(TcpState.Closed);
          close = true;
        }
        if (rst) {
          ep.setState(TcpState.Reset);
          close = true;
        }
        if (ep.state === TcpState.Inactive) {
          const o = conn.tcpOrig!;
          if (!isOrig && len === 0 && o.state === TcpState.SynSent) {
            // An ACK before the SYN reply does not make the connection partial.
          } else if (ack && peer.state === TcpState.Established) {
            ep.setState(TcpState.Established);
          } else {
            ep.setState(TcpState.Partial);
          }
        }
        break;
      }
      case TcpState.SynSent:
      case TcpState.SynAckSent:
        if (fin) {
          ep.setState(TcpState.Closed);
          close = true;
        }
        if (rst) {
          ep.setState(TcpState.Reset);
          close = true;
        }
        break;
      case TcpState.Established:
      case TcpState.Partial:
        if (syn && ep.state === TcpState.Partial && peer.state === TcpState.Inactive && !ack) ep.setState(TcpState.SynSent);
        if (fin && !rst) {
          ep.setState(TcpState.Closed);
          if (peer.state === TcpState.Reset && peer.prevState === TcpState.Closed) peer.setState(TcpState.Closed);
          close = true;
        }
        if (rst) {
          ep.setState(TcpState.Reset);
          close = true;
        }
        break;
      case TcpState.Closed:
        if (fin && deltaLast > 0) this.anomalies.add('tcp.fin_advanced_last_seq');
        if (rst && peer.state !== TcpState.Closed) {
          ep.setState(TcpState.Reset);
          if (!ep.didClose) close = true;
        }
        break;
      case TcpState.Reset:
        break;
    }
    return close;
  }

  /**
   * Zeek's Connection::FlipRoles: the endpoints swap and history gains `^`, its letters kept as written. A TCP
   * connection's endpoint states and counts swap with them (as its session adapter's and ConnSize's do); a
   * datagram conversation's stay with the roles, as Zeek's do when its DNS or NTP analyzer turns the roles on the
   * first message, which was counted, and its history letter written, before the analyzer saw it.
   */
  private flip(conn: Connection): void {
    const info = conn.info as { src_ip: string; src_port: number; dst_ip: string; dst_port: number };
    [info.src_ip, info.dst_ip] = [info.dst_ip, info.src_ip];
    [info.src_port, info.dst_port] = [info.dst_port, info.src_port];
    if (conn.ipProto === IPPROTO_TCP) {
      [conn.orig, conn.resp] = [conn.resp, conn.orig];
      [conn.tcpOrig, conn.tcpResp] = [conn.tcpResp, conn.tcpOrig];
      if (conn.streams !== undefined) conn.streams = [conn.streams[1], conn.streams[0]];
    }
    // As Zeek's FlipRoles, the letters so far keep their case: only `^` marks the turn.
    conn.history += '^';
    // The endpoint hash is the same both ways round: only the sides swap.
    [conn.origAddress, conn.respAddress] = [conn.respAddress, conn.origAddress];
  }

  /** The peer of direction `dataIsOrig` acknowledged up to `relAck`: missing bytes below it are a gap. */
  private ackReceived(conn: Connection, dataIsOrig: boolean, relAck: number): void {
    const ep = dataIsOrig ? conn.tcpOrig! : conn.tcpResp!;
    let upTo = relAck;
    if (ep.finCount > 0 && upTo >= ep.finSeq) upTo = ep.finSeq - 1;
    if (upTo <= 1) return;
    const stream = this.stream(conn, dataIsOrig);
    stream.acked(upTo);
  }

  private stream(conn: Connection, isOrig: boolean): StreamReassembler {
    if (conn.streams === undefined) {
      const make = (orig: boolean) =>
        new StreamReassembler(1, this.limits, {
          deliver: (bytes) => this.deliver(conn, orig, bytes),
          gap: (length) => this.gap(conn, orig, length),
          anomaly: (code) => this.anomalies.addAt(code, this.currentOffset),
        });
      conn.streams = [make(true), make(false)];
    }
    return conn.streams[isOrig ? 0 : 1];
  }

  private gap(conn: Connection, isOrig: boolean, length: number): void {
    const ep = isOrig ? conn.tcpOrig! : conn.tcpResp!;
    const peer = isOrig ? conn.tcpResp! : conn.tcpOrig!;
    // One count per gap (the bytes go to missed_bytes): the run summary counts units, not bytes.
    this.anomalies.add('tcp.content_gap', { offset: this.currentOffset, detail: `${length} bytes` });
    if (ep.state !== TcpState.Partial && peer.state !== TcpState.Partial) {
      (isOrig ? conn.orig : conn.resp).missed += length;
      if (++ep.gapCount === ep.gapThreshold) {
        conn.addHistory('G', isOrig);
        ep.gapThreshold *= 10;
      }
    }
    const analyzer = conn.analyzer;
    if (analyzer !== undefined && 'gap' in analyzer) analyzer.gap(isOrig ? 'orig' : 'resp', length, this.now);
  }

  private deliver(conn: Connection, isOrig: boolean, bytes: Uint8Array): void {
    const dir: Direction = isOrig ? 'orig' : 'resp';
    if (!conn.analyzerDecided) this.decide(conn, bytes, dir);
    const side = isOrig ? conn.orig : conn.resp;
    const analyzer = conn.analyzer;
    if (conn.sampling) this.sample(side, bytes);
    if (analyzer === undefined) return;
    const room = this.limits.inspect_depth - side.delivered;
    if (room <= 0) return;
    if (bytes.length > room) {
      this.anomalies.addAt('tcp.inspect_depth_reached', this.currentOffset);
      bytes = bytes.subarray(0, room);
    }
    side.delivered += bytes.length;
    if ('data' in analyzer) analyzer.data(dir, bytes, this.now);
  }

  private datagram(conn: Connection, isOrig: boolean, bytes: Uint8Array, ts: number): void {
    const dir: Direction = isOrig ? 'orig' : 'resp';
    if (!conn.analyzerDecided && conn.ipProto !== IPPROTO_TCP) this.decide(conn, bytes, dir);
    const analyzer = conn.analyzer;
    if (analyzer !== undefined && 'datagram' in analyzer) analyzer.datagram(dir, bytes, ts);
    if (conn.sampling) this.sample(isOrig ? conn.orig : conn.resp, bytes);
  }

  private sample(side: Side, bytes: Uint8Array): void {
    const cap = this.limits.payload_sample_bytes;
    if (side.sampled >= cap) return;
    side.sample ??= new Uint8Array(cap);
    const take = Math.min(cap - side.sampled, bytes.length);
    side.sample.set(bytes.subarray(0, take), side.sampled);
    side.sampled += take;
  }

  private decide(conn: Connection, bytes: Uint8Array, dir: Direction): void {
    conn.analyzerDecided = true;
    const transport = conn.ipProto === IPPROTO_TCP ? 'tcp' : conn.ipProto === IPPROTO_UDP ? 'udp' : 'icmp';
    for (const protocol of this.options.protocols) {
      if (protocol.transport !== transport || !protocol.matches(conn.info, bytes, dir)) continue;
      conn.analyzer = protocol.create(this.context(conn));
      conn.sampling = protocol.identifyOnly === true;
      if (protocol.sessionTimeout !== undefined && transport === 'udp') {
        conn.sessionTimeout = protocol.sessionTimeout;
        conn.sessionCheckAt = conn.start + protocol.sessionTimeout;
      }
      return;
    }
  }

  private claimExpected(conn: Connection, ts: number): void {
    if (this.expected.size === 0) return;
    const key = `${conn.info.dst_ip}|${conn.info.dst_port}`;
    const expectation = this.expected.get(key);
    if (expectation === undefined) return;
    if (ts > expectation.until) {
      this.expected.delete(key);
      return;
    }
    if (expectation.src_ip !== undefined && expectation.src_ip !== conn.info.src_ip) return;
    this.expected.delete(key);
    conn.analyzerDecided = true;
    conn.analyzer = expectation.create(this.context(conn));
    conn.sampling = false;
  }

  private context(conn: Connection): AnalyzerContext {
    return {
      conn: conn.info,
      emit: (event) => this.options.emit(event),
      anomaly: (code: AnomalyCode, detail?: string) => this.anomalies.addAt(code, this.currentOffset, detail),
      source: () => this.source(),
      confirm: (service) => {
        if (!conn.partial && !conn.service.includes(service)) conn.service.push(service);
      },
      limitReached: (code, detail) => {
        this.anomalies.addAt(code, this.currentOffset, detail);
        conn.checkHistory(HIST_LIMIT, 'X', true);
      },
      violation: (service, code, detail) => {
        this.anomalies.addAt(code, this.currentOffset, detail);
        if (conn.analyzer === undefined || totalSize(conn) > this.limits.ignore_violations_after) return false;
        conn.removedAnalyzer = conn.analyzer;
        conn.analyzer = undefined;
        // Its bytes are not lost to content analysis: they are sampled as those of a connection no analyzer took.
        conn.sampling = true;
        const at = conn.service.indexOf(service);
        if (at !== -1 && !this.limits.track_removed_services) conn.service.splice(at, 1);
        else if (at !== -1 && !conn.service.includes(`-${service}`)) conn.service.push(`-${service}`);
        return true;
      },
      flip: () => {
        // Reassembled streams deliver with their direction fixed: a stream connection is not turned mid-way.
        if (!isMulticast(conn.info.dst_ip) && conn.streams === undefined) this.flip(conn);
      },
      expect: (expected, create) => {
        const key = `${expected.dst_ip}|${expected.dst_port}`;
        if (!this.expected.has(key) && this.expected.size >= this.limits.max_expected) {
          const oldest = this.expected.keys().next();
          if (oldest.done !== true) this.expected.delete(oldest.value);
          this.anomalies.add('flow.expected_dropped');
        }
        this.expected.set(key, { src_ip: expected.src_ip, until: expected.until, create });
      },
    };
  }

  // ---- expiry and output ----

  private timeoutOf(conn: Connection): number {
    if (conn.removeAt !== Infinity) return conn.removeAt;
    if (this.attemptExpired(conn, this.now)) return conn.attemptDeadline;
    const idle = conn.ipProto === IPPROTO_TCP ? this.limits.tcp_inactivity_timeout
      : conn.ipProto === IPPROTO_UDP ? this.limits.udp_inactivity_timeout : this.limits.icmp_inactivity_timeout;
    return conn.last + idle;
  }

  private sweep(): void {
    for (const list of this.lists) {
      while (list.oldest !== undefined && this.now > this.timeoutOf(list.oldest)) this.finish(list.oldest);
    }
    while (this.timerHead < this.timers.length && this.timers[this.timerHead]!.at < this.now) {
      const { conn } = this.timers[this.timerHead++]!;
      if (conn.alive && this.now > this.timeoutOf(conn)) this.finish(conn);
    }
    if (this.timerHead > 1024 && this.timerHead * 2 > this.timers.length) {
      this.timers = this.timers.slice(this.timerHead);
      this.timerHead = 0;
    }
  }

  /** Ends every connection still open (end of input). */
  flushAll(): void {
    for (let conn = this.oldest(); conn !== undefined; conn = this.oldest()) this.finish(conn);
    this.timers = [];
    this.timerHead = 0;
    this.expected.clear();
  }

  private finish(conn: Connection): void {
    this.conns.remove(conn);
    this.listOf(conn).unlink(conn);
    conn.alive = false;
    if (conn.streams !== undefined) {
      conn.streams[0].flush();
      conn.streams[1].flush();
    }
    (conn.analyzer ?? conn.removedAnalyzer)?.end(conn.last);
    const flow = this.flowEvent(conn);
    this.options.emit(flow);
    if (conn.sampling) {
      this.payloadEvent(conn, flow, true);
      this.payloadEvent(conn, flow, false);
    }
  }

  private flowEvent(conn: Connection): FlowEvent {
    const { info } = conn;
    const bytesOut = payloadSize(conn, true);
    const bytesIn = payloadSize(conn, false);
    let state: string;
    if (conn.ipProto === IPPROTO_TCP) {
      state = tcpConnState(conn.tcpOrig!, conn.tcpResp!, bytesOut, bytesIn, conn.history);
    } else if (conn.ipProto === IPPROTO_UDP) {
      state = conn.orig.active ? (conn.resp.active ? 'SF' : 'S0') : conn.resp.active ? 'SHR' : 'OTH';
    } else {
      state = 'OTH';
    }
    return {
      kind: 'flow',
      ts: conn.start,
      host: info.src_ip,
      source: conn.firstSource,
      uid: info.uid,
      src_ip: info.src_ip,
      src_port: info.src_port,
      dst_ip: info.dst_ip,
      dst_port: info.dst_port,
      proto: info.proto,
      service: conn.service.length > 0 ? conn.service.join(',') : undefined,
      duration: conn.last - conn.start,
      bytes_out: bytesOut,
      bytes_in: bytesIn,
      pkts_out: conn.orig.pkts,
      pkts_in: conn.resp.pkts,
      ip_bytes_out: conn.orig.ipBytes,
      ip_bytes_in: conn.resp.ipBytes,
      conn_state: state,
      history: conn.history,
      missed_bytes: conn.orig.missed + conn.resp.missed,
    };
  }

  private payloadEvent(conn: Connection, flow: FlowEvent, out: boolean): void {
    const side = out ? conn.orig : conn.resp;
    if (side.sampled === 0 || side.sample === undefined) return;
    const { info } = conn;
    this.options.emit({
      kind: 'payload',
      ts: conn.start,
      host: info.src_ip,
      source: conn.firstSource,
      uid: info.uid,
      src_ip: info.src_ip,
      src_port: info.src_port,
      dst_ip: info.dst_ip,
      dst_port: info.dst_port,
      protocol: info.proto,
      context: `${info.proto}.${conn.ipProto === IPPROTO_TCP ? 'stream' : 'datagrams'}`,
      direction: out ? 'out' : 'in',
      sample: { bytes: side.sample.slice(0, side.sampled), total: (out ? flow.bytes_out : flow.bytes_in) ?? side.sampled },
    });
  }
}

/** A doubly linked list of connections, least recently active first: O(1) append, move and removal. */
class ActivityList {
  oldest: Connection | undefined;
  newest: Connection | undefined;

  link(conn: Connection): void {
    conn.older = this.newest;
    conn.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = conn;
    else this.oldest = conn;
    this.newest = conn;
  }

  unlink(conn: Connection): void {
    if (conn.older !== undefined) conn.older.newer = conn.newer;
    else if (this.oldest === conn) this.oldest = conn.newer;
    if (conn.newer !== undefined) conn.newer.older = conn.older;
    else if (this.newest === conn) this.newest = conn.older;
    conn.older = conn.newer = undefined;
  }

  touch(conn: Connection): void {
    if (conn === this.newest) return;
    this.unlink(conn);
    this.link(conn);
  }
}

/**
 * Whether a connection with a session timeout has ended by `now`, replaying Zeek's DNS_Analyzer::ExpireTimer:
 * from the start, every timeout seconds, a conversation silent for all but one second of the timeout ends
 * (the second spares the usual request and reply a second check); checked when its next packet comes.
 */
function sessionEnded(conn: Connection, now: number): boolean {
  for (let at = conn.sessionCheckAt; at <= now; at += conn.sessionTimeout) {
    if (at - conn.last >= conn.sessionTimeout - 1) return true;
    conn.sessionCheckAt = at + conn.sessionTimeout;
  }
  return false;
}

/** A history in which the originator's SYN was followed by its RST and nothing else of note (Zeek's RSTOS0 pattern). */
const SYN_THEN_RESET = /^\^?S[^HAFGIQ]*R/;

/** Zeek's conn_state() from base/protocols/conn/main.zeek, over the two endpoint states and the history. */
function tcpConnState(o: TcpEndpoint, r: TcpEndpoint, origSize: number, respSize: number, history: string): string {
  const os = o.state;
  const rs = r.state;
  const oInactive = os === TcpState.Inactive || os === TcpState.Partial;
  const rInactive = rs === TcpState.Inactive || rs === TcpState.Partial;
  if (rs === TcpState.Reset) {
    if (os === TcpState.SynSent || os === TcpState.SynAckSent || (os === TcpState.Reset && origSize === 0 && respSize === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === TcpState.Reset) return !rInactive ? 'RSTO' : SYN_THEN_RESET.test(history) ? 'RSTOS0' : 'OTH';
  if (rs === TcpState.Closed && os === TcpState.Closed) return 'SF';
  if (os === TcpState.Closed) return rInactive ? 'SH' : 'S2';
  if (rs === TcpState.Closed) return oInactive ? 'SHR' : 'S3';
  if (os === TcpState.SynSent && rs === TcpState.Inactive) return 'S0';
  if (os === TcpState.Established && rs === TcpState.Established) return 'S1';
  return 'OTH';
}

/** Payload bytes one side has sent (conn.log orig_bytes/resp_bytes): for TCP from sequence numbers. */
function payloadSize(conn: Connection, orig: boolean): number {
  if (conn.ipProto !== IPPROTO_TCP) return (orig ? conn.orig : conn.resp).bytes;
  return orig ? conn.tcpOrig!.size(conn.tcpResp!) : conn.tcpResp!.size(conn.tcpOrig!);
}

/** Zeek's c$orig$size + c$resp$size. */
function totalSize(conn: Connection): number {
  return payloadSize(conn, true) + payloadSize(conn, false);
}

function protoName(proto: number): Proto {
  if (proto === IPPROTO_TCP) return 'tcp';
  if (proto === IPPROTO_UDP) return 'udp';
  if (proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6) return 'icmp';
  return 'unknown';
}

/** Whether `address` is the packet's address at `at`. */
function sameAddress(address: Uint8Array, p: TransportPacket, at: number): boolean {
  const bytes = p.addresses;
  for (let i = 0; i < address.length; i++) if (address[i] !== bytes[at + i]) return false;
  return true;
}

function isMulticast(ip: string): boolean {
  if (ip.includes(':')) return ip.startsWith('ff');
  const first = Number(ip.slice(0, ip.indexOf('.')));
  return first >= 224 && first <= 239;
}
