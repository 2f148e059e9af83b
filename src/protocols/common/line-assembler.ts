// Assembles protocol lines (HTTP headers, FTP/SMTP commands and replies, MIME lines) from a TCP byte stream
// delivered in arbitrary pieces, with a hard cap so one endless line (RELIABILITY D24) costs bounded memory.
// Two policies for a line longer than the cap: `truncate` keeps its first `maxLength` bytes and flags it
// (commands, headers: the caller counts and skips it); `split` hands it over in cap-sized pieces (message
// bodies, where every byte must still be counted and sampled).

export interface AssembledLine {
  /** The line (or piece of it) without its terminator. */
  line: Uint8Array;
  /** The line was longer than the cap (truncated, or delivered in pieces). */
  tooLong: boolean;
  /** False for a piece of a split line that continues in the next piece. */
  complete: boolean;
  /** Length of the terminator removed: 2 for CRLF, 1 for LF, 0 for a piece. */
  eol: number;
}

export type OverflowPolicy = 'truncate' | 'split';

export class LineAssembler {
  private buffer: Uint8Array;
  private length = 0;
  private overflowed = false;

  /**
   * @param onOverflow called once per line, as soon as it passes the cap — a line that never ends (RELIABILITY
   *   D24) is counted even though it is never completed.
   */
  constructor(readonly maxLength: number, private readonly policy: OverflowPolicy = 'truncate', private readonly onOverflow?: () => void) {
    this.buffer = new Uint8Array(Math.min(maxLength, 256));
  }

  /**
   * Consumes `chunk` from `pos` up to and including the next LF (or, in `split` mode, until a piece is
   * full). Returns the line and the position after what was consumed, or `line: undefined` with
   * `end = chunk.length` when the line is still open.
   */
  next(chunk: Uint8Array, pos: number): { line: AssembledLine | undefined; end: number } {
    const nl = chunk.indexOf(0x0a, pos);
    const stop = nl === -1 ? chunk.length : nl;
    const room = this.maxLength - this.length;
    if (this.policy === 'split' && stop - pos > room) {
      this.append(chunk, pos, pos + room);
      const piece = { line: this.take(this.length), tooLong: true, complete: false, eol: 0 };
      this.overflowed = true;
      return { line: piece, end: pos + room };
    }
    this.append(chunk, pos, stop);
    if (nl === -1) return { line: undefined, end: chunk.length };
    let len = this.length;
    const cr = len > 0 && this.buffer[len - 1] === 0x0d && !(this.policy === 'truncate' && this.overflowed);
    if (cr) len--;
    const line = { line: this.take(len), tooLong: this.overflowed, complete: true, eol: cr ? 2 : 1 };
    this.reset();
    return { line, end: nl + 1 };
  }

  /** True while an open line holds bytes (tells a clean end of stream from a cut line). */
  get pending(): boolean {
    return this.length > 0;
  }

  /** Drops the open line (after a gap the rest of it cannot be trusted). */
  reset(): void {
    this.length = 0;
    this.overflowed = false;
  }

  private take(len: number): Uint8Array {
    const line = this.buffer.slice(0, len);
    this.length = 0;
    return line;
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const take = Math.min(this.maxLength - this.length, to - from);
    if (take < to - from) {
      if (!this.overflowed) this.onOverflow?.();
      this.overflowed = true;
    }
    if (take <= 0) return;
    if (this.length + take > this.buffer.length) {
      const grown = new Uint8Array(Math.min(this.maxLength, Math.max(this.buffer.length * 2, this.length + take)));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk.subarray(from, from + take), this.length);
    this.length += take;
  }
}

/** Protocol text is bytes; latin1 keeps every byte as one code unit so nothing is lost or invented. */
export function latin1(bytes: Uint8Array, from = 0, to = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
}

/** Parses a decimal count with an overflow check: undefined unless it is all digits and ≤ `max`. */
export function parseDecimal(text: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  let i = 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 48) i++;
  if (text.length === 0 || text.length - i > 16) return undefined;
  let value = 0;
  for (; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  return value <= max ? value : undefined;
}
