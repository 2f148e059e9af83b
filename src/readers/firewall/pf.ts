// OpenBSD/FreeBSD pf log lines as tcpdump prints pflog(4) packets (`tcpdump -n -e -ttt -r /var/log/pflog`,
// print-pflog.c): `[time] rule 2/(match) [uid 0, pid 1] block in on em0: 10.0.0.5.51234 > 203.0.113.9.21: S …`.
// Addresses carry the port after the last dot (tcpdump's `addr.port`); the protocol is read from what
// tcpdump prints after the addresses (TCP flags, `udp`, `UDP,`, `icmp`).
import { normaliseAction, count, port, type FirewallRecord, type ParseOutcome } from './record.js';
import type { Proto } from '../../core/events.js';
import { parseBsdTime, type SyslogHeader } from './syslog.js';

/** Index of `rule N/(` — a pf log line — or -1. */
export function pfStart(line: string): number {
  let from = 0;
  for (;;) {
    const at = line.indexOf('rule ', from);
    if (at === -1) return -1;
    const slash = line.indexOf('/(', at);
    if (slash !== -1 && slash - at < 48 && !line.slice(at + 5, slash).includes(' ') && line.indexOf(' on ', slash) !== -1) return at;
    from = at + 5;
  }
}

/** `addr.port` → [addr, port]; an address without a port (ICMP) is returned whole. */
function splitEndpoint(text: string): [string, number | undefined] {
  const dot = text.lastIndexOf('.');
  const ipv4Dots = text.split('.').length - 1;
  const hasPort = text.includes(':') ? dot !== -1 : ipv4Dots === 4;
  if (!hasPort) return [text, undefined];
  return [text.slice(0, dot), port(text.slice(dot + 1))];
}

function protoOf(rest: string): Proto {
  const head = rest.trimStart();
  if (head.startsWith('Flags [') || /^[SFRPUE.W]+ /.test(head.slice(0, 16)) || head.startsWith('. ')) return 'tcp';
  if (head.startsWith('UDP') || head.startsWith('udp')) return 'udp';
  if (head.startsWith('ICMP') || head.startsWith('icmp')) return 'icmp';
  return 'unknown';
}

/** tcpdump's time in front of the line: `Mar 01 12:00:00.123456` (-ttt on OpenBSD) or `2024-03-01 12:00:00.123456` (-tttt). */
function leadingTime(line: string, year: number): number | undefined {
  const bsd = parseBsdTime(line, 0, year);
  if (bsd !== undefined) return bsd.ts;
  if (line.charCodeAt(4) === 0x2d && line.charCodeAt(10) === 0x20) {
    const end = line.indexOf(' ', 11);
    const ms = Date.parse(`${line.slice(0, 10)}T${line.slice(11, end === -1 ? undefined : end)}Z`);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  return undefined;
}

export function parsePf(line: string, syslog: SyslogHeader, year: number): ParseOutcome {
  const at = pfStart(line);
  const fields = new Map<string, string>();
  const slash = line.indexOf('/(', at);
  const close = line.indexOf(')', slash);
  fields.set('rule', line.slice(at + 5, slash));
  fields.set('reason', line.slice(slash + 2, close));
  let i = close + 1;
  // Optional `[uid 0, pid 1234]` (pf logs with `log (user)`).
  if (line.startsWith(' [', i)) {
    const end = line.indexOf(']', i);
    if (end !== -1) i = end + 1;
  }
  const words = line.slice(i).trimStart().split(' ', 4);
  const [action, direction, on, ifaceColon] = words;
  if (on !== 'on' || ifaceColon === undefined || !ifaceColon.endsWith(':')) return { problem: 'bad_header' };
  fields.set('action', action!);
  fields.set('direction', direction!);
  fields.set('iface', ifaceColon.slice(0, -1));
  const afterIface = line.indexOf(`${ifaceColon} `, i) + ifaceColon.length + 1;
  const arrow = line.indexOf(' > ', afterIface);
  const colon = arrow === -1 ? -1 : line.indexOf(': ', arrow + 3);
  if (arrow === -1) return { problem: 'no_addresses' };
  const [src, srcPort] = splitEndpoint(line.slice(afterIface, arrow).trim());
  const dstText = line.slice(arrow + 3, colon === -1 ? undefined : colon);
  const [dst, dstPort] = splitEndpoint(dstText.endsWith(':') ? dstText.slice(0, -1) : dstText);
  const rest = colon === -1 ? '' : line.slice(colon + 2);
  fields.set('src', src);
  fields.set('dst', dst);
  if (srcPort !== undefined) fields.set('src_port', String(srcPort));
  if (dstPort !== undefined) fields.set('dst_port', String(dstPort));
  const lengthAt = rest.lastIndexOf('length ');
  const length = lengthAt === -1 ? undefined : count(rest.slice(lengthAt + 7).split(/[ ,)]/, 1)[0]);
  if (length !== undefined) fields.set('length', String(length));
  const direction_ = fields.get('direction');
  const record: FirewallRecord = {
    dialect: 'pf',
    syslog,
    fields,
    facts: {
      action: normaliseAction(action),
      proto: protoOf(rest),
      src_ip: src,
      src_port: srcPort,
      dst_ip: dst,
      dst_port: dstPort,
      in_iface: direction_ === 'in' ? fields.get('iface') : undefined,
      out_iface: direction_ === 'out' ? fields.get('iface') : undefined,
      rule: fields.get('rule'),
      length,
    },
    ts: leadingTime(line, year),
  };
  return { record };
}
