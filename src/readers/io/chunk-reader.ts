// Pulls fixed-size pieces out of a byte stream for binary formats (pcap, pcapng, EVTX). Callers check
// every length field against a hard cap before asking for that many bytes: this class trusts its caller.
import type { ByteStream } from './open.js';

const EMPTY = Buffer.alloc(0);

export class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Absolute offset of `buf[0]` in the stream. */
  private base = 0;
  private ended = false;

  constructor(source: ByteStream) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes buffered and not yet taken. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** True once the stream has ended and every byte was taken. */
  get atEnd(): boolean {
    return this.ended && this.available === 0;
  }

  /** Buffers at least `n` bytes; false when the stream ends first (then `available` says how many there are). */
  async ensure(n: number): Promise<boolean> {
    while (this.available < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done === true) {
        this.ended = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
      if (this.available === 0) {
        this.base += this.buf.length;
        this.buf = chunk;
      } else {
        this.base += this.pos;
        this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      }
      this.pos = 0;
    }
    return this.available >= n;
  }

  /** Takes `n` buffered bytes (call `ensure(n)` first). The view stays valid: buffers are never reused. */
  take(n: number): Buffer {
    if (n > this.available) throw new RangeError(`take(${n}) with only ${this.available} bytes buffered`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Looks at `n` buffered bytes without taking them. */
  peek(n: number): Buffer {
    return this.buf.subarray(this.pos, this.pos + Math.min(n, this.available));
  }

  /** Skips `n` bytes, reading through the stream without buffering them all; returns how many were skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.ensure(1))) break;
      const step = Math.min(left, this.available);
      this.pos += step;
      left -= step;
    }
    return n - left;
  }
}
