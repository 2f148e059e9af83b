import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findingId, type Finding } from '../core/findings.js';
import { defaultCorrelateOptions } from '../correlate/options.js';
import { identify, quickIdentity } from './identity.js';
import { Observations } from './observations.js';
import { defaultDbPath, openDb, StoreError } from './open.js';
import { MIGRATIONS } from './schema.js';
import { Store } from './store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exfilscope-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const finding = (n: number): Finding => ({
  id: findingId('flow-asymmetry', ['h', n], 0), technique: 'T1048', analytic: 'flow-asymmetry', risk: 5, ts_start: n, ts_end: n,
  host: 'h', reason: 'r', evidence: [{ reader: 'test', path: 'p', line: n }],
});

describe('store', () => {
  it('creates its directory 0700 and its file 0600, in WAL mode at the current schema version', () => {
    const path = join(dir, 'nested', 'state.db');
    const store = Store.open(path);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    store.close();
    Store.open(path).close(); // reopening migrates nothing and keeps the data
  });

  it('defaults to the XDG state directory', () => {
    expect(defaultDbPath({ XDG_STATE_HOME: '/var/lib/u' })).toBe('/var/lib/u/exfilscope/state.db');
    expect(defaultDbPath({ XDG_STATE_HOME: 'relative' })).toMatch(/\/\.local\/state\/exfilscope\/state\.db$/);
  });

  it('refuses a damaged database with recovery steps, and never replaces it with an empty one', () => {
    const path = join(dir, 'state.db');
    const store = Store.open(path);
    const o = new Observations(defaultCorrelateOptions());
    store.commitInput(undefined, 'hunt', Array.from({ length: 2000 }, (_, i) => finding(i)), o);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const bytes = readFileSync(path);
    bytes.fill(0x41, 8192, 8192 + 4096); // garbage over a b-tree page
    writeFileSync(path, bytes);
    expect(() => Store.open(path)).toThrow(StoreError);
    expect(() => Store.open(path)).toThrow(/damaged|cannot be read/);
    expect(() => Store.open(path)).toThrow(/\.recover/);
    expect(readFileSync(path).length).toBe(bytes.length);
  });

  it('refuses a file that is not a database', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'x'.repeat(4096));
    expect(() => openDb(path)).toThrow(/cannot be read: file is not a database.*To recover/s);
  });

  it('adds nothing when the same findings are committed twice', () => {
    const store = Store.open(join(dir, 'state.db'));
    const o = new Observations(defaultCorrelateOptions());
    expect(store.commitInput(undefined, 'hunt', [finding(1), finding(2)], o)).toBe(2);
    expect(store.commitInput(undefined, 'hunt', [finding(2), finding(1)], o)).toBe(0);
    expect(store.counts().findings).toBe(2);
    store.close();
  });

  it('recognises an input by its content, under another name, per purpose', async () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'copy-of-a.log');
    writeFileSync(a, 'same bytes\n');
    writeFileSync(b, 'same bytes\n');
    const store = Store.open(join(dir, 'state.db'));
    const idA = await identify((await quickIdentity(a))!);
    store.commitInput(idA, 'hunt', [], new Observations(defaultCorrelateOptions()));
    const idB = await identify((await quickIdentity(b))!);
    expect(store.ingested((await quickIdentity(b))!, 'hunt')).toBeUndefined(); // another inode: only the content says so
    expect(store.ingested((await quickIdentity(a))!, 'hunt')?.path).toBe(a);
    expect(idB.content_sha256).toBe(idA.content_sha256);
    expect(store.ingested(idB, 'hunt')?.path).toBe(a);
    expect(store.ingested(idB, 'learn')).toBeUndefined();
    store.close();
  });

  it('ages baselines out in event time, relative to the newest event stored', () => {
    const store = Store.open(join(dir, 'state.db'));
    const o = new Observations(defaultCorrelateOptions());
    const flow = (src_ip: string, ts: number) => o.observe({ kind: 'flow', ts, host: 'sensor', source: { reader: 't', path: 'p' }, proto: 'tcp', src_ip, src_port: 1, dst_ip: '203.0.113.1', dst_port: 443 });
    flow('10.0.0.1', 0);
    flow('10.0.0.2', 100 * 86400);
    flow('203.0.113.7', 100 * 86400); // inbound from outside: not a host of ours
    store.commitInput(undefined, 'learn', [], o);
    expect(store.counts().baseline_hosts).toBe(2);
    expect(store.ageOut(90 * 86400)).toBe(2); // the old host and its destination
    expect(store.hostFirstSeen('10.0.0.1')).toBeUndefined();
    expect(store.hostFirstSeen('10.0.0.2')).toBe(100 * 86400);
    store.close();
  });

  it('finds incidents by a unique ID prefix only', () => {
    const store = Store.open(join(dir, 'state.db'));
    expect(store.incident('zz')).toBeUndefined();
    expect(store.incident("' OR 1=1 --")).toBeUndefined();
    store.close();
  });
});

describe('observations', () => {
  it('caps what one input may add, counting each cap', () => {
    const o = new Observations({ ...defaultCorrelateOptions(), max_baseline_entries_per_input: 3 });
    for (let i = 0; i < 10; i++) {
      o.observe({ kind: 'flow', ts: i, host: 'h', source: { reader: 't', path: 'p' }, proto: 'tcp', src_ip: '10.0.0.1', src_port: 1, dst_ip: `203.0.113.${i}`, dst_port: 443 });
    }
    expect(o.hosts.size + o.destinations.size).toBe(3);
    expect(o.anomalies.count('correlate.baseline_capped')).toBe(8);
  });
});
