// http.log: one row per HTTP transaction, Zeek's base/protocols/http/main.zeek Info record (the columns we fill).
import { CONNECTION_FIELDS, connectionCells } from './endpoints.js';
import type { ZeekLog } from './zeek-log.js';

export const httpLog: ZeekLog<'http'> = {
  path: 'http',
  kind: 'http',
  fields: [
    ...CONNECTION_FIELDS,
    { name: 'method', type: 'string' },
    { name: 'host', type: 'string' },
    { name: 'uri', type: 'string' },
    { name: 'referrer', type: 'string' },
    { name: 'user_agent', type: 'string' },
    { name: 'request_body_len', type: 'count' },
    { name: 'response_body_len', type: 'count' },
    { name: 'status_code', type: 'count' },
  ],
  row: (e) => [
    ...connectionCells(e), e.method, e.host_header, e.uri, e.referrer, e.user_agent, e.request_body_len, e.response_body_len, e.status_code,
  ],
};
