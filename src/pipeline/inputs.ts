// Turns the paths a user gave into opened, sniffed inputs, each with its health record. An input that cannot
// be opened or recognised gets an error in its health record and the run goes on with the next one.
import { stat } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { newInputHealth, type InputHealth } from '../core/health.js';
import { sniffReader } from '../readers/index.js';
import type { ReadContext, Reader } from '../readers/reader.js';
import { describeFsError, expandPaths, openInput, openRaw, type ByteStream } from '../readers/io/open.js';
import type { Config } from './config.js';

export interface OpenedSource {
  health: InputHealth;
  /** Size on disk (compressed), when known: for progress. */
  size?: number;
  reader: Reader<unknown>;
  stream: ByteStream;
  ctx: ReadContext<unknown>;
}

export async function* openSources(
  paths: readonly string[],
  config: Config,
  healths: InputHealth[],
): AsyncIterable<OpenedSource> {
  for await (const found of expandPaths(paths)) {
    const health = newInputHealth(found.path, found.found);
    healths.push(health);
    if (found.error !== undefined) {
      health.error = found.error;
      continue;
    }
    let size: number | undefined;
    let opened;
    try {
      if (found.path !== '-') size = (await stat(found.path)).size;
      opened = await openInput(openRaw(found.path));
    } catch (err) {
      health.error = describeFsError(err);
      continue;
    }
    health.compression = opened.compression;
    const reader = opened.head.length === 0 ? undefined : sniffReader(opened.head);
    if (reader === undefined) {
      const why = opened.head.length === 0 ? 'empty input' : `unknown format (first bytes: ${hexPreview(opened.head)})`;
      if (found.found) health.passedOver = why;
      else health.error = why;
      continue;
    }
    health.format = reader.name;
    const options = config.readers[reader.name];
    yield {
      health,
      size,
      reader,
      stream: opened.stream,
      ctx: { path: found.path, health, limits: config.input, options },
    };
  }
}

function hexPreview(head: Uint8Array): string {
  return Buffer.from(head.subarray(0, 8)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
}

/** Records a reader's failure mid-input in its health record; what was read before it still counts. */
export function recordFailure(health: InputHealth, err: unknown): void {
  if (err instanceof InputError) health.error = err.located;
  else health.error = `${err instanceof Error ? err.message : String(err)}, after ${health.records} records and ${health.bytes} bytes`;
}
