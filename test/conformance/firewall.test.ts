// Conformance of the firewall reader against CrowdSec hub parser tests (../shared/data/crowdsec-hub/.tests):
// each `parser.assert` states, per input line and parser stage, the fields CrowdSec's parsers extract.
// Compared: the dialect's own fields (netfilter key=values, filterlog CSV fields, CEF header and
// extension), the syslog framing (timestamp, host, program, pid, priority, version) and the normalised
// connection (addresses, ports, protocol, verdict, interfaces).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firewallOptions, parseFirewallLine } from '../../src/readers/firewall/index.js';
import { normaliseAction, type FirewallRecord } from '../../src/readers/firewall/record.js';
import { hasSharedData, sharedPath } from '../shared-data.js';
import { FieldTally, recordedFloor } from './tally.js';

const SETS = [
  { set: 'iptables-logs', log: 'iptables-logs.log', source: 'crowdsec iptables' },
  { set: 'proxmox-iptables-logs', log: 'proxmox-iptables.log', source: 'crowdsec iptables' },
  { set: 'pf-logs', log: 'pf-logs.log', source: 'crowdsec filterlog' },
  { set: 'pfsense-rfc5424-filterlog', log: 'pfsense-rfc5424-filterlog.log', source: 'crowdsec filterlog' },
  { set: 'cef-logs', log: 'cef-logs.log', source: 'crowdsec cef' },
  { set: 'unifi-cef', log: 'cef-logs.log', source: 'crowdsec cef' },
];

/** Per input line, the fields CrowdSec expects: `Parsed.x`, `Meta.x`, `Unmarshaled.<map>.x`, merged over stages. */
function expectations(text: string, lines: number): Map<number, Map<string, string>> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^len\(results\["(s\d\d-\w+)"\]\["([^"]+)"\]\) == (\d+)$/gm)) counts.set(`${m[1]}/${m[2]}`, Number(m[3]));
  const failed = new Set<string>();
  for (const m of text.matchAll(/^results\["(s\d\d-\w+)"\]\["([^"]+)"\]\[(\d+)\]\.Success == false$/gm)) failed.add(`${m[1]}/${m[2]}/${m[3]}`);
  const out = new Map<number, Map<string, string>>();
  const entry = /^(?:basename\()?results\["(s\d\d-\w+)"\]\["([^"]+)"\]\[(\d+)\]\.Evt\.(Parsed|Meta|Unmarshaled)\["([^"]+)"\](?:\["([^"]+)"\])?\)? == (".*")$/gm;
  for (const m of text.matchAll(entry)) {
    const [, stage, parser, index, kind, key, sub, value] = m as unknown as string[];
    // Only stages that saw every line keep CrowdSec's index equal to the line's; failed results carry no fields.
    if (counts.get(`${stage}/${parser}`) !== lines || failed.has(`${stage}/${parser}/${index}`)) continue;
    const fields = out.get(Number(index)) ?? new Map<string, string>();
    out.set(Number(index), fields);
    fields.set(sub === undefined ? `${kind}.${key}` : `${kind}.${key}.${sub}`, JSON.parse(value!) as string);
  }
  return out;
}

const SYSLOG_KEYS = new Map<string, (r: FirewallRecord) => string | undefined>([
  ['Parsed.timestamp', (r) => r.syslog.timestamp],
  ['Parsed.timestamp8601', (r) => r.syslog.timestamp],
  ['Parsed.program', (r) => r.syslog.program],
  ['Parsed.pid', (r) => r.syslog.pid],
  ['Parsed.syslog_priority', (r) => r.syslog.priority?.toString()],
  ['Parsed.syslog_version', (r) => r.syslog.version?.toString()],
  ['Meta.machine', (r) => r.syslog.host],
]);

const EVENT_KEYS = new Map<string, (r: FirewallRecord) => string | undefined>([
  ['Parsed.src_ip', (r) => r.facts?.src_ip],
  ['Parsed.dst_ip', (r) => r.facts?.dst_ip],
  ['Parsed.src_port', (r) => r.facts?.src_port?.toString()],
  ['Parsed.dst_port', (r) => r.facts?.dst_port?.toString()],
  ['Parsed.proto', (r) => r.facts?.proto],
  ['Parsed.action', (r) => r.facts?.action],
  ['Parsed.int_eth', (r) => r.facts?.in_iface],
  ['Parsed.iface', (r) => r.facts?.in_iface],
  ['Parsed.oface', (r) => r.facts?.out_iface],
  ['Parsed.length', (r) => r.facts?.length?.toString()],
  ['Meta.source_ip', (r) => r.facts?.src_ip ?? r.fields.get('src')],
]);

/** Expected event values in our vocabulary: protocols lowercased, verdicts normalised. */
function normaliseExpected(key: string, value: string): string | undefined {
  if (key === 'Parsed.proto') return value.toLowerCase();
  if (key === 'Parsed.action') return normaliseAction(value);
  return value;
}

/**
 * Expectations that are not facts of the line, left out: CrowdSec's acquisition labels (`program` is
 * `pve-firewall` for Proxmox files and the vendor for CEF, though neither is written in the line), and the
 * Proxmox parser's `int_eth`, which holds the rule chain (`PVEFW-HOST`, `tap101i0`), not an interface.
 */
function notInLine(key: string, want: string, line: string, set: string): boolean {
  if (key === 'Parsed.program') return !line.includes(`${want}:`) && !line.includes(`${want}[`) && !line.includes(` ${want} `);
  return set === 'proxmox-iptables-logs' && key === 'Parsed.int_eth';
}

function compareLine(tally: FieldTally, source: string, record: FirewallRecord | undefined, expected: Map<string, string>, where: string, line: string, set: string): void {
  const dialect = record?.dialect ?? 'none';
  for (const [key, want] of expected) {
    if (notInLine(key, want, line, set)) continue;
    const syslog = SYSLOG_KEYS.get(key);
    const event = EVENT_KEYS.get(key);
    if (syslog !== undefined) tally.compare(source, `syslog ${key.slice(key.indexOf('.') + 1)}`, want, record && syslog(record), where);
    else if (event !== undefined) {
      // Filterlog names its own fields src_ip… too: those are compared as filterlog fields below.
      if (dialect !== 'filterlog' || !key.startsWith('Parsed.')) tally.compare(source, `event ${key.slice(key.indexOf('.') + 1)}`, normaliseExpected(key, want), record && event(record), where);
    }
    if (key.startsWith('Unmarshaled.')) {
      const field = key.slice(key.indexOf('.', 12) + 1);
      tally.compare(source, `${dialect} fields`, want, record?.fields.get(field), where);
    } else if (key.startsWith('Parsed.cef_')) {
      tally.compare(source, 'cef header', want, record?.fields.get(key.slice(7)), where);
    } else if (dialect === 'filterlog' && key.startsWith('Parsed.') && record!.fields.has(key.slice(7))) {
      tally.compare(source, 'filterlog fields', want, record!.fields.get(key.slice(7)), where);
    } else if (dialect === 'filterlog' && key.startsWith('Parsed.') && FILTERLOG_NAMES.has(key.slice(7))) {
      tally.compare(source, 'filterlog fields', want, undefined, where);
    }
  }
}

const FILTERLOG_NAMES = new Set(['rule', 'tracker', 'iface', 'reason', 'action', 'direction', 'ip_ver', 'length', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'data_length', 'tcp_flags', 'sequence_number', 'ack_number', 'tcp_window', 'tcp_options', 'ip4_tos', 'ip4_ttl', 'ip4_id', 'ip4_offset', 'ip4_flags', 'ip4_proto', 'ip4_proto_id', 'ip6_class', 'ip6_flow_label', 'ip6_hop_limit', 'ip6_proto', 'ip6_proto_id']);

describe.skipIf(!hasSharedData)('firewall conformance', () => {
  it('matches CrowdSec hub parser tests for iptables, pf/filterlog and CEF', () => {
    const tally = new FieldTally();
    const options = firewallOptions.parse({ syslog_year: 2022 });
    for (const { set, log, source } of SETS) {
      const dir = sharedPath('crowdsec-hub', '.tests', set);
      const lines = readFileSync(`${dir}/${log}`, 'utf8').split('\n').filter((l) => l.length > 0);
      const expected = expectations(readFileSync(`${dir}/parser.assert`, 'utf8'), lines.length);
      lines.forEach((line, i) => {
        const want = expected.get(i);
        if (want === undefined) return;
        const outcome = parseFirewallLine(line, options);
        const record = outcome !== undefined && 'record' in outcome ? outcome.record : undefined;
        compareLine(tally, source, record, want, `${set}:${i + 1}`, line, set);
      });
    }
    console.log(`\nfirewall conformance\n${tally.table()}\n`);
    for (const source of tally.sources()) {
      expect.soft(tally.rate(source), source).toBeGreaterThanOrEqual(recordedFloor(`firewall: ${source}`));
    }
  });
});
