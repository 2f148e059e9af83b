// Test helpers: run one reader over in-memory bytes, or the whole pipeline over files, and collect results.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../src/core/events.js';
import type { Finding } from '../src/core/findings.js';
import { newInputHealth, type InputHealth, type RunSummary } from '../src/core/health.js';
import { parseConfig } from '../src/pipeline/config.js';
import { run } from '../src/pipeline/run.js';
import type { InputLimits, Reader } from '../src/readers/reader.js';

export const DEFAULT_LIMITS: InputLimits = { max_line_length: 1 << 20, max_consecutive_bad_lines: 1000 };

async function* chunked(bytes: Uint8Array, chunkSize: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}

/** Reads `input` with one reader, in chunks of `chunkSize` bytes; a thrown error is returned, not raised. */
export async function readWith<O>(
  reader: Reader<O>,
  input: string | Uint8Array,
  options: { limits?: Partial<InputLimits>; chunkSize?: number; readerOptions?: O } = {},
): Promise<{ events: Event[]; health: InputHealth; error?: Error }> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const health = newInputHealth('test-input');
  const events: Event[] = [];
  const ctx = {
    path: 'test-input',
    health,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    options: options.readerOptions as O,
  };
  try {
    for await (const batch of reader.events(chunked(bytes, options.chunkSize ?? 65536), ctx)) events.push(...batch);
  } catch (err) {
    return { events, health, error: err as Error };
  }
  return { events, health };
}

/** Writes files into a fresh temporary directory and returns its path. */
export function tempDir(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'exfilscope-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Runs the whole hunt pipeline (default config unless given) and collects findings. */
export async function hunt(paths: string[], rawConfig: unknown = {}): Promise<{ findings: Finding[]; summary: RunSummary }> {
  const findings: Finding[] = [];
  const summary = await run(paths, { config: parseConfig(rawConfig), detect: true, onFinding: (f) => findings.push(f) });
  return { findings, summary };
}
