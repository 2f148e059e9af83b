// The command as users run it: formats, files, stdin, exit codes, and hostile strings on the terminal.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
    expect(stdout).toMatch(/Findings \(1\)/);
    expect(stdout).toMatch(/9\s+seed-alt-protocol-volume\s+T1048\.001/);
    expect(stderr).toMatch(/conn\.log\s+zeek\s+3 records, 3 events/);
    expect(stderr).toMatch(/findings: seed-alt-protocol-volume 1/);
  });

  it('writes JSON lines with every documented field, and ECS', () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    const jsonl = cli(['hunt', dir, '--format', 'jsonl', '-q']);
    const finding = JSON.parse(jsonl.stdout.trim());
    for (const field of ['id', 'ts_start', 'ts_end', 'technique', 'analytic', 'risk', 'src_ip', 'dst_ip', 'dst_port', 'proto', 'bytes_out', 'bytes_in', 'reason', 'evidence']) {
      expect(finding).toHaveProperty(field);
    }
    expect(finding.evidence[0]).toMatchObject({ reader: 'zeek', path: join(dir, 'conn.log'), line: 9 });
    const ecs = JSON.parse(cli(['hunt', dir, '--format', 'ecs', '-q']).stdout.trim());
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
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('reads stdin given as -', () => {
    const { code, stdout } = cli(['hunt', '-', '--format', 'jsonl', '-q'], exfilConn);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).analytic).toBe('seed-alt-protocol-volume');
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
    expect(stdout).toMatch(/Findings \(1\)/);
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
    const dir = tempDir({ 'conn.log': exfilConn, 'cfg.yaml': 'detectors:\n  seed-alt-protocol-volume:\n    min_connections: 4\n' });
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
});
