// The command as users run it: formats, files, stdin, exit codes, and hostile strings on the terminal.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './shared-data.js';
import { tempDir } from './harness.js';
import { CONN_COLUMNS, HTTP_COLUMNS, conn, httpRequest, zeekTsv } from './zeek-fixtures.js';

const MB = 1_000_000;
const T0 = 1_767_225_600;

function cli(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'cli-entry.ts'), ...args], {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const exfilConn = zeekTsv('conn', CONN_COLUMNS, [0, 60, 120].map((dt) => conn(T0 + dt, '10.9.9.9', '198.51.100.1', 21, 40 * MB)));

describe('exfilscope hunt', () => {
  it('prints a table sorted by risk and the input summary, exit 0', () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    const { code, stdout, stderr } = cli(['hunt', dir]);
    expect(code).toBe(0);
    // The seed finding, plus flow-asymmetry's hour and day windows over the same uploads.
    expect(stdout).toMatch(/Findings \(3\)/);
    expect(stdout).toMatch(/Findings \(3\)\n.*\n9\s+seed-alt-protocol-volume\s+T1048\.001/);
    expect(stderr).toMatch(/conn\.log\s+zeek\s+3 records, 3 events/);
    expect(stderr).toMatch(/findings: flow-asymmetry 2, seed-alt-protocol-volume 1/);
  });

  it('writes JSON lines with every documented field, and ECS', () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    const jsonl = cli(['hunt', dir, '--format', 'jsonl', '-q']);
    const seed = (out: string, name: (r: Record<string, any>) => string) => out.trim().split('\n').map((l) => JSON.parse(l)).find((r) => name(r) === 'seed-alt-protocol-volume');
    const finding = seed(jsonl.stdout, (r) => r.analytic);
    for (const field of ['id', 'ts_start', 'ts_end', 'technique', 'analytic', 'risk', 'src_ip', 'dst_ip', 'dst_port', 'proto', 'bytes_out', 'bytes_in', 'reason', 'evidence']) {
      expect(finding).toHaveProperty(field);
    }
    expect(finding.evidence[0]).toMatchObject({ reader: 'zeek', path: join(dir, 'conn.log'), line: 9 });
    const ecs = seed(cli(['hunt', dir, '--format', 'ecs', '-q']).stdout, (r) => r.rule.name);
    expect(ecs).toMatchObject({
      event: { kind: 'alert', risk_score: 90 },
      threat: { technique: { id: 'T1048.001' } },
      source: { ip: '10.9.9.9' },
      destination: { ip: '198.51.100.1', port: 21 },
      network: { bytes: 120 * MB + 3000 },
      rule: { name: 'seed-alt-protocol-volume' },
    });
    expect(ecs['@timestamp']).toBe('2026-01-01T00:00:00.000Z');
  });

  it('writes --out as an owner-only JSON-lines file', () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    const out = join(dir, 'findings.jsonl');
    expect(cli(['hunt', join(dir, 'conn.log'), '--out', out, '-q']).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('reads stdin given as -', () => {
    const { code, stdout } = cli(['hunt', '-', '--format', 'jsonl', '-q'], exfilConn);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).analytic)).toContain('seed-alt-protocol-volume');
  });

  it('exits 1 with --fail-on when a finding reaches the risk, 0 when none does', () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    expect(cli(['hunt', dir, '--fail-on', '9', '-q']).code).toBe(1);
    expect(cli(['hunt', dir, '--fail-on', '10', '-q']).code).toBe(0);
  });

  it('names an unreadable or unknown input, goes on with the others, and exits 2', () => {
    const dir = tempDir({ 'conn.log': exfilConn, 'notes.txt': 'just some text\n' });
    const { code, stdout, stderr } = cli(['hunt', join(dir, 'missing.log'), join(dir, 'notes.txt'), join(dir, 'conn.log')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing\.log .*error: no such file or directory/);
    expect(stderr).toMatch(/notes\.txt .*error: unknown format \(first bytes: 6a 75 73 74 20 73 6f 6d\)/);
    expect(stdout).toMatch(/Findings \(3\)/);
  });

  it('passes over unknown files found in a directory without failing the run', () => {
    const dir = tempDir({ 'conn.log': exfilConn, 'README.txt': 'hello\n' });
    const { code, stderr } = cli(['hunt', dir]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/README\.txt .*passed over: unknown format/);
  });

  it('rejects bad usage and bad config with exit 2', () => {
    expect(cli(['hunt']).code).toBe(2);
    expect(cli(['hunt', '.', '--fail-on', '11']).code).toBe(2);
    const dir = tempDir({ 'bad.yaml': 'detectors:\n  seed-encoded-payload:\n    min_base64_run: -1\n' });
    const bad = cli(['hunt', dir, '--config', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/detectors\.seed-encoded-payload\.min_base64_run/);
  });

  it('applies thresholds from a YAML config', () => {
    const dir = tempDir({ 'conn.log': exfilConn, 'cfg.yaml': 'detectors:\n  seed-alt-protocol-volume:\n    min_connections: 4\n  flow-asymmetry:\n    enabled: false\n' });
    const { stdout } = cli(['hunt', join(dir, 'conn.log'), '--config', join(dir, 'cfg.yaml')]);
    expect(stdout).toMatch(/No findings/);
  });

  it('escapes terminal control sequences from the inputs', () => {
    const evil = '\x1b]0;pwned\x07\x1b[2J' + 'A'.repeat(150);
    const http = zeekTsv('http', HTTP_COLUMNS, [httpRequest(T0, '10.9.9.9', '198.51.100.1', 'GET', `evil\x1b[1A\x1b[2K[OK] all clear.example`, '/x?' + 'B'.repeat(220), 6000, evil)]);
    const dir = tempDir({ 'evil\x1b[31m.log': http });
    const { stdout, stderr } = cli(['hunt', dir]);
    expect(stdout + stderr).not.toMatch(/\x1b\]|\x1b\[2J|\x1b\[1A|\x1b\[31m/);
    expect(stderr).toMatch(/evil\\x1b\[31m\.log/);
  });
});

describe('exfilscope events and dump', () => {
  it('prints normalised events as JSON lines', () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    const { code, stdout } = cli(['events', dir, '-q']);
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ kind: 'flow', src_ip: '10.9.9.9', dst_port: 21, bytes_out: 40 * MB });
  });

  it('dumps Zeek rows before normalisation, keeping every column', () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    const rows = cli(['dump', dir, '-q']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ _path: 'conn', _line: 9, 'id.resp_p': '21', orig_bytes: '40000000', conn_state: 'SF' });
  });

  it('dumps EVTX records as JSON lines and summarises the input, also gzipped', () => {
    const fixture = readFileSync(join(REPO_ROOT, 'src', 'readers', 'evtx', 'testdata', 'sysmon-chunk0.evtx'));
    const dir = tempDir({ 'sysmon.evtx.gz': gzipSync(fixture) });
    const { code, stdout, stderr } = cli(['dump', dir]);
    expect(code).toBe(0);
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(41);
    expect(records[0]).toMatchObject({ EventRecordID: 1742, EventID: 1, Provider: 'Microsoft-Windows-Sysmon', Computer: 'DESKTOP-2KGM189' });
    expect(records[0].EventData.CommandLine).toBe('ping  -n 6 127.0.0.1 ');
    expect(stderr).toMatch(/sysmon\.evtx\.gz\s+evtx \(gzip\)\s+41 records/);
  });
});

describe('a closed stdout', () => {
  it('ends the run quietly when the reader stops early (| head)', () => {
    const dir = tempDir({ 'conn.log': zeekTsv('conn', CONN_COLUMNS, Array.from({ length: 20000 }, (_, i) => conn(T0 + i, '10.9.9.9', '198.51.100.1', 80, 1000))) });
    const result = spawnSync('bash', ['-c', `set -o pipefail; node --import tsx ${join(REPO_ROOT, 'test', 'cli-entry.ts')} events -q ${dir} | head -c 100 > /dev/null`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(result.status).toBe(0);
  });
});

describe('progress on stderr', () => {
  const bigLog = () => zeekTsv('conn', CONN_COLUMNS, Array.from({ length: 40000 }, (_, i) => conn(T0 + i, '10.9.9.9', '198.51.100.1', 80, 1000)));

  it('draws a bar with MB done, records/s and ETA for a big input when stderr is a terminal', () => {
    const dir = tempDir({ 'conn.log': bigLog() });
    const command = `node --import tsx ${join(REPO_ROOT, 'test', 'cli-entry.ts')} hunt ${join(dir, 'conn.log')} --format jsonl > /dev/null`;
    // `script` gives the command a pseudo-terminal, as a person at a shell would have.
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/conn\.log \[.*\] \d+% \d+\/\d+ MB \| \d+ rec\/s \| ETA/);
  });

  it('stays quiet when stderr is not a terminal, and with --quiet', () => {
    const dir = tempDir({ 'conn.log': bigLog() });
    expect(cli(['hunt', join(dir, 'conn.log'), '--format', 'jsonl']).stderr).not.toMatch(/ETA/);
    const command = `node --import tsx ${join(REPO_ROOT, 'test', 'cli-entry.ts')} hunt ${join(dir, 'conn.log')} -q --format jsonl > /dev/null`;
    expect(spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout).not.toMatch(/ETA/);
  });
});
