// Conformance harness for the application logs (http, dns, ftp, smtp): for every trace that Zeek's test
// suite maps to exactly one baseline of the log, decode the trace with `exfilscope logs` semantics
// (in-process: pipeline → ZeekLog rows → TSV cells) and compare row by row with Zeek's baseline on the
// listed fields. Rows pair up within the same connection 4-tuple (uids differ by design), each Zeek row with
// the closest unused row of ours; sets
// compare as sorted lists, since Zeek writes them in hash order. Levels come from CONFORMANCE.md.
import { existsSync, readFileSync } from 'node:fs';
import type { Event } from '../../src/core/events.js';
import { parseConfig } from '../../src/pipeline/config.js';
import { run } from '../../src/pipeline/run.js';
import { tsvRow } from '../../src/sinks/zeek-logs/format.js';
import { ZEEK_LOGS } from '../../src/sinks/zeek-logs/index.js';
import type { ZeekLog } from '../../src/sinks/zeek-logs/zeek-log.js';
import { REPO_ROOT, sharedPath } from '../shared-data.js';

export interface Baseline {
  trace: string;
  baseline: string;
  test: string;
}

/** One baseline per trace: the log's own protocol test (`scripts.base.protocols.<log>.*`) when there is one. */
export function baselinesFor(log: string): Baseline[] {
  const table = readFileSync(sharedPath('zeek', '_mapping', 'trace_to_log_baselines.tsv'), 'utf8').split('\n').slice(1);
  const byTrace = new Map<string, Baseline[]>();
  for (const line of table) {
    const [trace, type, baseline, test, traces, json] = line.split('\t');
    if (type !== log || traces !== '1' || json !== 'False' || trace === undefined || baseline === undefined || test === undefined) continue;
    if (!existsSync(sharedPath('zeek', trace)) || !existsSync(sharedPath('zeek', baseline))) continue;
    const list = byTrace.get(trace) ?? [];
    list.push({ trace, baseline, test });
    byTrace.set(trace, list);
  }
  const own = `scripts.base.protocols.${log}.`;
  return [...byTrace.values()].map((list) => list.find((b) => b.test.startsWith(own)) ?? list[0]!);
}

export type Row = Map<string, string>;

/** Rows of a Zeek TSV baseline (or a `zeek-cut -m` extract whose first line names the columns). */
export function readBaseline(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => !l.startsWith('###') && l !== '');
  let fields: string[] | undefined;
  const rows: Row[] = [];
  for (const line of lines) {
    if (line.startsWith('#fields\t')) fields = line.split('\t').slice(1);
    if (line.startsWith('#')) continue;
    if (fields === undefined) {
      fields = line.split('\t');
      continue;
    }
    const cells = line.split('\t');
    rows.push(new Map(fields.map((f, i) => [f, cells[i] ?? '-'])));
  }
  return rows;
}

/** Our rows of a log for a trace, as TSV cells keyed by Zeek field name. */
export async function ourRows(trace: string, def: ZeekLog): Promise<Row[]> {
  const rows: Row[] = [];
  const onEvents = (batch: Event[]): void => {
    for (const event of batch) {
      if (event.kind !== def.kind) continue;
      const cells = def.row(event as never);
      if (cells === undefined) continue;
      const text = tsvRow(def, cells).replace(/\n$/, '').split('\t');
      rows.push(new Map(def.fields.map((f, i) => [f.name, text[i] ?? '-'])));
    }
  };
  await run([sharedPath('zeek', trace)], { config: parseConfig({}), detect: false, onEvents });
  return rows;
}

const KEY_FIELDS = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];
const SET_FIELDS = new Set(['rcptto', 'to']);

function connKey(row: Row): string {
  return KEY_FIELDS.map((f) => row.get(f) ?? '').join('|');
}

function canonical(field: string, value: string | undefined): string | undefined {
  if (value === undefined || !SET_FIELDS.has(field) || value === '-' || value === '(empty)') return value;
  return value.split(',').sort().join(',');
}

export interface FieldTally {
  matched: number;
  total: number;
}

export interface Mismatch {
  trace: string;
  field: string;
  zeek: string;
  ours: string | undefined;
}

/** Compares one trace's rows; Zeek's rows are the reference, so a row we lack mismatches every field. */
export function compareRows(trace: string, zeek: Row[], ours: Row[], fields: readonly string[], tally: Map<string, FieldTally>, mismatches: Mismatch[]): void {
  const keyed = zeek.every((r) => KEY_FIELDS.every((f) => r.has(f)));
  const groups = new Map<string, Row[]>();
  for (const row of ours) {
    const key = keyed ? connKey(row) : '';
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  for (const row of zeek) {
    const mine = takeBestMatch(groups.get(keyed ? connKey(row) : ''), row, fields);
    for (const field of fields) {
      if (!row.has(field)) continue;
      const t = tally.get(field) ?? { matched: 0, total: 0 };
      tally.set(field, t);
      t.total++;
      const expected = canonical(field, row.get(field));
      const actual = canonical(field, mine?.get(field));
      if (expected === actual) t.matched++;
      else mismatches.push({ trace, field, zeek: expected!, ours: actual });
    }
  }
}

/**
 * Removes and returns the candidate agreeing with `row` on most fields, the earliest on ties: rows pair up in
 * order, yet one row missing or extra on either side does not shift every pair after it.
 */
function takeBestMatch(candidates: Row[] | undefined, row: Row, fields: readonly string[]): Row | undefined {
  if (candidates === undefined || candidates.length === 0) return undefined;
  let best = 0;
  let bestScore = -1;
  candidates.forEach((candidate, i) => {
    const score = fields.filter((f) => row.has(f) && canonical(f, row.get(f)) === canonical(f, candidate.get(f))).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return candidates.splice(best, 1)[0];
}

/** Recorded levels: lines `| <log> | <field> | … | <rate> % |` of CONFORMANCE.md's application-log table. */
export function recordedLevels(log: string): Map<string, number> {
  const levels = new Map<string, number>();
  const path = `${REPO_ROOT}/CONFORMANCE.md`;
  if (!existsSync(path)) return levels;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells[1] !== log || cells.length < 7) continue;
    const rate = Number.parseFloat(cells[5]!);
    if (cells[2] !== undefined && Number.isFinite(rate)) levels.set(cells[2], rate);
  }
  return levels;
}

export interface ConformanceResult {
  tally: Map<string, FieldTally>;
  mismatches: Mismatch[];
  traces: number;
}

/**
 * @param logFor the log definition matching a baseline's configuration (a test may have changed what Zeek
 *   logs, e.g. FTP::logged_commands); by default the registered one.
 */
export async function conformance(log: string, fields: readonly string[], logFor?: (zeek: Row[]) => ZeekLog<any>): Promise<ConformanceResult> {
  const tally = new Map<string, FieldTally>();
  const mismatches: Mismatch[] = [];
  const baselines = baselinesFor(log);
  const registered = ZEEK_LOGS.find((l) => l.path === log)!;
  for (const b of baselines) {
    const zeek = readBaseline(sharedPath('zeek', b.baseline));
    compareRows(b.trace, zeek, await ourRows(b.trace, logFor?.(zeek) ?? registered), fields, tally, mismatches);
  }
  return { tally, mismatches, traces: baselines.length };
}

/** The per-field table printed by each suite and pasted into CONFORMANCE.md. */
export function table(log: string, result: ConformanceResult): string {
  const lines = [`${log}: ${result.traces} traces`, '| log | field | rows | matched | rate |', '|---|---|---|---|---|'];
  for (const [field, t] of result.tally) {
    lines.push(`| ${log} | ${field} | ${t.total} | ${t.matched} | ${((100 * t.matched) / Math.max(1, t.total)).toFixed(1)} % |`);
  }
  return lines.join('\n');
}
