// Test support for readers: runs a reader over in-memory bytes with a fresh health record, the way the
// pipeline does, and returns what it produced together with the health (anomaly counts, error).
import { Readable } from 'node:stream';
import type { Event } from '../core/events.js';
import { newInputHealth, type InputHealth } from '../core/health.js';
import type { ByteStream } from './io/open.js';
import type { InputLimits, Reader } from './reader.js';

export const TEST_LIMITS: InputLimits = { max_line_length: 1 << 20, max_consecutive_bad_lines: 1000 };

export interface ReadResult<T> {
  items: T[];
  health: InputHealth;
  error?: unknown;
}

/** Bytes as a stream in chunks of `chunk` bytes (small chunks exercise the line splitter's carry-over). */
export function streamOf(input: string | Uint8Array, chunk = 1 << 16): ByteStream {
  const bytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return Readable.from(parts);
}

async function collect<T>(batches: AsyncIterable<T[]>, health: InputHealth): Promise<ReadResult<T>> {
  const items: T[] = [];
  try {
    for await (const batch of batches) items.push(...batch);
  } catch (error) {
    return { items, health, error };
  }
  return { items, health };
}

/** Normalised events of `reader` over `input`; reader options are parsed from `options` (defaults filled). */
export function readEvents<O>(reader: Reader<O>, input: string | Uint8Array | ByteStream, options: object = {}, limits: Partial<InputLimits> = {}): Promise<ReadResult<Event>> {
  const health = newInputHealth('test');
  const ctx = { path: 'test', health, limits: { ...TEST_LIMITS, ...limits }, options: reader.options!.parse(options) };
  const stream = typeof input === 'string' || input instanceof Uint8Array ? streamOf(input) : input;
  return collect(reader.events(stream, ctx), health);
}

/** Parsed records (the `exfilscope dump` view) of `reader` over `input`. */
export function readRecords<O>(reader: Reader<O>, input: string | Uint8Array, options: object = {}): Promise<ReadResult<unknown>> {
  const health = newInputHealth('test');
  const ctx = { path: 'test', health, limits: TEST_LIMITS, options: reader.options!.parse(options) };
  return collect(reader.records!(streamOf(input), ctx), health);
}
