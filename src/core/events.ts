// The one event schema every reader produces and every detector consumes: a union discriminated on `kind`.
// Times are event time in epoch seconds (fractional); never wall-clock time.

/** Where an event came from, so each finding can cite its evidence. */
export interface Source {
  reader: string;
  path: string;
  /** 1-based line number for text inputs. */
  line?: number;
  /** Byte offset into the (decompressed) input for binary inputs. */
  offset?: number;
}

/** A process as host telemetry names it; every field is optional because sources differ. */
export interface ProcessRef {
  pid?: number;
  ppid?: number;
  guid?: string;
  image?: string;
  command_line?: string;
  user?: string;
}

interface EventBase {
  ts: number;
  /** The host the event is about: a hostname from host telemetry, else the originating IP. */
  host?: string;
  source: Source;
}

/** Endpoints of a network conversation, named as Zeek names them: orig = initiator. */
export interface Endpoints {
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
}

export type Proto = 'tcp' | 'udp' | 'icmp' | 'unknown';

/** A connection with Zeek conn.log semantics: out = originator → responder. */
export interface FlowEvent extends EventBase, Endpoints {
  kind: 'flow';
  uid?: string;
  proto: Proto;
  service?: string;
  duration?: number;
  bytes_out?: number;
  bytes_in?: number;
  pkts_out?: number;
  pkts_in?: number;
  ip_bytes_out?: number;
  ip_bytes_in?: number;
  conn_state?: string;
  history?: string;
  missed_bytes?: number;
  process?: ProcessRef;
}

/** A bounded prefix of a byte stream plus the total length it was cut from. */
export interface ByteSample {
  bytes: Uint8Array;
  total: number;
}

export interface HttpEvent extends EventBase, Endpoints {
  kind: 'http';
  uid?: string;
  method?: string;
  host_header?: string;
  uri?: string;
  referrer?: string;
  user_agent?: string;
  status_code?: number;
  request_body_len?: number;
  response_body_len?: number;
  /** Present only when the reader saw the body bytes (captures, not Zeek logs). */
  request_body?: ByteSample;
}

export interface DnsEvent extends EventBase, Endpoints {
  kind: 'dns';
  uid?: string;
  proto: Proto;
  trans_id?: number;
  query: string;
  qtype?: number;
  qtype_name?: string;
  rcode?: number;
  rcode_name?: string;
  answers?: string[];
  ttls?: number[];
  /** The asking process, when host telemetry (Sysmon 22) reported the query. */
  process?: ProcessRef;
}

export interface FtpEvent extends EventBase, Endpoints {
  kind: 'ftp';
  uid?: string;
  user?: string;
  command: string;
  arg?: string;
  file_size?: number;
  reply_code?: number;
  reply_msg?: string;
}

export interface SmtpEvent extends EventBase, Endpoints {
  kind: 'smtp';
  uid?: string;
  helo?: string;
  mailfrom?: string;
  rcptto?: string[];
  from?: string;
  to?: string[];
  subject?: string;
  attachments?: { name?: string; mime_type?: string; size: number }[];
}

/** A file seen on the wire (Zeek files.log, or an FTP/SMTP/HTTP transfer in a capture). */
export interface FileTransferEvent extends EventBase {
  kind: 'file_transfer';
  uid?: string;
  fuid?: string;
  src_ip?: string;
  dst_ip?: string;
  protocol?: string;
  /** True when the originator of the connection sent the file (an upload). */
  is_orig?: boolean;
  filename?: string;
  mime_type?: string;
  seen_bytes?: number;
  total_bytes?: number;
  missing_bytes?: number;
}

export interface TlsEvent extends EventBase, Endpoints {
  kind: 'tls';
  uid?: string;
  version?: string;
  cipher?: string;
  server_name?: string;
  established?: boolean;
  ja3?: string;
}

export interface IcmpEvent extends EventBase {
  kind: 'icmp';
  src_ip: string;
  dst_ip: string;
  icmp_type: number;
  icmp_code: number;
  id?: number;
  seq?: number;
  payload_len: number;
}

/** Content bytes observed inside a protocol, for content analysis; out = sent by the originator. */
export interface PayloadEvent extends EventBase, Endpoints {
  kind: 'payload';
  uid?: string;
  protocol: string;
  /** Where in the protocol the bytes sat, e.g. `http.request_body`, `ftp.data`, `dns.qname`. */
  context: string;
  direction: 'out' | 'in';
  name?: string;
  sample: ByteSample;
}

export interface ProcessEvent extends EventBase {
  kind: 'process';
  process: ProcessRef;
  argv?: string[];
  cwd?: string;
  parent?: ProcessRef;
  hashes?: string;
}

export interface FileEvent extends EventBase {
  kind: 'file';
  action: 'create' | 'write' | 'delete' | 'rename' | 'access';
  path: string;
  process?: ProcessRef;
}

/** A connection reported by host telemetry (Sysmon 3, Security 5156, auditd connect). */
export interface NetConnEvent extends EventBase, Endpoints {
  kind: 'net_conn';
  proto: Proto;
  outbound?: boolean;
  dst_hostname?: string;
  process?: ProcessRef;
}

export interface FirewallEvent extends EventBase {
  kind: 'firewall';
  action?: string;
  proto: Proto;
  src_ip: string;
  src_port?: number;
  dst_ip: string;
  dst_port?: number;
  in_iface?: string;
  out_iface?: string;
  rule?: string;
  /** Packet length for per-packet logs. */
  length?: number;
  bytes_out?: number;
  bytes_in?: number;
}

export type Event =
  | FlowEvent
  | HttpEvent
  | DnsEvent
  | FtpEvent
  | SmtpEvent
  | FileTransferEvent
  | TlsEvent
  | IcmpEvent
  | PayloadEvent
  | ProcessEvent
  | FileEvent
  | NetConnEvent
  | FirewallEvent;

export type EventKind = Event['kind'];

export type EventOf<K extends EventKind> = Extract<Event, { kind: K }>;

export const EVENT_KINDS: readonly EventKind[] = [
  'flow', 'http', 'dns', 'ftp', 'smtp', 'file_transfer', 'tls', 'icmp',
  'payload', 'process', 'file', 'net_conn', 'firewall',
];
