// Shared plumbing of line-based readers: non-empty lines with their numbers (counted in the input's
// health), a stream failure (a truncated .gz) turned into an InputError naming the line reached, and the
// budget of bad lines in a row past which an input is taken to be some other format and stopped.
import type { AnomalyCode } from '../../core/anomalies.js';
import { InputError } from '../../core/errors.js';
import type { ReadContext } from '../reader.js';
import { readLines } from './lines.js';
import type { ByteStream } from './open.js';

export interface NumberedLine {
  text: string;
  /** 1-based line number. */
  line: number;
}

/** The input's non-empty lines in batches; health.records and health.bytes follow the reading. */
export async function* numberedLines(stream: ByteStream, ctx: ReadContext<unknown>): AsyncIterable<NumberedLine[]> {
  const { health, limits } = ctx;
  let lastLine = 0;
  try {
    for await (const batch of readLines(stream, { maxLineLength: limits.max_line_length, anomalies: health.anomalies })) {
      health.bytes = batch.bytes;
      const out: NumberedLine[] = [];
      for (let k = 0; k < batch.length; k++) {
        const text = batch.line(k);
        lastLine = batch.firstLine + k;
        if (text.length === 0) continue;
        out.push({ text, line: lastLine });
      }
      health.records += out.length;
      yield out;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(ctx.path, `${(err as Error).message} after ${lastLine} lines`, { line: lastLine + 1 });
  }
}

/** Counts bad lines in a row and stops the input past `max_consecutive_bad_lines`. */
export class BadLines {
  private run = 0;

  constructor(private readonly ctx: ReadContext<unknown>) {}

  bad(code: AnomalyCode, line: number, detail?: string): void {
    this.ctx.health.anomalies.add(code, detail === undefined ? { line } : { line, detail });
    if (++this.run >= this.ctx.limits.max_consecutive_bad_lines) {
      throw new InputError(this.ctx.path, `${this.run} bad lines in a row (last: ${detail ?? code}); stopped reading`, { line });
    }
  }

  good(): void {
    this.run = 0;
  }
}
