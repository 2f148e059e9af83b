// The Zeek logs exfilscope uses and how a row of each becomes an event. Field names are Zeek's own
// (base/protocols/*/main.zeek); columns not named here are ignored, absent ones are left unset.
import type { Event, Proto, Source } from '../../core/events.js';
import { addr, BadValue, bool, count, port, real, requiredAddr, str, type Row } from './row.js';

export type ZeekLogKind = 'conn' | 'http' | 'dns' | 'ftp' | 'smtp' | 'files' | 'ssl';

export const ZEEK_LOG_KINDS: readonly ZeekLogKind[] = ['conn', 'http', 'dns', 'ftp', 'smtp', 'files', 'ssl'];

export function isZeekLogKind(path: string): path is ZeekLogKind {
  return (ZEEK_LOG_KINDS as readonly string[]).includes(path);
}

function proto(row: Row): Proto {
  const value = str(row, 'proto');
  return value === 'tcp' || value === 'udp' || value === 'icmp' ? value : 'unknown';
}

function endpoints(row: Row) {
  return {
    src_ip: requiredAddr(row, 'id.orig_h'),
    src_port: port(row, 'id.orig_p') ?? 0,
    dst_ip: requiredAddr(row, 'id.resp_h'),
    dst_port: port(row, 'id.resp_p') ?? 0,
  };
}

function time(row: Row): number {
  const ts = real(row, 'ts');
  if (ts === undefined) throw new BadValue('ts', '-', 'time (required)');
  return ts;
}

function base(row: Row, source: Source) {
  const ends = endpoints(row);
  return { ts: time(row), host: ends.src_ip, source, uid: str(row, 'uid'), ...ends };
}

function numbers(values: string[] | undefined): number[] | undefined {
  if (values === undefined) return undefined;
  const out = values.map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

const toEvent: Record<ZeekLogKind, (row: Row, source: Source) => Event> = {
  // conn.log is the big one: built as one object literal, without the spreads the other logs use.
  conn: (row, source) => {
    const src_ip = requiredAddr(row, 'id.orig_h');
    return {
      kind: 'flow',
      ts: time(row),
      host: src_ip,
      source,
      uid: str(row, 'uid'),
      src_ip,
      src_port: port(row, 'id.orig_p') ?? 0,
      dst_ip: requiredAddr(row, 'id.resp_h'),
      dst_port: port(row, 'id.resp_p') ?? 0,
      proto: proto(row),
      service: str(row, 'service'),
      duration: real(row, 'duration'),
      bytes_out: count(row, 'orig_bytes'),
      bytes_in: count(row, 'resp_bytes'),
      pkts_out: count(row, 'orig_pkts'),
      pkts_in: count(row, 'resp_pkts'),
      ip_bytes_out: count(row, 'orig_ip_bytes'),
      ip_bytes_in: count(row, 'resp_ip_bytes'),
      conn_state: str(row, 'conn_state'),
      history: str(row, 'history'),
      missed_bytes: count(row, 'missed_bytes'),
    };
  },
  http: (row, source) => ({
    kind: 'http',
    ...base(row, source),
    method: str(row, 'method'),
    host_header: str(row, 'host'),
    uri: str(row, 'uri'),
    referrer: str(row, 'referrer'),
    user_agent: str(row, 'user_agent'),
    status_code: count(row, 'status_code'),
    request_body_len: count(row, 'request_body_len'),
    response_body_len: count(row, 'response_body_len'),
  }),
  dns: (row, source) => ({
    kind: 'dns',
    ...base(row, source),
    proto: proto(row),
    trans_id: count(row, 'trans_id'),
    query: str(row, 'query') ?? '',
    qtype: count(row, 'qtype'),
    qtype_name: str(row, 'qtype_name'),
    rcode: count(row, 'rcode'),
    rcode_name: str(row, 'rcode_name'),
    answers: row.list('answers'),
    ttls: numbers(row.list('TTLs')),
  }),
  ftp: (row, source) => ({
    kind: 'ftp',
    ...base(row, source),
    user: str(row, 'user'),
    command: str(row, 'command') ?? '',
    arg: str(row, 'arg'),
    file_size: count(row, 'file_size'),
    reply_code: count(row, 'reply_code'),
    reply_msg: str(row, 'reply_msg'),
  }),
  smtp: (row, source) => ({
    kind: 'smtp',
    ...base(row, source),
    helo: str(row, 'helo'),
    mailfrom: str(row, 'mailfrom'),
    rcptto: row.list('rcptto'),
    from: str(row, 'from'),
    to: row.list('to'),
    subject: str(row, 'subject'),
  }),
  files: (row, source) => {
    // Zeek 5+ logs the connection (uid, id.*); older versions the transmitting and receiving host sets.
    const src = addr(row, 'id.orig_h') ?? row.list('tx_hosts')?.[0];
    const dst = addr(row, 'id.resp_h') ?? row.list('rx_hosts')?.[0];
    return {
      kind: 'file_transfer',
      ts: time(row),
      host: src,
      source,
      uid: str(row, 'uid') ?? row.list('conn_uids')?.[0],
      fuid: str(row, 'fuid'),
      src_ip: src,
      dst_ip: dst,
      protocol: str(row, 'source'),
      is_orig: bool(row, 'is_orig'),
      filename: str(row, 'filename'),
      mime_type: str(row, 'mime_type'),
      seen_bytes: count(row, 'seen_bytes'),
      total_bytes: count(row, 'total_bytes'),
      missing_bytes: count(row, 'missing_bytes'),
    };
  },
  ssl: (row, source) => ({
    kind: 'tls',
    ...base(row, source),
    version: str(row, 'version'),
    cipher: str(row, 'cipher'),
    server_name: str(row, 'server_name'),
    established: bool(row, 'established'),
    ja3: str(row, 'ja3'),
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
