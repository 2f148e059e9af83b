// The firewall log reader: one line at a time, each line's dialect recognised by its content, so a
// syslog file that mixes iptables, filterlog and CEF lines (or other programs' lines) is read whole.
// Dialects: netfilter LOG (iptables/nftables/ufw/Proxmox), pfSense/OPNsense filterlog CSV, OpenBSD pf
// (tcpdump text of pflog), CEF. Every recognised packet or session becomes a `firewall` event whose
// host is the source address (the side whose traffic is measured, as for Zeek flows).
// A CEF message whose extension names no source and destination (an admin login) is a record (it is
// dumped) but no traffic: counted as firewall.not_traffic.
// Anomaly codes: firewall.other_line (a line of no firewall dialect: skipped), firewall.not_traffic, firewall.no_addresses,
// firewall.bad_csv, firewall.bad_header, firewall.no_timestamp; input.line_too_long from the line splitter.
import { z } from 'zod';
import type { Event, FirewallEvent } from '../../core/events.js';
import { canonicalIp } from '../../core/ip.js';
import type { ByteStream } from '../io/open.js';
import { BadLines, numberedLines } from '../io/text-input.js';
import type { ReadContext, Reader } from '../reader.js';
import { cefVersionAt, parseCef } from './cef.js';
import { looksLikeFilterlog, parseFilterlog } from './filterlog.js';
import { netfilterStart, parseNetfilter } from './netfilter.js';
import { parsePf, pfStart } from './pf.js';
import type { FirewallRecord, ParseOutcome } from './record.js';
import { parseSyslog } from './syslog.js';

export const firewallOptions = z.strictObject({
  /** RFC 3164 syslog and pf timestamps carry no year: this one is assumed (default: the current UTC year). */
  syslog_year: z.number().int().min(1970).max(9999).default(() => new Date().getUTCFullYear()),
  /** CEF `out` holds the bytes the source sent (vendor practice: Palo Alto, Fortinet) rather than the reverse (the CEF text). */
  cef_out_is_source_bytes: z.boolean().default(true),
});

export type FirewallOptions = z.infer<typeof firewallOptions>;

/** Parses one line in whichever dialect it is written; undefined when it is no firewall line at all. */
export function parseFirewallLine(line: string, options: FirewallOptions): ParseOutcome | undefined {
  const { header, message } = parseSyslog(line, options.syslog_year);
  // `CEF:` may be taken for a syslog tag (`host CEF:0|…`), so it is looked for in the whole line.
  const cef = cefVersionAt(line);
  if (cef !== -1) {
    if (header.program === 'CEF') delete header.program;
    return parseCef(line.slice(cef), header, options.cef_out_is_source_bytes);
  }
  if (header.program === 'filterlog' || looksLikeFilterlog(message)) return parseFilterlog(message, header);
  if (netfilterStart(message) !== -1) return parseNetfilter(message, header);
  if (pfStart(line) !== -1) return parsePf(line, header, options.syslog_year);
  return undefined;
}

function sniff(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 16384)).toString('latin1');
  const options = firewallOptions.parse({});
  for (const line of text.split('\n', 50)) {
    if (parseFirewallLine(line, options) !== undefined) return true;
  }
  return false;
}

interface LocatedRecord {
  record: FirewallRecord;
  line: number;
}

/** Recognised records of the input, in batches; shared by `events()` and `records()`. */
async function* firewallRecords(stream: ByteStream, ctx: ReadContext<FirewallOptions>): AsyncIterable<LocatedRecord[]> {
  const badLines = new BadLines(ctx);
  for await (const batch of numberedLines(stream, ctx)) {
    const out: LocatedRecord[] = [];
    for (const { text, line } of batch) {
      const outcome = parseFirewallLine(text, ctx.options);
      if (outcome === undefined) {
        // Other programs' lines in a shared syslog file are expected: skipped and counted, never fatal.
        ctx.health.anomalies.add('firewall.other_line', { line });
      } else if ('problem' in outcome) {
        badLines.bad(`firewall.${outcome.problem}`, line);
      } else {
        badLines.good();
        out.push({ record: outcome.record, line });
      }
    }
    if (out.length > 0) yield out;
  }
}

/** The record as an event; a line with no time at all (CEF without `rt`, no syslog header) cannot be placed in a window, so it is skipped and counted. */
function toEvent({ record, line }: LocatedRecord, path: string, ctx: ReadContext<FirewallOptions>): FirewallEvent | undefined {
  const ts = record.ts ?? record.syslog.ts;
  if (ts === undefined) {
    ctx.health.anomalies.add('firewall.no_timestamp', { line });
    return undefined;
  }
  const facts = record.facts!;
  // Addresses in canonical text (the kernel zero-pads IPv6) so they match the same host seen elsewhere.
  const src = canonicalIp(facts.src_ip);
  const event: FirewallEvent = { kind: 'firewall', ts, host: src, source: { reader: 'firewall', path, line }, proto: facts.proto, src_ip: src, dst_ip: canonicalIp(facts.dst_ip) };
  // Only the facts the line had: no `undefined` keys in the JSON, and no `delete` (it slows objects down).
  if (facts.action !== undefined) event.action = facts.action;
  if (facts.src_port !== undefined) event.src_port = facts.src_port;
  if (facts.dst_port !== undefined) event.dst_port = facts.dst_port;
  if (facts.in_iface !== undefined) event.in_iface = facts.in_iface;
  if (facts.out_iface !== undefined) event.out_iface = facts.out_iface;
  if (facts.rule !== undefined) event.rule = facts.rule;
  if (facts.length !== undefined) event.length = facts.length;
  if (facts.bytes_out !== undefined) event.bytes_out = facts.bytes_out;
  if (facts.bytes_in !== undefined) event.bytes_in = facts.bytes_in;
  return event;
}

export const firewallReader: Reader<FirewallOptions> = {
  name: 'firewall',
  description: 'Firewall logs: netfilter LOG (iptables/nftables), pf, pfSense/OPNsense filterlog, CEF',
  options: firewallOptions,
  sniff,
  async *events(stream, ctx) {
    for await (const batch of firewallRecords(stream, ctx)) {
      const events: Event[] = [];
      for (const located of batch) {
        if (located.record.facts === undefined) {
          ctx.health.anomalies.add('firewall.not_traffic', { line: located.line });
          continue;
        }
        const event = toEvent(located, ctx.path, ctx);
        if (event !== undefined) events.push(event);
      }
      if (events.length > 0) yield events;
    }
  },
  async *records(stream, ctx) {
    for await (const batch of firewallRecords(stream, ctx)) {
      yield batch.map(({ record, line }) => ({
        line,
        dialect: record.dialect,
        syslog: record.syslog,
        fields: Object.fromEntries(record.fields),
      }));
    }
  },
};
