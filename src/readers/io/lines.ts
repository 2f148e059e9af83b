// Splits a byte stream into text lines in batches, with a hard cap on line length so one endless
// line (RELIABILITY E35) costs bounded memory: the over-long line is skipped up to its newline and counted.
import { isAscii } from 'node:buffer';
import type { AnomalyCounter } from '../../core/anomalies.js';
import type { ByteStream } from './open.js';

/**
 * Consecutive lines, kept as spans of one text rather than as strings of their own: readers that parse in
 * place (the Zeek TSV reader) never copy a line out, and char access on the flat text stays fast.
 */
export class LineBatch {
  /** Start and end (exclusive, before any `\r\n` or `\n`) of each line in `text`. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  constructor(
    readonly text: string,
    /** 1-based line number of the first line. */
    readonly firstLine: number,
    /** Bytes consumed from the stream so far, for progress. */
    readonly bytes: number,
  ) {}

  get length(): number {
    return this.starts.length;
  }

  line(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }
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
    const decoded = !midCharacter && isAscii(chunk)
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')
      : decoder.decode(chunk, { stream: true });
    midCharacter = chunk.length > 0 && chunk[chunk.length - 1]! >= 0x80;
    // The last chunk's unfinished line is joined to this one, so every line lies within one text. It holds no
    // newline, so the search starts after it.
    const text = carry + decoded;
    let start = 0;
    let searchFrom = carry.length;
    carry = '';
    // A batch holds consecutive lines only; a skipped line closes it so line numbers stay exact. Batches are
    // yielded as they fill, so only a few lines of a large chunk are alive at a time.
    let batch: LineBatch | undefined;
    for (;;) {
      const nl = text.indexOf('\n', searchFrom);
      if (nl === -1) break;
      if (skipping || nl - start > maxLineLength) {
        if (!skipping) tooLong();
        skipping = false;
        if (batch !== undefined) yield batch;
        batch = undefined;
      } else {
        batch ??= new LineBatch(text, lineNo, bytes);
        batch.starts.push(start);
        batch.ends.push(nl > start && text.charCodeAt(nl - 1) === 13 /* \r */ ? nl - 1 : nl);
        if (batch.length === BATCH_LINES) {
          yield batch;
          batch = undefined;
        }
      }
      lineNo++;
      start = searchFrom = nl + 1;
    }
    if (batch !== undefined) yield batch;
    if (!skipping) {
      carry = text.slice(start);
      if (carry.length > maxLineLength) {
        tooLong();
        carry = '';
        skipping = true;
      }
    }
  }
  carry += decoder.decode();
  if (!skipping && carry.length > 0) {
    const batch = new LineBatch(carry, lineNo, bytes);
    batch.starts.push(0);
    batch.ends.push(carry.endsWith('\r') ? carry.length - 1 : carry.length);
    yield batch;
  }
}
