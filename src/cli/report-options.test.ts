// `hunt --report/--csv`: both files are written, owner-only (also over an existing world-readable file),
// and the report carries the run's input health even when no reader took the input.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

describe('hunt --report and --csv', () => {
  it('writes both files with mode 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exfilscope-report-'));
    const input = join(dir, 'notes <script>.txt');
    writeFileSync(input, 'not a log any reader knows\n');
    const report = join(dir, 'report.html');
    const csv = join(dir, 'findings.csv');
    writeFileSync(report, 'old', { mode: 0o644 });
    const code = await main(['node', 'exfilscope', 'hunt', '-q', input, '--report', report, '--csv', csv]);
    expect(code).toBe(2); // the input could not be read: named in the summary, and in the report
    for (const file of [report, csv]) expect(statSync(file).mode & 0o777).toBe(0o600);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('notes \\u003cscript\\u003e.txt');
    expect(html).not.toContain('notes <script>');
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toMatch(/^id,risk,technique,/);
  });
});
