// Harness for comparing our Zeek-format logs with Zeek's own btest baselines (../shared/data/zeek): finds the
// traces mapped to a log kind, decodes each trace with our capture reader, matches our rows to Zeek's by
// connection key and counts, per field, how many of Zeek's rows we reproduce. Used by conn.test.ts and by
// the application-log conformance tests (http, dns, ftp, smtp).
import { createReadStream, readFileSync } from 'node:fs';
import { AnomalyCounter } from '../../src/core/anomalies.js';
import { InputError } from '../../src/core/errors.js';
import type { Event } from '../../src/core/events.js';
import { newInputHealth } from '../../src/core/health.js';
import type { AppProtocol } from '../../src/protocols/analyzer.js';
import { LIKELY_SERVER_PORTS } from '../../src/protocols/flows/flow-table.js';
import { appProtocols } from '../../src/protocols/index.js';
import { captureEvents, captureOptions } from '../../src/readers/capture/capture-reader.js';
import { openInput } from '../../src/readers/io/open.js';
import { tsvCell } from '../../src/sinks/zeek-logs/format.js';
import type { ZeekLog } from '../../src/sinks/zeek-logs/zeek-log.js';
import { sharedPath } from '../shared-data.js';

export interface BaselineCase {
  trace: string;
  logType: string;
  baseline: string;
  test: string;
  /** How many traces the test ran before diffing this baseline (more than one: rows of several traces). */
  traces: number;
  jsonLogs: boolean;
  command: string;
}

/** Every (trace, baseline) pair of the mapping whose log type is `logType` (e.g. `conn`). */
export function baselineCases(logType: string): BaselineCase[] {
  const text = readFileSync(sharedPath('zeek', '_mapping', 'trace_to_log_baselines.tsv'), 'utf8');
  const [, ...lines] = text.trimEnd().split('\n');
  return lines
    .map((line) => line.split('\t'))
    .filter((cols) => cols[1] === logType)
    .map((cols) => ({
      trace: sharedPath('zeek', cols[0]!),
      logType: cols[1]!,
      baseline: sharedPath('zeek', cols[2]!),
      test: cols[3]!,
      traces: Number(cols[4]),
      jsonLogs: cols[5] === 'True',
      command: cols[6] ?? '',
    }));
}

/** Analyzers bare-mode tests load with their own scripts, by test (bare-mode-loads.tsv). */
const BARE_MODE_LOADS = new Map(
  readFileSync(new URL('./bare-mode-loads.tsv', import.meta.url), 'utf8').split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .map(([test, names]) => [test!, new Set(names!.split(' '))]),
);

/**
 * The application analyzers Zeek had loaded: all of ours, except in bare mode (`-b`), where Zeek loads only
 * the protocol scripts the test loads (`loadsProtocol`).
 */
export function protocolsFor(c: BaselineCase): readonly AppProtocol[] {
  const options = captureOptions.parse(optionsFor(c)).protocols;
  return appProtocols(options, (name) => !isBare(c) || loadsProtocol(c, SCRIPT_OF_SERVICE.get(name) ?? name));
}

/** Services named otherwise than the `base/protocols/<script>` directory whose load brings their analyzer. */
const SCRIPT_OF_SERVICE = new Map([['krb_tcp', 'krb'], ['syslog_tcp', 'syslog'], ['rdpeudp', 'rdp']]);

/**
 * Whether bare-mode Zeek had protocol script `name` loaded for this test: those its script `@load`s where
 * recorded (bare-mode-loads.tsv), else what its name (`scripts.base.protocols.<name>.*`) or command
 * (`protocols/<name>`) names.
 */
function loadsProtocol(c: BaselineCase, name: string): boolean {
  return BARE_MODE_LOADS.get(c.test)?.has(name) ?? (c.test.includes(`.protocols.${name}.`) || c.command.includes(`protocols/${name}`));
}

function isBare(c: BaselineCase): boolean {
  return /(^|\s)-[a-zA-Z]*b/.test(c.command);
}

/** The ports each Zeek analyzer adds to likely_server_ports (`ports` of base/protocols/<script>/main.zeek), by service. */
const ANALYZER_PORTS: Readonly<Record<string, readonly number[]>> = {
  http: [80, 81, 631, 3128, 8000, 8080, 8888], dns: [53, 137, 5353, 5355], ftp: [21, 2811], smtp: [25, 587],
  ssh: [22], ssl: [443, 465, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223], dhcp: [67], ntp: [123], krb_tcp: [88],
};

/**
 * Ports even a bare Zeek has in likely_server_ports: its packet analyzers' (base/packet-protocols: teredo, ayiya,
 * vxlan, geneve, gtpv1), which init-bare loads.
 */
const PACKET_ANALYZER_PORTS = [3544, 5072, 4789, 6081, 2152, 2123];

/**
 * likely_server_ports as a bare Zeek (`-b`) had it: only the ports of the analyzers it loaded (a full Zeek's
 * list, the reader's default, also holds ports such as 1080 of analyzers exfilscope does not have).
 */
export function serverPortsFor(c: BaselineCase): Record<string, unknown> {
  const added = SCRIPT_REDEFINITIONS.get(c.test)?.addedServerPorts ?? [];
  if (!isBare(c)) return added.length === 0 ? {} : { likely_server_ports: [...LIKELY_SERVER_PORTS, ...added] };
  return { likely_server_ports: [...PACKET_ANALYZER_PORTS, ...protocolsFor(c).flatMap((p) => ANALYZER_PORTS[p.name] ?? []), ...added] };
}

/** Zeek options with a reader config key (its path under `readers.pcap`), set where a test's command line sets them. */
const ZEEK_OPTIONS = new Map<string, readonly string[]>([
  ['Tunnel::delay_teredo_confirmation', ['delay_teredo_confirmation']],
  ['Tunnel::max_depth', ['max_tunnel_depth']],
  ['DPD::track_removed_services_in_connection', ['track_removed_services']],
  ['dns_max_queries', ['protocols', 'dns', 'max_questions']],
  ['dns_max_compression_chain_depth', ['protocols', 'dns', 'max_compression_depth']],
  ['FTP::max_command_length', ['protocols', 'ftp', 'max_command_length']],
]);

/**
 * What each test's script redefines (script-options.tsv): reader options, and the ports it adds to
 * likely_server_ports (`+likely_server_ports`, added to those Zeek had by `serverPortsFor`).
 */
const SCRIPT_REDEFINITIONS = new Map(
  readFileSync(new URL('./script-options.tsv', import.meta.url), 'utf8').split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .map(([test, json]) => {
      const { '+likely_server_ports': addedServerPorts = [], ...options } = JSON.parse(json!) as Record<string, unknown> & { '+likely_server_ports'?: number[] };
      return [test!, { options, addedServerPorts }];
    }),
);

/**
 * Reader options matching how Zeek ran: without `-C` it verifies checksums; the Zeek options of ZEEK_OPTIONS its
 * command line sets (`name=value`); what the test's script redefines (top-level reader keys).
 */
export function optionsFor(c: BaselineCase): Record<string, unknown> {
  const options: Record<string, unknown> = /(^|\s)-[a-zA-Z]*C/.test(c.command) ? {} : { checksums: 'verify' };
  for (const setting of c.command.replaceAll('"', '').split(/\s+/)) {
    const [name, value] = setting.split('=');
    const path = ZEEK_OPTIONS.get(name!);
    if (path === undefined || value === undefined) continue;
    let at = options;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path.at(-1)!] = value === 'T' ? true : value === 'F' ? false : Number(value);
  }
  return { ...options, ...SCRIPT_REDEFINITIONS.get(c.test)?.options };
}

/**
 * Tests whose scripts install BPF filters while Zeek reads (core.pcap.dynamic-filter: Pcap::install_pcap_filter
 * after the first packets; netcontrol.packetfilter: a NetControl drop rule per established connection).
 */
const RUNTIME_FILTER_TESTS = new Set(['core.pcap.dynamic-filter', 'scripts.base.frameworks.netcontrol.packetfilter']);

/** Why a case cannot be compared as Zeek ran it (a BPF filter or options we do not model), if so. */
export function exclusionReason(c: BaselineCase): string | undefined {
  if (/\s-f\s/.test(c.command)) return 'Zeek ran with a BPF capture filter';
  if (RUNTIME_FILTER_TESTS.has(c.test)) return 'its script installs BPF filters while Zeek reads';
  if (c.jsonLogs) return 'JSON baseline';
  return undefined;
}

export interface ZeekTable {
  fields: string[];
  rows: string[][];
}

/** Reads a Zeek TSV log or a `zeek-cut` extract (first non-comment line = field names). */
export function readZeekTsv(path: string): ZeekTable {
  const lines = readFileSync(path, 'utf8').split('\n');
  let fields: string[] | undefined;
  const rows: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('#fields\t')) fields = line.split('\t').slice(1);
    else if (line.startsWith('#') || line === '') continue;
    else if (fields === undefined) fields = line.split('\t');
    else rows.push(line.split('\t'));
  }
  return { fields: fields ?? [], rows };
}

export interface DecodedTrace {
  events: Event[];
  anomalies: AnomalyCounter;
  notes: string[];
  /** An InputError: the input (or its tail) could not be read, said clearly. */
  error?: string;
  /** Anything else thrown: a bug. */
  crash?: string;
}

/** Decodes a trace with default options (overridable) and returns every event and the anomalies. */
export async function decodeTrace(
  path: string, options: Record<string, unknown> = {}, keepEvents = true, protocols?: readonly AppProtocol[],
): Promise<DecodedTrace> {
  const parsed = captureOptions.parse(options);
  const health = newInputHealth(path);
  let opened;
  try {
    opened = await openInput(createReadStream(path));
  } catch (err) {
    return { events: [], anomalies: health.anomalies, notes: [], error: (err as Error).message };
  }
  const events: Event[] = [];
  try {
    for await (const batch of captureEvents(opened.stream, {
      path,
      health,
      limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: 1000 },
      options: parsed,
    }, protocols ?? appProtocols(parsed.protocols))) if (keepEvents) events.push(...batch);
  } catch (err) {
    if (err instanceof InputError) return { events, anomalies: health.anomalies, notes: health.notes, error: err.message };
    return { events, anomalies: health.anomalies, notes: health.notes, crash: (err as Error).stack ?? String(err) };
  }
  return { events, anomalies: health.anomalies, notes: health.notes };
}

/** Our rows of `log` as field → formatted cell. */
export function ourRows(log: ZeekLog<any>, events: readonly Event[]): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  for (const event of events) {
    if (event.kind !== log.kind) continue;
    const cells = log.row(event as never);
    if (cells === undefined) continue;
    out.push(new Map(log.fields.map((f, i) => [f.name, tsvCell(cells[i], f)])));
  }
  return out;
}

export interface FieldTally {
  matched: number;
  total: number;
}

export interface Comparison {
  rows: number;
  rowsAllMatch: number;
  /** Rows matching on every field except `service` (which the application analyzers decide). */
  rowsAllButService: number;
  missing: number;
  extra: number;
  fields: Map<string, FieldTally>;
  /** A few mismatches per field: baseline vs ours, with the case name. */
  examples: Map<string, string[]>;
}

export function newComparison(): Comparison {
  return { rows: 0, rowsAllMatch: 0, rowsAllButService: 0, missing: 0, extra: 0, fields: new Map(), examples: new Map() };
}

export type CellEquality = (field: string, zeek: string, ours: string) => boolean;

export const exactOrDuration: CellEquality = (field, zeek, ours) => {
  if (zeek === ours) return true;
  if (field === 'duration' && zeek !== '-' && ours !== '-') return Math.abs(Number(zeek) - Number(ours)) <= 1e-6 + 1e-9;
  return false;
};

/**
 * Matches Zeek's rows to ours on `key` fields and tallies `compare` fields into `into`. Only fields in the
 * baseline count. Rows agreeing on every field are paired first (so an earlier Zeek row cannot take a later
 * one's exact match when the key is short, as in `zeek-cut` extracts without addresses); each other Zeek row
 * then greedily takes, among our rows left with its key, the one agreeing on most fields.
 */
export function compareTable(
  name: string, zeek: ZeekTable, ours: Map<string, string>[], key: readonly string[], compare: readonly string[],
  into: Comparison, equal: CellEquality = exactOrDuration,
): void {
  const index = new Map<string, number>();
  zeek.fields.forEach((f, i) => {
    if (!index.has(f)) index.set(f, i);
  });
  const keyFields = key.filter((f) => index.has(f));
  const fields = compare.filter((f) => index.has(f));
  const pool = new Map<string, Map<string, string>[]>();
  for (const row of ours) {
    const k = keyFields.map((f) => row.get(f) ?? '-').join('|');
    const list = pool.get(k);
    if (list === undefined) pool.set(k, [row]);
    else list.push(row);
  }
  const keyOf = (zrow: string[]) => keyFields.map((f) => zrow[index.get(f)!] ?? '-').join('|');
  const scoreOf = (zrow: string[], row: Map<string, string>) => fields.filter((f) => equal(f, zrow[index.get(f)!]!, row.get(f) ?? '-')).length;
  const exact = zeek.rows.map((zrow) => {
    const candidates = pool.get(keyOf(zrow)) ?? [];
    const at = candidates.findIndex((row) => scoreOf(zrow, row) === fields.length);
    return at >= 0 ? candidates.splice(at, 1)[0] : undefined;
  });
  for (const [n, zrow] of zeek.rows.entries()) {
    into.rows++;
    const k = keyOf(zrow);
    const candidates = pool.get(k) ?? [];
    let best = -1;
    let bestScore = -1;
    if (exact[n] === undefined) {
      candidates.forEach((row, i) => {
        const score = scoreOf(zrow, row);
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      });
    }
    const mine = exact[n] ?? (best >= 0 ? candidates.splice(best, 1)[0] : undefined);
    if (mine === undefined) into.missing++;
    let all = mine !== undefined;
    let allButService = all;
    for (const f of fields) {
      const tally = into.fields.get(f) ?? { matched: 0, total: 0 };
      into.fields.set(f, tally);
      tally.total++;
      const z = zrow[index.get(f)!]!;
      const o = mine?.get(f) ?? '(no row)';
      if (mine !== undefined && equal(f, z, o)) tally.matched++;
      else {
        all = false;
        if (f !== 'service') allButService = false;
        const list = into.examples.get(f) ?? [];
        into.examples.set(f, list);
        if (list.length < 8) list.push(`${name} [${k}]: zeek=${z} ours=${o}`);
      }
    }
    if (all) into.rowsAllMatch++;
    if (allButService) into.rowsAllButService++;
  }
  for (const rest of pool.values()) into.extra += rest.length;
}

export function rate(t: FieldTally): number {
  return t.total === 0 ? 1 : t.matched / t.total;
}

/** The per-field table printed by the conformance tests (and pasted into CONFORMANCE.md). */
export function formatComparison(title: string, c: Comparison): string {
  const lines = [`${title}: ${c.rows} Zeek rows, ${c.missing} without a matching row of ours, ${c.extra} extra rows of ours`];
  lines.push(`| field | matched | rows | rate |`, `|---|---|---|---|`);
  lines.push(`| (all fields) | ${c.rowsAllMatch} | ${c.rows} | ${(100 * rate({ matched: c.rowsAllMatch, total: c.rows })).toFixed(1)} % |`);
  if (c.fields.has('service')) lines.push(`| (all but service) | ${c.rowsAllButService} | ${c.rows} | ${(100 * rate({ matched: c.rowsAllButService, total: c.rows })).toFixed(1)} % |`);
  for (const [field, t] of c.fields) lines.push(`| ${field} | ${t.matched} | ${t.total} | ${(100 * rate(t)).toFixed(1)} % |`);
  return lines.join('\n');
}

/**
 * The floor recorded in CONFORMANCE.md for `<log>.<field>` (percent), from lines like
 * `conformance-floor conn.history 91.5`.
 */
export function recordedFloors(log: string): Map<string, number> {
  const text = readFileSync(new URL('../../CONFORMANCE.md', import.meta.url), 'utf8');
  const floors = new Map<string, number>();
  for (const match of text.matchAll(/^conformance-floor ([a-z0-9_-]+)\.(\S+) ([0-9.]+)$/gm)) {
    if (match[1] === log) floors.set(match[2]!, Number(match[3]));
  }
  return floors;
}
