// The leading columns every Zeek protocol log shares: time, connection uid and the connection 4-tuple.
import type { Endpoints } from '../../core/events.js';
import type { ZeekField, ZeekValue } from './zeek-log.js';

export const CONNECTION_FIELDS: readonly ZeekField[] = [
  { name: 'ts', type: 'time' },
  { name: 'uid', type: 'string' },
  { name: 'id.orig_h', type: 'addr' },
  { name: 'id.orig_p', type: 'port' },
  { name: 'id.resp_h', type: 'addr' },
  { name: 'id.resp_p', type: 'port' },
];

export function connectionCells(event: Endpoints & { ts: number; uid?: string }): ZeekValue[] {
  return [event.ts, event.uid, event.src_ip, event.src_port, event.dst_ip, event.dst_port];
}
