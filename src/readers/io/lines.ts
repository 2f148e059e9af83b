// Splits a byte stream into text lines in batches, with a hard cap on line length so one endless
// line (RELIABILITY E35) costs bounded memory: the over-long line is skipped up to its newline and counted.
import type { AnomalyCounter } from '../../core/anomalies.js';
import type { ByteStream } from './open.js';

export interface LineBatch {
  /** Lines without their terminator (`\n` or `\r\n`). */
  lines: string[];
  /** 1-based line number of `lines[0]`. */
  firstLine: number;
  /** Bytes consumed from the stream so far, for progress. */
  bytes: number;
}

export interface LineOptions {
  /** Longest line kept, in characters; longer ones are skipped and counted as `input.line_too_long`. */
  maxLineLength: number;
  anomalies: AnomalyCounter;
}

/** Yields one batch per input chunk; an unterminated last line is yielded as a final batch. */
export async function* readLines(stream: ByteStream, options: LineOptions): AsyncIterable<LineBatch> {
  const decoder = new TextDecoder('utf-8');
  const { maxLineLength, anomalies } = options;
  let carry = '';
  let skipping = false;
  let lineNo = 1;
  let bytes = 0;

  const tooLong = (): void => {
    anomalies.add('input.line_too_long', { line: lineNo, detail: `longer than ${maxLineLength} characters` });
  };

  for await (const chunk of stream) {
    bytes += chunk.length;
    const text = decoder.decode(chunk, { stream: true });
    // A batch holds consecutive lines only; a skipped line closes it so line numbers stay exact.
    const batches: LineBatch[] = [];
    let batch: LineBatch | undefined;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (skipping) {
        skipping = false;
        batch = undefined;
      } else {
        let line = carry.length > 0 ? carry + text.slice(start, nl) : text.slice(start, nl);
        carry = '';
        if (line.length > maxLineLength) {
          tooLong();
          batch = undefined;
        } else {
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (batch === undefined) {
            batch = { lines: [], firstLine: lineNo, bytes };
            batches.push(batch);
          }
          batch.lines.push(line);
        }
      }
      lineNo++;
      start = nl + 1;
    }
    if (!skipping) {
      carry = carry.length > 0 ? carry + text.slice(start) : text.slice(start);
      if (carry.length > maxLineLength) {
        tooLong();
        carry = '';
        skipping = true;
      }
    }
    yield* batches;
  }
  carry += decoder.decode();
  if (!skipping && carry.length > 0) {
    if (carry.endsWith('\r')) carry = carry.slice(0, -1);
    yield { lines: [carry], firstLine: lineNo, bytes };
  }
}
