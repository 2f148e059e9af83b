// conn.log conformance: our conn rows against Zeek's btest baselines for every mapped trace.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connLog } from '../../src/sinks/zeek-logs/conn-log.js';
import { hasSharedData } from '../shared-data.js';
import {
  baselineCases, compareTable, decodeTrace, exclusionReason, formatComparison, newComparison, optionsFor, ourRows, protocolsFor, rate, readZeekTsv,
  recordedFloors, serverPortsFor,
} from './zeek-baselines.js';

const KEY = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'];
const FIELDS = [
  'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
  'conn_state', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes',
];

describe.skipIf(!hasSharedData)('conn.log conformance with Zeek baselines', () => {
  it('matches Zeek row by row at the recorded rates', async () => {
    const all = newComparison();
    const excluded: string[] = [];
    const failed: string[] = [];
    const perCase: string[] = [];
    for (const c of baselineCases('conn')) {
      const why = exclusionReason(c) ?? (existsSync(c.trace) ? undefined : 'trace missing');
      if (why !== undefined) {
        excluded.push(`${c.test}: ${why}`);
        continue;
      }
      const { events, error } = await decodeTrace(c.trace, { ...optionsFor(c), ...serverPortsFor(c) }, true, protocolsFor(c));
      if (error !== undefined) failed.push(`${c.test}: ${error}`);
      const zeek = readZeekTsv(c.baseline);
      const ours = ourRows(connLog, events);
      compareTable(c.test, zeek, ours, KEY, FIELDS, all);
      const one = newComparison();
      compareTable(c.test, zeek, ours, KEY, FIELDS.filter((f) => f !== 'service'), one);
      if (one.rowsAllMatch < one.rows) perCase.push(`${c.test}: ${one.rows - one.rowsAllMatch} of ${one.rows} rows differ (${one.missing} missing, ${one.extra} extra of ours)`);
    }
    console.log(formatComparison('conn.log', all));
    console.log(`excluded ${excluded.length} baselines:\n  ${excluded.join('\n  ')}`);
    if (failed.length > 0) console.log(`inputs that stopped with an error:\n  ${failed.join('\n  ')}`);
    console.log(`baselines with rows differing outside service:\n  ${perCase.join('\n  ')}`);
    for (const [field, examples] of all.examples) console.log(`mismatches on ${field}:\n  ${examples.join('\n  ')}`);

    const floors = recordedFloors('conn');
    expect(floors.size).toBeGreaterThan(10);
    for (const [field, floor] of floors) {
      const tally = field === 'all_fields' ? { matched: all.rowsAllMatch, total: all.rows }
        : field === 'all_but_service' ? { matched: all.rowsAllButService, total: all.rows } : all.fields.get(field);
      expect(tally, field).toBeDefined();
      expect(100 * rate(tally!), field).toBeGreaterThanOrEqual(floor);
    }
  });
});
