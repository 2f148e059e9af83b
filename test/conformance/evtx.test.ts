// Conformance of the EVTX reader with python-evtx 0.6.1 (XML in ../shared/data/_oracle/python-evtx) and with
// evtx_dump JSON (the Sigma regression renderings), record by record. Prints per-field match tables and the
// documented rendering classes; fails when a rate falls below the level recorded in CONFORMANCE.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath, SHARED_DATA } from '../shared-data.js';
import {
  compare,
  dumpComparable,
  mismatch,
  newTally,
  ourComparable,
  ourComparableJson,
  readOurs,
  readReference,
  referenceComparable,
  splitJsonDocuments,
  type Comparable,
  type Tally,
} from './evtx-compare.js';

/** Levels recorded in CONFORMANCE.md (EVTX section): the suite fails below them. */
const MIN_RECORD_RATE_PYTHON_EVTX = 0.99;
const MIN_RECORD_RATE_EVTX_DUMP = 0.99;

function evtxFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) stack.push(p);
      else if (name.endsWith('.evtx')) out.push(p);
    }
  }
  return out.sort();
}

function key(c: Comparable, seen: Map<string, number>): string {
  const n = seen.get(c.recordId) ?? 0;
  seen.set(c.recordId, n + 1);
  return `${c.recordId}#${n}`;
}

function print(title: string, t: Tally, extra: string[]): void {
  const lines = [`\n== ${title}: ${t.equal}/${t.records} records equal (${((100 * t.equal) / Math.max(1, t.records)).toFixed(2)} %)`];
  for (const [name, f] of t.perField) lines.push(`  ${name.padEnd(10)} ${f.equal}/${f.total} (${((100 * f.equal) / f.total).toFixed(2)} %)`);
  if (t.classes.size > 0) lines.push('  equivalent renderings: ' + [...t.classes].map(([k, v]) => `${k} ${v}`).join(', '));
  for (const [kind, m] of t.mismatches) {
    lines.push(`  mismatch ${kind}: ${m.count}`);
    for (const e of m.examples) lines.push(`    ${e}`);
  }
  lines.push(...extra);
  console.log(lines.join('\n'));
}

describe.skipIf(!hasSharedData)('EVTX conformance', () => {
  it('matches python-evtx record by record on every file it can read; reads the others without crashing', async () => {
    const failed = new Set(
      readFileSync(sharedPath('_oracle', 'python-evtx', 'FAILED.txt'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('FAIL '))
        .map((l) => l.slice(5).trim()),
    );
    const tally = newTally();
    const extra: string[] = [];
    let onlyOurs = 0;
    let onlyReference = 0;
    let files = 0;
    for (const top of ['evtx-rs-samples', 'python-evtx', 'sigma-regression']) {
      for (const path of evtxFiles(sharedPath(top))) {
        const rel = relative(SHARED_DATA, path);
        const ours = await readOurs(path);
        files++;
        const oracle = sharedPath('_oracle', 'python-evtx', `${rel}.xml.gz`);
        if (failed.has(rel) || !existsSync(oracle)) {
          extra.push(`  reference cannot read ${rel}: ours ${ours.records.length} records, ${ours.anomalies.total} skipped`);
          continue;
        }
        const reference = await readReference(oracle);
        if (reference.xmlErrors > 0) extra.push(`  ${rel}: ${reference.xmlErrors} XML errors in the reference rendering`);
        const mine = new Map<string, Comparable>();
        const seen = new Map<string, number>();
        for (const r of ours.records) {
          const c = ourComparable(r);
          mine.set(key(c, seen), c);
        }
        const theirSeen = new Map<string, number>();
        for (const event of reference.events) {
          const theirs = referenceComparable(event);
          const k = key(theirs, theirSeen);
          const c = mine.get(k);
          if (c === undefined) {
            onlyReference++;
            mismatch(tally, 'record only in reference', `${rel} record ${k}`);
            tally.records++;
            continue;
          }
          mine.delete(k);
          compare(tally, c, theirs, `${rel} record ${k}`);
        }
        onlyOurs += mine.size;
        if (mine.size > 0) extra.push(`  ${rel}: ${mine.size} records only in ours (${[...mine.keys()].slice(0, 3).join(', ')}…); skipped ${ours.anomalies.entries().map((e) => `${e.code} ${e.count}`).join(', ')}`);
      }
    }
    extra.unshift(`  files ${files}; records only in reference ${onlyReference}, only in ours ${onlyOurs}`);
    print('python-evtx', tally, extra);
    expect(files).toBeGreaterThan(200);
    expect(tally.equal / tally.records).toBeGreaterThanOrEqual(MIN_RECORD_RATE_PYTHON_EVTX);
  });

  it('matches the evtx_dump JSON renderings of the Sigma regression data', async () => {
    const tally = newTally();
    let files = 0;
    for (const path of evtxFiles(sharedPath('sigma-regression', 'regression_data'))) {
      const jsonPath = path.replace(/\.evtx$/, '.json');
      if (!existsSync(jsonPath)) continue;
      files++;
      const rel = relative(SHARED_DATA, path);
      const ours = (await readOurs(path)).records.map(ourComparableJson);
      const theirs = splitJsonDocuments(readFileSync(jsonPath, 'utf8')).map(dumpComparable);
      const mine = new Map<string, Comparable>();
      const seen = new Map<string, number>();
      for (const c of ours) mine.set(key(c, seen), c);
      const theirSeen = new Map<string, number>();
      for (const t of theirs) {
        const k = key(t, theirSeen);
        const c = mine.get(k);
        if (c === undefined) {
          tally.records++;
          mismatch(tally, 'record only in reference', `${rel} record ${k}`);
          continue;
        }
        compare(tally, c, t, `${rel} record ${k}`);
      }
    }
    print('evtx_dump JSON (sigma-regression)', tally, [`  files ${files}`]);
    expect(files).toBeGreaterThan(100);
    expect(tally.equal / tally.records).toBeGreaterThanOrEqual(MIN_RECORD_RATE_EVTX_DUMP);
  });
});
