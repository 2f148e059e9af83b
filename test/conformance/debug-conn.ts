import { existsSync } from 'node:fs';
import { connLog } from '../../src/sinks/zeek-logs/conn-log.js';
import { baselineCases, compareTable, decodeTrace, exclusionReason, newComparison, ourRows, readZeekTsv } from './zeek-baselines.js';
const KEY = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'];
const FIELDS = ['id.orig_h','id.orig_p','id.resp_h','id.resp_p','proto','duration','orig_bytes','resp_bytes','conn_state','missed_bytes','history','orig_pkts','orig_ip_bytes','resp_pkts','resp_ip_bytes', ...(process.env.SERVICE ? ['service'] : [])];
const only = process.argv[2];
for (const c of baselineCases('conn')) {
  if (only && !c.test.includes(only)) continue;
  if (exclusionReason(c) || !existsSync(c.trace)) continue;
  const { events, error } = await decodeTrace(c.trace);
  const cmp = newComparison();
  compareTable(c.test, readZeekTsv(c.baseline), ourRows(connLog, events), KEY, FIELDS, cmp);
  if (cmp.rowsAllMatch === cmp.rows && !only) continue;
  console.log(`${c.test} ${c.trace.split('Traces/')[1]} rows=${cmp.rows} ok=${cmp.rowsAllMatch} missing=${cmp.missing} extra=${cmp.extra} ${error ?? ''}`);
  if (cmp.missing > 0 && !only && !process.env.ALL) continue;
  for (const [f, ex] of cmp.examples) console.log(`   ${f}: ${ex.slice(0, only ? 8 : 2).map((e) => e.split("]: ")[1] + " " + e.split(" [")[1]?.split("]")[0]).join(" ; ")}`);
}
