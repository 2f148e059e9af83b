// Robustness of the capture reader on hostile and malformed captures: tcpdump's own test captures (many
// damaged on purpose) and every file of ../shared/tools/gen-evil-pcaps.mjs. Each is read with no crash (an
// unreadable input may only end in a clear InputError), within a time budget proportional to its size, with
// bounded memory, and with its anomaly counters reported.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath, SHARED_TOOLS } from '../shared-data.js';
import { decodeTrace } from './zeek-baselines.js';

/** Seconds allowed per input: a fixed start-up allowance plus a generous per-MiB rate. */
function budget(bytes: number): number {
  return 2 + (bytes / 2 ** 20) * 0.5;
}

async function readAll(files: string[], options: Record<string, unknown> = {}): Promise<string[]> {
  const report: string[] = [];
  for (const file of files) {
    const size = statSync(file).size;
    const started = performance.now();
    const result = await decodeTrace(file, options, false);
    const seconds = (performance.now() - started) / 1000;
    const anomalies = result.anomalies.entries().map((e) => `${e.code}=${e.count}`).join(' ');
    report.push(`${file.split('/').at(-1)}: ${seconds.toFixed(2)} s${result.error ? `, error: ${result.error.split(': ').slice(1).join(': ')}` : ''}${anomalies ? `, ${anomalies}` : ''}`);
    expect(result.crash, file).toBeUndefined();
    expect(seconds, `${file} took ${seconds} s`).toBeLessThan(budget(size));
  }
  return report;
}

describe.skipIf(!hasSharedData)('capture robustness', () => {
  let evil = '';
  beforeAll(() => {
    evil = mkdtempSync(join(tmpdir(), 'exfilscope-evil-'));
    execFileSync('node', [join(SHARED_TOOLS, 'gen-evil-pcaps.mjs'), evil, '1000000'], { stdio: 'ignore' });
  });
  afterAll(() => rmSync(evil, { recursive: true, force: true }));

  it('reads every tcpdump test capture without crashing or hanging', async () => {
    const dir = sharedPath('tcpdump', 'tests');
    const files = readdirSync(dir).filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f)).map((f) => join(dir, f));
    const report = await readAll(files);
    const errors = report.filter((line) => line.includes(' s, error: '));
    console.log(`${files.length} tcpdump captures read; ${errors.length} ended with a clear input error:\n  ${errors.slice(0, 40).join('\n  ')}`);
  });

  it('reads every generated hostile capture with its anomalies counted', async () => {
    const files = readdirSync(evil).filter((f) => !f.startsWith('54-')).map((f) => join(evil, f));
    const report = await readAll(files);
    console.log(report.join('\n'));
  });

  it('keeps 1 M distinct flows under the flow cap, counting evictions, within a 512 MiB heap', () => {
    const file = join(evil, readdirSync(evil).find((f) => f.startsWith('54-'))!);
    // Timeouts far beyond the capture's span, so only the cap can keep the table small (a burst). A child
    // process with a small heap turns unbounded growth into a crash.
    const options = { max_flows: 100_000, tcp_attempt_delay: 1e9, tcp_inactivity_timeout: 1e9 };
    const output = execFileSync(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', join(import.meta.dirname, 'read-capture.ts'), file, JSON.stringify(options)], { encoding: 'utf8' });
    const result = JSON.parse(output) as { seconds: number; crash?: string; anomalies: Record<string, number> };
    console.log(`54 (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB): ${result.seconds.toFixed(1)} s, flow.evicted=${result.anomalies['flow.evicted']}`);
    expect(result.crash).toBeUndefined();
    expect(result.anomalies['flow.evicted']).toBe(900_000);
  });
});
