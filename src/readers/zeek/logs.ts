// The Zeek logs exfilscope uses and how a row of each becomes an event. Field names are Zeek's own
// (base/protocols/*/main.zeek); columns not named here are ignored, absent ones are left unset.
import type { Event, Proto, Source } from '../../core/events.js';
import { addr, BadValue, bool, count, field, port, real, requiredAddr, str, type Field, type Row } from './row.js';

export type ZeekLogKind = 'conn' | 'http' | 'dns' | 'ftp' | 'smtp' | 'files' | 'ssl';

export const ZEEK_LOG_KINDS: readonly ZeekLogKind[] = ['conn', 'http', 'dns', 'ftp', 'smtp', 'files', 'ssl'];

export function isZeekLogKind(path: string): path is ZeekLogKind {
  return (ZEEK_LOG_KINDS as readonly string[]).includes(path);
}

/** Every column a mapping below reads, by Zeek's name. */
const F = declare([
  'proto', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'ts', 'uid', 'service', 'duration', 'orig_bytes',
  'resp_bytes', 'orig_pkts', 'resp_pkts', 'orig_ip_bytes', 'resp_ip_bytes', 'conn_state', 'history', 'missed_bytes',
  'method', 'host', 'uri', 'referrer', 'user_agent', 'status_code', 'request_body_len', 'response_body_len',
  'trans_id', 'query', 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'answers', 'TTLs', 'user', 'command', 'arg',
  'file_size', 'reply_code', 'reply_msg', 'helo', 'mailfrom', 'rcptto', 'from', 'to', 'subject', 'tx_hosts',
  'rx_hosts', 'conn_uids', 'fuid', 'source', 'is_orig', 'filename', 'mime_type', 'seen_bytes', 'total_bytes',
  'missing_bytes', 'version', 'cipher', 'server_name', 'established', 'ja3',
] as const);

function declare<const N extends readonly string[]>(names: N): Record<N[number], Field> {
  return Object.fromEntries(names.map((name) => [name, field(name)])) as Record<N[number], Field>;
}

function proto(row: Row): Proto {
  const value = str(row, F.proto);
  return value === 'tcp' || value === 'udp' || value === 'icmp' ? value : 'unknown';
}

function endpoints(row: Row) {
  return {
    src_ip: requiredAddr(row, F['id.orig_h']),
    src_port: port(row, F['id.orig_p']) ?? 0,
    dst_ip: requiredAddr(row, F['id.resp_h']),
    dst_port: port(row, F['id.resp_p']) ?? 0,
  };
}

function time(row: Row): number {
  const ts = real(row, F.ts);
  if (ts === undefined) throw new BadValue('ts', '-', 'time (required)');
  return ts;
}

function base(row: Row, source: Source) {
  const ends = endpoints(row);
  return { ts: time(row), host: ends.src_ip, source, uid: str(row, F.uid), ...ends };
}

function numbers(values: string[] | undefined): number[] | undefined {
  if (values === undefined) return undefined;
  const out = values.map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

const toEvent: Record<ZeekLogKind, (row: Row, source: Source) => Event> = {
  // conn.log is the big one: built as one object literal, without the spreads the other logs use.
  conn: (row, source) => {
    const src_ip = requiredAddr(row, F['id.orig_h']);
    return {
      kind: 'flow',
      ts: time(row),
      host: src_ip,
      source,
      uid: str(row, F.uid),
      src_ip,
      src_port: port(row, F['id.orig_p']) ?? 0,
      dst_ip: requiredAddr(row, F['id.resp_h']),
      dst_port: port(row, F['id.resp_p']) ?? 0,
      proto: proto(row),
      service: str(row, F.service),
      duration: real(row, F.duration),
      bytes_out: count(row, F.orig_bytes),
      bytes_in: count(row, F.resp_bytes),
      pkts_out: count(row, F.orig_pkts),
      pkts_in: count(row, F.resp_pkts),
      ip_bytes_out: count(row, F.orig_ip_bytes),
      ip_bytes_in: count(row, F.resp_ip_bytes),
      conn_state: str(row, F.conn_state),
      history: str(row, F.history),
      missed_bytes: count(row, F.missed_bytes),
    };
  },
  http: (row, source) => ({
    kind: 'http',
    ...base(row, source),
    method: str(row, F.method),
    host_header: str(row, F.host),
    uri: str(row, F.uri),
    referrer: str(row, F.referrer),
    user_agent: str(row, F.user_agent),
    status_code: count(row, F.status_code),
    request_body_len: count(row, F.request_body_len),
    response_body_len: count(row, F.response_body_len),
  }),
  dns: (row, source) => ({
    kind: 'dns',
    ...base(row, source),
    proto: proto(row),
    trans_id: count(row, F.trans_id),
    query: str(row, F.query) ?? '',
    qtype: count(row, F.qtype),
    qtype_name: str(row, F.qtype_name),
    rcode: count(row, F.rcode),
    rcode_name: str(row, F.rcode_name),
    answers: row.list(F.answers),
    ttls: numbers(row.list(F.TTLs)),
  }),
  ftp: (row, source) => ({
    kind: 'ftp',
    ...base(row, source),
    user: str(row, F.user),
    command: str(row, F.command) ?? '',
    arg: str(row, F.arg),
    file_size: count(row, F.file_size),
    reply_code: count(row, F.reply_code),
    reply_msg: str(row, F.reply_msg),
  }),
  smtp: (row, source) => ({
    kind: 'smtp',
    ...base(row, source),
    helo: str(row, F.helo),
    mailfrom: str(row, F.mailfrom),
    rcptto: row.list(F.rcptto),
    from: str(row, F.from),
    to: row.list(F.to),
    subject: str(row, F.subject),
  }),
  files: (row, source) => {
    // Zeek 5+ logs the connection (uid, id.*); older versions the transmitting and receiving host sets.
    const src = addr(row, F['id.orig_h']) ?? row.list(F.tx_hosts)?.[0];
    const dst = addr(row, F['id.resp_h']) ?? row.list(F.rx_hosts)?.[0];
    return {
      kind: 'file_transfer',
      ts: time(row),
      host: src,
      source,
      uid: str(row, F.uid) ?? row.list(F.conn_uids)?.[0],
      fuid: str(row, F.fuid),
      src_ip: src,
      dst_ip: dst,
      protocol: str(row, F.source),
      is_orig: bool(row, F.is_orig),
      filename: str(row, F.filename),
      mime_type: str(row, F.mime_type),
      seen_bytes: count(row, F.seen_bytes),
      total_bytes: count(row, F.total_bytes),
      missing_bytes: count(row, F.missing_bytes),
    };
  },
  ssl: (row, source) => ({
    kind: 'tls',
    ...base(row, source),
    version: str(row, F.version),
    cipher: str(row, F.cipher),
    server_name: str(row, F.server_name),
    established: bool(row, F.established),
    ja3: str(row, F.ja3),
  }),
};

export function rowToEvent(kind: ZeekLogKind, row: Row, source: Source): Event {
  return toEvent[kind](row, source);
}

/**
 * Guesses the log kind of a JSON row that carries no `_path`, from fields only that log has.
 * Order matters: files rows also carry uid/id, conn rows are the fallback for anything with conn_state.
 */
export function guessKind(has: (field: string) => boolean): ZeekLogKind | undefined {
  if (has('fuid') && (has('seen_bytes') || has('mime_type') || has('source'))) return 'files';
  if (has('conn_state') || has('orig_bytes') || has('history')) return 'conn';
  if (has('method') || has('status_code') || has('trans_depth')) return 'http';
  if (has('qtype') || has('qtype_name') || has('rcode') || (has('query') && has('trans_id'))) return 'dns';
  if (has('mailfrom') || has('rcptto') || has('helo')) return 'smtp';
  if (has('command') && (has('reply_code') || has('arg'))) return 'ftp';
  if (has('server_name') || has('cipher') || has('established')) return 'ssl';
  return undefined;
}
