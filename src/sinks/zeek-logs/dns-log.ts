// dns.log: one row per query and its response, Zeek's base/protocols/dns/main.zeek Info record (the columns we fill).
import { CONNECTION_FIELDS, connectionCells } from './endpoints.js';
import type { ZeekLog } from './zeek-log.js';

export const dnsLog: ZeekLog<'dns'> = {
  path: 'dns',
  kind: 'dns',
  fields: [
    ...CONNECTION_FIELDS,
    { name: 'proto', type: 'enum' },
    { name: 'trans_id', type: 'count' },
    { name: 'query', type: 'string' },
    { name: 'qtype', type: 'count' },
    { name: 'qtype_name', type: 'string' },
    { name: 'rcode', type: 'count' },
    { name: 'rcode_name', type: 'string' },
    { name: 'answers', type: 'vector[string]' },
    { name: 'TTLs', type: 'vector[interval]' },
  ],
  row: (e) => [
    // A message without a question has no query: Zeek leaves it unset rather than empty.
    ...connectionCells(e), e.proto, e.trans_id, e.query === '' ? undefined : e.query, e.qtype, e.qtype_name, e.rcode, e.rcode_name, e.answers, e.ttls,
  ],
};
