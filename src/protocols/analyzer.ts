// The contract between the flow table (which owns packets, connections and TCP reassembly) and the
// application-layer analyzers (HTTP, DNS, FTP, SMTP, …), which see only ordered bytes or datagrams.
import type { AnomalyCode } from '../core/anomalies.js';
import type { Endpoints, Event, Proto, Source } from '../core/events.js';

/** Which side sent the bytes: the connection's originator or its responder (Zeek's orig/resp). */
export type Direction = 'orig' | 'resp';

export interface ConnectionInfo extends Endpoints {
  uid: string;
  proto: Proto;
}

/** What the flow table lends an analyzer for one connection. */
export interface AnalyzerContext {
  readonly conn: ConnectionInfo;
  emit(event: Event): void;
  /** Counts a protocol anomaly (`http.line_too_long`, `dns.name_loop`…) on the current input. */
  anomaly(code: AnomalyCode, detail?: string): void;
  /** Evidence pointer for the packet being processed now. */
  source(): Source;
  /** Marks the connection as this service (fills conn.log `service`), once the protocol is confirmed. */
  confirm(service: string): void;
  /**
   * A configured limit was exceeded and analysis of the connection is partial (Zeek's LimitReachedWeird): counts
   * `code` and marks the connection's history with `X` (once, upper case: it belongs to the connection).
   */
  limitReached(code: AnomalyCode, detail?: string): void;
  /**
   * The bytes break protocol `service` (Zeek's AnalyzerViolation): counts `code`; within the connection's first
   * 10 KiB (Zeek's DPD::ignore_violations_after) the analyzer is removed, as Zeek's DPD removes it: it gets no
   * more bytes (its `end` still comes with the connection's; the bytes are sampled as for a connection no
   * analyzer took), and a confirmed `service` leaves conn.log's service (or, with `track_removed_services`, is
   * followed by `-service`). Returns true when it was removed:
   * the analyzer then stops reading what it holds.
   */
  violation(service: string, code: AnomalyCode, detail?: string): boolean;
  /**
   * The originator turned out to be the server (Zeek's FlipRoles, as its DNS analyzer does when a
   * connection's first message is a response): the roles swap, `conn` included, and history gains `^`.
   * A multicast responder is never made the originator, and a TCP connection whose streams are being
   * reassembled is not turned (their deliveries keep the direction they started with).
   */
  flip(): void;
  /**
   * Announces a connection the analyzer expects (an FTP data channel from PORT/PASV/EPSV/EPRT): when a
   * connection to `dst_ip:dst_port` (from `src_ip`, if given) starts before `until`, it is handed to `create`.
   */
  expect(expected: { src_ip?: string; dst_ip: string; dst_port: number; until: number }, create: AnalyzerFactory): void;
}

/** Fed with each direction's reassembled byte stream of one TCP connection. */
export interface StreamAnalyzer {
  /** In-order bytes of one direction; `ts` is the time of the packet that completed them. */
  data(dir: Direction, bytes: Uint8Array, ts: number): void;
  /** `length` bytes of one direction are missing (capture loss, or past the reassembly limit). */
  gap(dir: Direction, length: number, ts: number): void;
  /** The connection closed, timed out or was evicted; flush what is pending. */
  end(ts: number): void;
}

/**
 * Fed with each datagram of one UDP or ICMP conversation: the UDP payload, or the ICMP/ICMPv6 data after
 * the 8-byte header (the type is the connection's port as Zeek assigns it: orig_p for the originator's
 * messages, resp_p for the responder's).
 */
export interface DatagramAnalyzer {
  datagram(dir: Direction, bytes: Uint8Array, ts: number): void;
  end(ts: number): void;
}

export type AnalyzerFactory = (ctx: AnalyzerContext) => StreamAnalyzer | DatagramAnalyzer;

/** One application protocol: how it is recognised and how its analyzer is made. */
export interface AppProtocol {
  /** Service name as Zeek writes it in conn.log (`http`, `dns`, `ftp`, `ftp-data`, `smtp`). */
  readonly name: string;
  readonly transport: 'tcp' | 'udp' | 'icmp';
  /**
   * True when this protocol should analyze the connection. `firstBytes` are the first payload bytes
   * seen (either direction, with the direction that sent them), so content can decide where ports cannot.
   */
  matches(conn: ConnectionInfo, firstBytes: Uint8Array, dir: Direction): boolean;
  create: AnalyzerFactory;
  /**
   * The analyzer only names the service (protocol identification, `identify/`): it emits no payload
   * events, so the flow table keeps sampling the connection's payload as for a connection no analyzer took.
   */
  readonly identifyOnly?: boolean;
  /**
   * Seconds of silence after which a UDP conversation this protocol analyzes ends, the next packet starting
   * another connection (Zeek's dns_session_timeout); checked as Zeek's analyzer timer does (see FlowTable).
   */
  readonly sessionTimeout?: number;
}
