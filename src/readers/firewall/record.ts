// What every firewall dialect parser yields: the dialect's own fields (for `exfilscope dump` and
// conformance) and the normalised connection facts that become a `firewall` event.
import type { FirewallEvent, Proto } from '../../core/events.js';
import type { SyslogHeader } from './syslog.js';

export type Dialect = 'netfilter' | 'filterlog' | 'pf' | 'cef';

/** The normalised part: a firewall event without its time, host and source (the reader adds those). */
export type FirewallFacts = Omit<FirewallEvent, 'kind' | 'ts' | 'host' | 'source'>;

export interface FirewallRecord {
  dialect: Dialect;
  /** The syslog header in front of the message, when there was one. */
  syslog: SyslogHeader;
  /** Fields by the dialect's own names (`SRC`, `DPT` for netfilter; pfSense's names for filterlog; CEF keys). */
  fields: Map<string, string>;
  /** Epoch seconds from the message itself (CEF `rt`, a pf or Proxmox timestamp), preferred to syslog's. */
  ts?: number;
  facts?: FirewallFacts;
}

/** Why a line that looked like a dialect could not be used. */
export type FirewallProblem = 'no_addresses' | 'bad_csv' | 'bad_header';

export type ParseOutcome = { record: FirewallRecord } | { problem: FirewallProblem };

/** Firewall verdicts in one vocabulary: allow, block (drop/deny), reject; others lowercased as logged. */
export function normaliseAction(text: string | undefined): string | undefined {
  if (text === undefined || text.length === 0) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'accept' || lower === 'accepted' || lower === 'allow' || lower === 'allowed' || lower === 'pass' || lower === 'permit' || lower === 'permitted') return 'allow';
  if (lower === 'drop' || lower === 'dropped' || lower === 'deny' || lower === 'denied' || lower === 'block' || lower === 'blocked') return 'block';
  if (lower === 'reject' || lower === 'rejected') return 'reject';
  return lower;
}

export function normaliseProto(text: string | undefined): Proto {
  switch (text?.toLowerCase()) {
    case 'tcp': case '6': return 'tcp';
    case 'udp': case '17': return 'udp';
    case 'icmp': case 'icmpv6': case 'ipv6-icmp': case '1': case '58': return 'icmp';
    default: return 'unknown';
  }
}

/** A port or length field: a non-negative safe integer, else undefined. */
export function count(text: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 16) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = Number(text);
  return n <= max ? n : undefined;
}

export function port(text: string | undefined): number | undefined {
  return count(text, 65535);
}
