// `hunt --report/--csv/--out` over a real Zeek conn.log: the files are written owner-only (also over an
// existing world-readable file) and carry the finding; an unreadable input is named in the report.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/harness.js';
import { conn, CONN_COLUMNS, zeekTsv } from '../../test/zeek-fixtures.js';
import { main } from './main.js';

const T0 = 1_767_225_600;
const exfilConn = zeekTsv('conn', CONN_COLUMNS, [0, 60, 120].map((dt) => conn(T0 + dt, '10.9.9.9', '198.51.100.1', 21, 40_000_000)));

describe('hunt --report, --csv and --out', () => {
  it('writes the finding to each file, mode 0600 even over an existing 0644 file', async () => {
    const dir = tempDir({ 'conn.log': exfilConn });
    const files = { report: join(dir, 'report.html'), csv: join(dir, 'findings.csv'), out: join(dir, 'findings.jsonl') };
    for (const file of Object.values(files)) writeFileSync(file, 'old', { mode: 0o644 });
    const code = await main(['node', 'exfilscope', 'hunt', '-q', join(dir, 'conn.log'), '--report', files.report, '--csv', files.csv, '--out', files.out]);
    expect(code).toBe(0);
    for (const file of Object.values(files)) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(files.report, 'utf8')).toContain('seed-alt-protocol-volume');
    const csv = readFileSync(files.csv, 'utf8').split('\r\n').filter((line) => line !== '');
    const jsonl = readFileSync(files.out, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(jsonl.length + 1);
    expect(csv.filter((line) => /seed-alt-protocol-volume,.*198\.51\.100\.1,21,tcp/.test(line))).toHaveLength(1);
  });

  it('names an unreadable input in the report, escaped for the data island', async () => {
    const dir = tempDir({ 'notes <script>.txt': 'not a log any reader knows\n' });
    const report = join(dir, 'report.html');
    const code = await main(['node', 'exfilscope', 'hunt', '-q', join(dir, 'notes <script>.txt'), '--report', report]);
    expect(code).toBe(2);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('notes \\u003cscript\\u003e.txt');
    expect(html).not.toContain('notes <script>');
  });
});
