// End-to-end chains through the CLI and the store: events files in, incidents out. Most inputs are
// `exfilscope events` JSON lines written here, so each case states exactly what happened; the last case runs
// the real readers over the bundled samples (a Sysmon XML export and Zeek logs) and expects the same chain.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Event } from '../../src/core/events.js';
import { main } from '../../src/cli/main.js';
import { Store } from '../../src/store/store.js';
import { REPO_ROOT } from '../shared-data.js';

const DAY = 86400;
const T = 1_767_225_600 + 10 * DAY;
const dir = mkdtempSync(join(tmpdir(), 'exfilscope-chain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The hunts' own output is not under test here (the store is): keep the test log readable.
beforeAll(() => void vi.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterAll(() => vi.restoreAllMocks());

let line = 0;
const src = (path: string) => ({ reader: 'sysmon', path, line: ++line });

function write(name: string, events: Event[]): string {
  const path = join(dir, name);
  writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return path;
}

function flow(ts: number, dst: string, out: number, inb: number, port: number, dstPort = 21): Event {
  return { kind: 'flow', ts, host: '10.0.0.5', source: src('conn.log'), proto: 'tcp', src_ip: '10.0.0.5', src_port: port, dst_ip: dst, dst_port: dstPort, bytes_out: out, bytes_in: inb };
}
function conn(ts: number, dst: string, image: string, port: number, dstPort = 21): Event {
  return { kind: 'net_conn', ts, host: 'WS01', source: src('sysmon.evtx'), proto: 'tcp', src_ip: '10.0.0.5', src_port: port, dst_ip: dst, dst_port: dstPort, outbound: true, process: { pid: 900, ppid: 800, image, user: 'alice' } };
}

/** Ten quiet days before the attack: the usual backup server, so baselines cover the host. */
function history(): Event[] {
  const events: Event[] = [];
  for (let d = 10; d >= 1; d--) events.push(flow(T - d * DAY, '198.51.100.7', 20_000_000, 5000, 30000 + d), conn(T - d * DAY, '198.51.100.7', '/usr/local/bin/backup.sh', 30000 + d));
  return events;
}

/** Host and network telemetry of one exfiltration: openssl enc, /tmp/db.enc written, FTP upload to a new address. */
function chainInputs(): string[] {
  const host = write('host.jsonl', [
    { kind: 'process', ts: T, host: 'WS01', source: src('audit.log'), process: { pid: 800, image: '/usr/bin/openssl', command_line: 'openssl enc -aes-256-cbc -in db.sql -out /tmp/db.enc -k s3cret', user: 'alice' }, argv: ['openssl', 'enc', '-aes-256-cbc', '-in', 'db.sql', '-out', '/tmp/db.enc', '-k', 's3cret'] },
    { kind: 'file', ts: T + 2, host: 'WS01', source: src('audit.log'), action: 'create', path: '/tmp/db.enc', process: { pid: 800, image: '/usr/bin/openssl' } },
    conn(T + 2400, '203.0.113.9', '/usr/bin/curl', 41000),
  ]);
  const net = write('net.jsonl', [
    flow(T + 2400, '203.0.113.9', 312_040_000, 9000, 41000),
    { kind: 'ftp', ts: T + 2401, source: src('ftp.log'), src_ip: '10.0.0.5', src_port: 41001, dst_ip: '203.0.113.9', dst_port: 21, command: 'STOR', arg: 'db.enc' },
  ]);
  return [host, net];
}

async function cli(...args: string[]): Promise<number> {
  return main(['node', 'exfilscope', ...args]);
}

function incidents(db: string, all = false) {
  const store = Store.open(db, true);
  try {
    return store.incidents({ includeSuppressed: all });
  } finally {
    store.close();
  }
}

describe('incidents end to end', () => {
  it('attributes an upload to the process that made the connection and flags the new destination', async () => {
    const db = join(dir, 'attribution.db');
    expect(await cli('baseline', 'learn', '-q', '--db', db, write('history.jsonl', history()))).toBe(0);
    expect(await cli('hunt', '-q', '--format', 'jsonl', '--db', db, ...chainInputs())).toBe(0);
    const [incident, ...rest] = incidents(db);
    expect(rest).toEqual([]);
    expect(incident!.host).toBe('WS01');
    expect(incident!.process?.image).toBe('/usr/bin/curl');
    expect(incident!.dst_ip).toBe('203.0.113.9');
    expect(incident!.reason).toContain('a destination it had not talked to before');
    expect(incident!.reason).toContain('/usr/bin/curl had never used the network before');
    const store = Store.open(db, true);
    const novel = store.findings().filter((f) => f.analytic === 'first-seen-network-process');
    store.close();
    expect(novel.map((f) => [f.host, f.process?.image, f.evidence[0]?.path])).toEqual([['WS01', '/usr/bin/curl', 'sysmon.evtx']]);
    const json = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), 'incidents', '--db', db, '--format', 'jsonl'], { encoding: 'utf8' });
    const record = JSON.parse(json.trim()) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(['id', 'ts_start', 'ts_end', 'technique', 'risk', 'host', 'src_ip', 'dst_ip', 'dst_port', 'process', 'stages', 'reason', 'evidence']);
    expect(record.id).toBe(incident!.id);
  });

  it('joins openssl enc → /tmp/db.enc → the FTP upload into one T1048.001 incident', async () => {
    const db = join(dir, 'chain.db');
    await cli('baseline', 'learn', '-q', '--db', db, write('history2.jsonl', history()));
    await cli('hunt', '-q', '--format', 'jsonl', '--db', db, ...chainInputs());
    const [incident] = incidents(db);
    expect(incident!.technique).toBe('T1048.001');
    expect(incident!.stages.map((s) => s.stage)).toEqual(['encrypt', 'stage', 'transfer']);
    expect(incident!.reason).toContain('openssl enc');
    expect(incident!.reason).toContain('db.enc was seen leaving');
  });

  it('suppresses the nightly backup by baseline, and lists it only with --all', async () => {
    const db = join(dir, 'backup.db');
    await cli('baseline', 'learn', '-q', '--db', db, write('history3.jsonl', history()));
    await cli('hunt', '-q', '--format', 'jsonl', '--db', db, write('backup.jsonl', [flow(T + 3600, '198.51.100.7', 20_500_000, 5000, 30500), conn(T + 3600, '198.51.100.7', '/usr/local/bin/backup.sh', 30500)]));
    expect(incidents(db)).toEqual([]);
    const [suppressed] = incidents(db, true);
    expect(suppressed!.suppressed).toContain('usual destination');
  });

  it('names a transfer to the host\'s beaconing C2 peer T1041, and an allow-list entry removes it', async () => {
    const db = join(dir, 'c2.db');
    const heartbeat = Array.from({ length: 24 }, (_, i) => flow(T + i * 300 + (i % 3), '192.0.2.66', 600, 1200, 42000 + i, 443));
    await cli('hunt', '-q', '--format', 'jsonl', '--db', db, write('c2.jsonl', [...heartbeat, flow(T + 3000, '192.0.2.66', 80_000_000, 4000, 43000, 443)]));
    const [incident] = incidents(db);
    expect(incident!.technique).toBe('T1041');
    expect(new Set(incident!.stages.map((s) => s.stage))).toEqual(new Set(['beacon', 'transfer']));
    expect(await cli('allow', 'add', 'cidr', '192.0.2.0/24', '--db', db)).toBe(0);
    expect(incidents(db)).toEqual([]);
  });

  it('joins the samples\' Sysmon and Zeek logs into one encrypt → stage → transfer incident, process named', async () => {
    const db = join(dir, 'samples.db');
    expect(await cli('hunt', '-q', '--format', 'jsonl', '--db', db, join(REPO_ROOT, 'samples'))).toBe(0);
    const chain = incidents(db).find((i) => i.dst_ip === '198.51.100.23');
    expect(chain).toBeDefined();
    expect(chain!.technique).toBe('T1048.001');
    expect(chain!.host).toBe('ws17.corp.example');
    expect(chain!.dst_port).toBe(21);
    expect(chain!.process?.image).toBe('C:\\Windows\\System32\\curl.exe');
    const stages = chain!.stages.map((s) => s.stage);
    expect(stages.slice(0, 2)).toEqual(['encrypt', 'stage']);
    expect(stages).toContain('transfer');
    expect(chain!.reason).toContain('openssl.exe" enc -aes-256-cbc');
    expect(new Set(chain!.evidence.map((e) => e.path.split('/').pop()))).toEqual(new Set(['sysmon-ws17.xml', 'conn.log']));
  });
});
