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

/** Most bytes decoded into one text. */
const TEXT_BYTES = 64 * 1024;

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

  /** An unfinished line already over the cap is dropped and the rest of it skipped up to its newline. */
  const dropCarryIfTooLong = (): void => {
    if (carry.length <= maxLineLength) return;
    tooLong();
    carry = '';
    skipping = true;
  };

  // Whether the decoder may hold the first bytes of a character cut at the last chunk's end.
  let midCharacter = false;

  for await (const chunk of slices(stream)) {
    bytes += chunk.length;
    // Pure ASCII (the usual log) is copied as Latin-1, much faster than UTF-8 decoding and the same text.
    const text = !midCharacter && isAscii(chunk)
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')
      : decoder.decode(chunk, { stream: true });
    midCharacter = chunk.length > 0 && chunk[chunk.length - 1]! >= 0x80;
    let start = 0;
    if (carry.length > 0) {
      // The last chunk's unfinished line: joined to its end, it makes a batch of its own, so that the other
      // lines stay spans of this chunk's flat text (a joined text would be a slower cons string).
      const nl = text.indexOf('\n');
      if (nl === -1) {
        carry += text;
        dropCarryIfTooLong();
        continue;
      }
      const line = carry + text.slice(0, nl);
      carry = '';
      if (line.length > maxLineLength) tooLong();
      else yield oneLine(line, lineNo, bytes);
      lineNo++;
      start = nl + 1;
    }
    // A batch holds consecutive lines only; a skipped line closes it so line numbers stay exact. Batches are
    // yielded as they fill, so only a few lines of a large chunk are alive at a time.
    let batch: LineBatch | undefined;
    for (;;) {
      const nl = text.indexOf('\n', start);
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
      start = nl + 1;
    }
    if (batch !== undefined) yield batch;
    if (!skipping) {
      carry = text.slice(start);
      dropCarryIfTooLong();
    }
  }
  carry += decoder.decode();
  if (!skipping && carry.length > 0) yield oneLine(carry, lineNo, bytes);
}

/**
 * The stream in pieces of at most TEXT_BYTES: a longer text would be allocated in V8's large-object space, which
 * counts against the old generation and brings frequent full collections while its lines are read.
 */
async function* slices(stream: ByteStream): AsyncIterable<Uint8Array> {
  for await (const chunk of stream) {
    for (let at = 0; at < chunk.length; at += TEXT_BYTES) yield chunk.subarray(at, at + TEXT_BYTES);
  }
}

/** A batch of one line that has a text of its own (without its `\r\n` or `\n`). */
function oneLine(line: string, lineNo: number, bytes: number): LineBatch {
  const batch = new LineBatch(line, lineNo, bytes);
  batch.starts.push(0);
  batch.ends.push(line.endsWith('\r') ? line.length - 1 : line.length);
  return batch;
}
