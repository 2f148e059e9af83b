// conn.log: one row per flow event, Zeek's base/protocols/conn/main.zeek Info record (the columns we fill).
import { CONNECTION_FIELDS, connectionCells } from './endpoints.js';
import type { ZeekLog } from './zeek-log.js';

export const connLog: ZeekLog<'flow'> = {
  path: 'conn',
  kind: 'flow',
  fields: [
    ...CONNECTION_FIELDS,
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
    // Zeek leaves duration and byte counts unset for a connection of no duration (a single packet, or several
    // captured at one instant, as A-MSDU subframes are).
    const instant = !((flow.duration ?? 0) > 0);
    return [
      ...connectionCells(flow), flow.proto === 'unknown' ? 'unknown_transport' : flow.proto, flow.service,
      instant ? undefined : flow.duration, instant ? undefined : flow.bytes_out, instant ? undefined : flow.bytes_in,
      flow.conn_state, flow.missed_bytes, flow.history === '' ? undefined : flow.history,
      flow.pkts_out, flow.ip_bytes_out, flow.pkts_in, flow.ip_bytes_in,
    ];
  },
};
