// pfSense / OPNsense `filterlog` CSV (pf rules logged through pflog0 by filterlog(8)). Field layout from
// the Netgate documentation "Raw Filter Log Format": common fields, then IPv4 or IPv6 header fields,
// then protocol fields (TCP, UDP, ICMP, CARP). Field names follow that document (snake_case).
import { normaliseAction, normaliseProto, count, port, type FirewallRecord, type ParseOutcome } from './record.js';
import type { SyslogHeader } from './syslog.js';

const COMMON = ['rule', 'sub_rule', 'anchor', 'tracker', 'iface', 'reason', 'action', 'direction', 'ip_ver'];
const IPV4 = ['ip4_tos', 'ip4_ecn', 'ip4_ttl', 'ip4_id', 'ip4_offset', 'ip4_flags', 'ip4_proto_id', 'ip4_proto', 'length', 'src_ip', 'dst_ip'];
const IPV6 = ['ip6_class', 'ip6_flow_label', 'ip6_hop_limit', 'ip6_proto', 'ip6_proto_id', 'length', 'src_ip', 'dst_ip'];
const TCP = ['src_port', 'dst_port', 'data_length', 'tcp_flags', 'sequence_number', 'ack_number', 'tcp_window', 'urg', 'tcp_options'];
const UDP = ['src_port', 'dst_port', 'data_length'];
const ICMP = ['icmp_type'];
const CARP = ['carp_type', 'carp_ttl', 'carp_vhid', 'carp_version', 'carp_advbase', 'carp_advskew'];

/** True when the message has filterlog's shape: a verdict and an IP version at their positions. */
export function looksLikeFilterlog(message: string): boolean {
  const parts = message.split(',', 10);
  if (parts.length < 10) return false;
  const action = parts[6];
  return (action === 'pass' || action === 'block' || action === 'reject' || action === 'match')
    && (parts[7] === 'in' || parts[7] === 'out') && (parts[8] === '4' || parts[8] === '6');
}

export function parseFilterlog(message: string, syslog: SyslogHeader): ParseOutcome {
  const parts = message.trimEnd().split(',');
  const fields = new Map<string, string>();
  const take = (names: string[], at: number): number => {
    names.forEach((name, k) => {
      const value = parts[at + k];
      if (value !== undefined) fields.set(name, value);
    });
    return at + names.length;
  };
  let at = take(COMMON, 0);
  const v6 = fields.get('ip_ver') === '6';
  at = take(v6 ? IPV6 : IPV4, at);
  const protoName = (fields.get(v6 ? 'ip6_proto' : 'ip4_proto') ?? '').toLowerCase();
  if (protoName === 'tcp') take(TCP, at);
  else if (protoName === 'udp') take(UDP, at);
  else if (protoName === 'icmp' || protoName === 'ipv6-icmp') take(ICMP, at);
  else if (protoName === 'carp') take(CARP, at);
  const src = fields.get('src_ip');
  const dst = fields.get('dst_ip');
  if (parts.length < 9 + (v6 ? IPV6 : IPV4).length) return { problem: 'bad_csv' };
  if (src === undefined || dst === undefined || src.length === 0 || dst.length === 0) return { problem: 'no_addresses' };
  const record: FirewallRecord = {
    dialect: 'filterlog',
    syslog,
    fields,
    facts: {
      action: normaliseAction(fields.get('action')),
      proto: normaliseProto(protoName),
      src_ip: src,
      src_port: port(fields.get('src_port')),
      dst_ip: dst,
      dst_port: port(fields.get('dst_port')),
      in_iface: fields.get('direction') === 'in' ? fields.get('iface') : undefined,
      out_iface: fields.get('direction') === 'out' ? fields.get('iface') : undefined,
      rule: fields.get('tracker') || fields.get('rule'),
      length: count(fields.get('length')),
    },
  };
  return { record };
}
