// Linux netfilter LOG / NFLOG text as the kernel prints it (iptables `-j LOG`, nftables `log`, ufw,
// Proxmox pve-firewall): `[prefix] IN=eth0 OUT= MAC=… SRC=… DST=… LEN=… … PROTO=TCP SPT=… DPT=… SYN …`,
// key=value tokens and bare flags, as written by net/netfilter/nf_log_syslog.c. The log prefix (set by the
// rule) names the rule and usually its verdict (`IPTABLES-DROP:`, `[UFW BLOCK]`, `policy DROP:`).
import { normaliseAction, normaliseProto, count, port, type ParseOutcome } from './record.js';
import type { SyslogHeader } from './syslog.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Index of the `IN=` (or, when a logger leaves it out, `OUT=`) token that starts the packet description, or -1. */
export function netfilterStart(message: string): number {
  const token = (name: string): number => (message.startsWith(name) ? 0 : message.indexOf(` ${name}`) + 1 || -1);
  const inAt = token('IN=');
  const at = inAt !== -1 ? inAt : token('OUT=');
  if (at === -1) return -1;
  return message.indexOf(' SRC=', at) !== -1 && message.indexOf(' DST=', at) !== -1 ? at : -1;
}

/** The rule's verdict from a log prefix: the first word that is a known verdict. */
function verdict(prefix: string): string | undefined {
  let word = '';
  for (let i = 0; i <= prefix.length; i++) {
    const c = i < prefix.length ? prefix.charCodeAt(i) : 0x20;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (letter) {
      word += prefix[i];
      continue;
    }
    const action = normaliseAction(word);
    if (action === 'allow' || action === 'block' || action === 'reject') return action;
    word = '';
  }
  return undefined;
}

/** Proxmox writes `20/Jun/2022:13:09:14 +0200` into its prefix: epoch seconds, if present. */
function clfTime(prefix: string): number | undefined {
  const slash = prefix.indexOf('/');
  if (slash < 2) return undefined;
  const at = slash - 2;
  const token = prefix.slice(at, at + 26);
  const month = MONTHS.indexOf(token.slice(3, 6));
  if (month === -1 || token[6] !== '/' || token[11] !== ':' || token[20] !== ' ') return undefined;
  const [d, y, h, mi, s] = [token.slice(0, 2), token.slice(7, 11), token.slice(12, 14), token.slice(15, 17), token.slice(18, 20)].map(Number);
  const zone = token.slice(21, 26);
  const offset = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const ts = Date.UTC(y!, month, d!, h!, mi!, s!) / 1000 - offset * 60;
  return Number.isFinite(ts) ? ts : undefined;
}

export function parseNetfilter(message: string, syslog: SyslogHeader): ParseOutcome {
  const start = netfilterStart(message);
  let prefix = message.slice(0, Math.max(start, 0)).trim();
  // The kernel's own `[ 1234.567890]` uptime stamp is not part of the rule's prefix.
  if (prefix.startsWith('[')) {
    const close = prefix.indexOf(']');
    if (close !== -1 && /^[\d. ]+$/.test(prefix.slice(1, close))) prefix = prefix.slice(close + 1).trim();
  }
  const fields = new Map<string, string>();
  const flags: string[] = [];
  for (const token of message.slice(start).split(' ')) {
    if (token.length === 0) continue;
    const eq = token.indexOf('=');
    if (eq === -1) {
      flags.push(token);
      continue;
    }
    const key = token.slice(0, eq);
    // The transport header repeats LEN= (UDP length); the first is the IP packet's.
    fields.set(fields.has(key) ? `${key}_2` : key, token.slice(eq + 1));
  }
  if (flags.length > 0) fields.set('FLAGS', flags.join(' '));
  if (prefix.length > 0) fields.set('PREFIX', prefix);
  const src = fields.get('SRC');
  const dst = fields.get('DST');
  if (src === undefined || dst === undefined || src.length === 0 || dst.length === 0) return { problem: 'no_addresses' };
  const record = {
    dialect: 'netfilter' as const,
    syslog,
    fields,
    facts: {
      action: verdict(prefix),
      proto: normaliseProto(fields.get('PROTO')),
      src_ip: src,
      src_port: port(fields.get('SPT')),
      dst_ip: dst,
      dst_port: port(fields.get('DPT')),
      in_iface: fields.get('IN') || undefined,
      out_iface: fields.get('OUT') || undefined,
      rule: prefix.length > 0 ? prefix : undefined,
      length: count(fields.get('LEN')),
    },
    ts: clfTime(prefix),
  };
  return { record };
}
