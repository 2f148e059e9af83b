// Crash safety of `hunt --db` (RELIABILITY F41, F48): a hunt over a generated day of hourly logs is killed with
// SIGKILL at seeded random moments and restarted until it completes; the store must then hold exactly what an
// uninterrupted hunt stores — the same findings and incidents, none duplicated, none missing — and hunting the
// same inputs again (also under another name) must add nothing.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { prng } from '../prng.js';
import { generateDay } from './generate.js';

const CLI = join(import.meta.dirname, 'cli.ts');
const MAX_KILLS = 6;
let cleanDuration = 5000;
const dir = mkdtempSync(join(tmpdir(), 'exfilscope-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `exfilscope hunt --db`; with `killAfterMs`, SIGKILLs it then. Resolves with the exit code, or null when killed. */
function hunt(db: string, inputs: string[], killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'hunt', '--db', db, '-q', '--format', 'jsonl', ...inputs], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(null);
      else if (code !== 0) reject(new Error(`hunt exited ${code}: ${stderr}`));
      else resolve(code);
    });
  });
}

function contents(db: string) {
  const store = Store.open(db, true);
  try {
    return { findings: store.findings(), incidents: store.incidents({ includeSuppressed: true }), counts: store.counts() };
  } finally {
    store.close();
  }
}

/** Kill points as percentages of the uninterrupted run, from a seed, so a failure can be replayed. */
function killPoints(seed: number, n: number, min: number, max: number): number[] {
  const rand = prng(seed);
  return Array.from({ length: n }, () => min + rand() * (max - min));
}

describe('hunt --db under kill -9', () => {
  const inputs = generateDay(join(dir, 'in'), 4000, 24);

  it('ends with exactly the findings and incidents of an uninterrupted run', async () => {
    const clean = join(dir, 'clean.db');
    const started = performance.now();
    expect(await hunt(clean, inputs)).toBe(0);
    // Kill points are fractions of this machine's uninterrupted run time, so they land mid-ingest anywhere.
    const duration = performance.now() - started;
    cleanDuration = duration;
    const expected = contents(clean);
    expect(expected.findings.length).toBeGreaterThan(0);
    expect(expected.incidents.length).toBeGreaterThan(0);

    const crashed = join(dir, 'crashed.db');
    let kills = 0;
    let partial = 0;
    for (const fraction of killPoints(20260128, MAX_KILLS, 15, 60)) {
      const delay = (duration * fraction) / 100;
      const code = await hunt(crashed, inputs, delay);
      if (code === 0) break;
      kills++;
      try {
        const inputsDone = contents(crashed).counts.inputs ?? 0;
        if (inputsDone > 0 && inputsDone < inputs.length) partial++;
      } catch {
        // Killed before the store was first created: nothing to look at yet.
      }
    }
    expect(await hunt(crashed, inputs)).toBe(0);
    const got = contents(crashed);
    console.log(`crash test: ${kills} kills, ${partial} left a partly ingested store`);
    expect(kills).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0);
    expect(got.findings).toEqual(expected.findings);
    expect(got.incidents).toEqual(expected.incidents);
    expect(got.counts).toEqual(expected.counts);
  }, 300_000);

  it('loses nothing when the WAL is lost after a kill, or says the store is damaged (RELIABILITY F44)', async () => {
    // Deleting the WAL rolls committed transactions back together with their checkpoints, so the inputs are read
    // again. If the kill interrupted a checkpoint, the main file can be left half-updated: then the only right
    // outcome is the quick_check error with recovery steps, never a silently wrong store.
    const expected = contents(join(dir, 'clean.db'));
    const db = join(dir, 'wal-lost.db');
    let lost = 0;
    try {
      for (const fraction of killPoints(44, 3, 30, 70)) {
        if ((await hunt(db, inputs, (cleanDuration * fraction) / 100)) === 0) break;
        if (existsSync(db + '-wal')) lost++;
        rmSync(db + '-wal', { force: true });
        rmSync(db + '-shm', { force: true });
      }
      expect(await hunt(db, inputs)).toBe(0);
    } catch (err) {
      console.log(`WAL-loss test: the store was left damaged after ${lost} lost WAL files`);
      expect((err as Error).message).toMatch(/store .* (is damaged|cannot be read).*To recover/s);
      return;
    }
    console.log(`WAL-loss test: ${lost} WAL files deleted after kills; store exact`);
    expect(contents(db)).toEqual(expected);
  }, 300_000);

  it('adds nothing when the same inputs are hunted again, even under another name', async () => {
    const db = join(dir, 'clean.db');
    const before = contents(db);
    const copy = join(dir, 'renamed-copy.jsonl');
    copyFileSync(inputs[3]!, copy);
    expect(await hunt(db, [...inputs, copy])).toBe(0);
    expect(contents(db)).toEqual(before);
  }, 120_000);
});
