// conn.log: one row per flow event, Zeek's base/protocols/conn/main.zeek Info record (the columns we fill).
import type { ZeekLog } from './zeek-log.js';

export const connLog: ZeekLog<'flow'> = {
  path: 'conn',
  kind: 'flow',
  fields: [
    { name: 'ts', type: 'time' },
    { name: 'uid', type: 'string' },
    { name: 'id.orig_h', type: 'addr' },
    { name: 'id.orig_p', type: 'port' },
    { name: 'id.resp_h', type: 'addr' },
    { name: 'id.resp_p', type: 'port' },
    { name: 'proto', type: 'enum' },
    { name: 'service', type: 'string' },
    { name: 'duration', type: 'interval' },
    { name: 'orig_bytes', type: 'count' },
    { name: 'resp_bytes', type: 'count' },
    { name: 'conn_state', type: 'string' },
    { name: 'missed_bytes', type: 'count' },
    { name: 'history', type: 'string' },
    { name: 'orig_pkts', type: 'count' },
    { name: 'orig_ip_bytes', type: 'count' },
    { name: 'resp_pkts', type: 'count' },
    { name: 'resp_ip_bytes', type: 'count' },
  ],
  row(flow) {
    // Zeek leaves duration and byte counts unset for a connection that saw a single packet.
    const single = (flow.pkts_out ?? 0) + (flow.pkts_in ?? 0) <= 1;
    return [
      flow.ts, flow.uid, flow.src_ip, flow.src_port, flow.dst_ip, flow.dst_port, flow.proto === 'unknown' ? 'unknown_transport' : flow.proto, flow.service,
      single ? undefined : flow.duration, single ? undefined : flow.bytes_out, single ? undefined : flow.bytes_in,
      flow.conn_state, flow.missed_bytes, flow.history === '' ? undefined : flow.history,
      flow.pkts_out, flow.ip_bytes_out, flow.pkts_in, flow.ip_bytes_in,
    ];
  },
};
