// The application-log conformance run shared by http, dns, ftp and smtp (on top of zeek-baselines.ts): one
// baseline per trace — a single-trace baseline, from the log's own `scripts.base.protocols.<log>.*` test
// when several tests use the trace — compared on the 4-tuple with sets compared in sorted order (Zeek writes
// them in hash order), then checked against the floors recorded in CONFORMANCE.md.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { expect } from 'vitest';
import { ZEEK_LOGS } from '../../src/sinks/zeek-logs/index.js';
import type { ZeekLog } from '../../src/sinks/zeek-logs/zeek-log.js';
import type { BaselineCase, CellEquality, ZeekTable } from './zeek-baselines.js';
import {
  baselineCases, compareTable, decodeTrace, exclusionReason, formatComparison, newComparison, optionsFor, ourRows, serverPortsFor, rate, readZeekTsv, recordedFloors,
} from './zeek-baselines.js';

const KEY = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];
const SET_FIELDS = new Set(['rcptto', 'to']);

const sortedSets: CellEquality = (field, zeek, ours) =>
  zeek === ours || (SET_FIELDS.has(field) && zeek.split(',').sort().join(',') === ours.split(',').sort().join(','));

function chosenCases(log: string): BaselineCase[] {
  const byTrace = new Map<string, BaselineCase[]>();
  for (const c of baselineCases(log)) {
    if (c.traces !== 1 || exclusionReason(c) !== undefined || !existsSync(c.trace) || !existsSync(c.baseline)) continue;
    byTrace.set(c.trace, [...(byTrace.get(c.trace) ?? []), c]);
  }
  const own = `scripts.base.protocols.${log}.`;
  return [...byTrace].map(([trace, cases]) => {
    // A test that runs several traces writes one baseline per trace (dns.ed25519.log, dns.ed448.log).
    const stem = basename(trace).split('.')[0]!;
    const named = cases.filter((c) => basename(c.baseline).split('.').includes(stem));
    const list = named.length > 0 ? named : cases;
    return list.find((c) => c.test.startsWith(own)) ?? list[0]!;
  });
}

/**
 * @param logFor the log definition matching a baseline's configuration (a test may change what Zeek logs,
 *   e.g. FTP::logged_commands); the registered one by default.
 */
export async function appLogConformance(log: string, fields: readonly string[], logFor?: (zeek: ZeekTable) => ZeekLog<any>): Promise<void> {
  const registered = ZEEK_LOGS.find((l) => l.path === log)!;
  const all = newComparison();
  const cases = chosenCases(log);
  for (const c of cases) {
    const zeek = readZeekTsv(c.baseline);
    const { events } = await decodeTrace(c.trace, { ...optionsFor(c), ...serverPortsFor(c) });
    compareTable(c.trace.split('/Traces/')[1] ?? c.test, zeek, ourRows(logFor?.(zeek) ?? registered, events), KEY, fields, all, sortedSets);
  }
  console.log(formatComparison(`${log}.log over ${cases.length} traces`, all));
  for (const [field, examples] of all.examples) console.log(`mismatches on ${field}:\n  ${examples.join('\n  ')}`);
  const floors = recordedFloors(log);
  expect(floors.size, `conformance floors of ${log} in CONFORMANCE.md`).toBeGreaterThan(0);
  for (const [field, floor] of floors) {
    const tally = all.fields.get(field);
    expect(tally, field).toBeDefined();
    expect(100 * rate(tally!), field).toBeGreaterThanOrEqual(floor);
  }
}
