// Splits a byte stream into text lines in batches, with a hard cap on line length so one endless
// line (RELIABILITY E35) costs bounded memory: the over-long line is skipped up to its newline and counted.
import { isAscii } from 'node:buffer';
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

/** Most lines in one batch: small batches keep the set of live objects small when each line becomes an event. */
const BATCH_LINES = 1024;

/** Yields batches of consecutive lines; an unterminated last line is yielded as a final batch. */
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

  // Whether the decoder may hold the first bytes of a character cut at the last chunk's end.
  let midCharacter = false;

  for await (const chunk of stream) {
    bytes += chunk.length;
    // Pure ASCII (the usual log) is copied as Latin-1, much faster than UTF-8 decoding and the same text.
    const text = !midCharacter && isAscii(chunk)
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')
      : decoder.decode(chunk, { stream: true });
    midCharacter = chunk.length > 0 && chunk[chunk.length - 1]! >= 0x80;
    // A batch holds consecutive lines only; a skipped line closes it so line numbers stay exact. Batches are
    // yielded as they fill, so only a few lines of a large chunk are alive at a time.
    let batch: LineBatch | undefined;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (skipping) {
        skipping = false;
        if (batch !== undefined) yield batch;
        batch = undefined;
      } else {
        let line = carry.length > 0 ? carry + text.slice(start, nl) : text.slice(start, nl);
        carry = '';
        if (line.length > maxLineLength) {
          tooLong();
          if (batch !== undefined) yield batch;
          batch = undefined;
        } else {
          if (line.endsWith('\r')) line = line.slice(0, -1);
          batch ??= { lines: [], firstLine: lineNo, bytes };
          batch.lines.push(line);
          if (batch.lines.length === BATCH_LINES) {
            yield batch;
            batch = undefined;
          }
        }
      }
      lineNo++;
      start = nl + 1;
    }
    if (batch !== undefined) yield batch;
    if (!skipping) {
      carry = carry.length > 0 ? carry + text.slice(start) : text.slice(start);
      if (carry.length > maxLineLength) {
        tooLong();
        carry = '';
        skipping = true;
      }
    }
  }
  carry += decoder.decode();
  if (!skipping && carry.length > 0) {
    if (carry.endsWith('\r')) carry = carry.slice(0, -1);
    yield { lines: [carry], firstLine: lineNo, bytes };
  }
}
