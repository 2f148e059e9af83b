// One direction of TCP stream reassembly. Sequence numbers arrive already unwrapped into a 53-bit space
// relative to the endpoint's initial sequence number, so 32-bit wraparound needs no special case here.
// Policy: the first bytes seen for a sequence range win (later copies are dropped); a later copy carrying
// different bytes counts `tcp.overlap_diff_data`. Out-of-order bytes are buffered up to a cap; beyond it
// the hole is declared a gap (`tcp.reassembly_overflow`) and delivery resumes, so memory stays bounded and
// volume accounting (done from sequence numbers elsewhere) is unaffected.

export interface ReassemblyLimits {
  /** Out-of-order bytes buffered per direction before a hole is skipped. */
  max_buffered_bytes: number;
  /** Bytes of already-delivered stream kept to compare retransmissions with (overlap detection). */
  overlap_window: number;
}

export interface StreamSink {
  deliver(bytes: Uint8Array): void;
  gap(length: number): void;
  anomaly(code: 'tcp.overlap_diff_data' | 'tcp.reassembly_overflow'): void;
}

interface Block {
  seq: number;
  bytes: Uint8Array;
}

export class StreamReassembler {
  /** Next in-order sequence number to deliver. */
  next: number;
  private blocks: Block[] = [];
  private buffered = 0;
  /** Copy of the last delivered bytes, ending at `next`. */
  private tail: Uint8Array | undefined;
  private tailLength = 0;

  constructor(
    start: number,
    private readonly limits: ReassemblyLimits,
    private readonly sink: StreamSink,
  ) {
    this.next = start;
  }

  get pending(): boolean {
    return this.blocks.length > 0;
  }

  add(seq: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const end = seq + bytes.length;
    if (end <= this.next) {
      this.compareWithTail(seq, bytes);
      return;
    }
    if (seq < this.next) {
      this.compareWithTail(seq, bytes.subarray(0, this.next - seq));
      bytes = bytes.subarray(this.next - seq);
      seq = this.next;
    }
    if (seq === this.next && this.blocks.length === 0) {
      this.emit(bytes);
      return;
    }
    this.insert(seq, bytes, end);
    this.drain();
    if (this.buffered > this.limits.max_buffered_bytes) {
      this.sink.anomaly('tcp.reassembly_overflow');
      this.skipTo(this.blocks[0]!.seq);
      this.drain();
    }
  }

  /** The peer acknowledged up to `seq`: whatever is still missing below it will never come. */
  acked(seq: number): void {
    if (seq <= this.next) return;
    this.skipTo(seq);
    this.drain();
  }

  /** End of connection: report holes under buffered data, then deliver it. */
  flush(): void {
    while (this.blocks.length > 0) {
      this.skipTo(this.blocks[0]!.seq);
      this.drain();
    }
  }

  private insert(seq: number, bytes: Uint8Array, end: number): void {
    // Trim against buffered blocks (first wins), then store only the new parts as copies.
    let i = 0;
    while (i < this.blocks.length && this.blocks[i]!.seq + this.blocks[i]!.bytes.length <= seq) i++;
    let cursor = seq;
    const pieces: Block[] = [];
    for (let j = i; j < this.blocks.length && cursor < end; j++) {
      const b = this.blocks[j]!;
      const bEnd = b.seq + b.bytes.length;
      if (b.seq >= end) break;
      if (b.seq > cursor) pieces.push({ seq: cursor, bytes: bytes.slice(cursor - seq, b.seq - seq) });
      const from = Math.max(cursor, b.seq);
      const to = Math.min(end, bEnd);
      if (from < to && !sameBytes(bytes, from - seq, b.bytes, from - b.seq, to - from)) this.sink.anomaly('tcp.overlap_diff_data');
      cursor = Math.max(cursor, bEnd);
    }
    if (cursor < end) pieces.push({ seq: cursor, bytes: bytes.slice(cursor - seq) });
    for (const piece of pieces) {
      this.buffered += piece.bytes.length;
      let at = this.blocks.findIndex((b) => b.seq > piece.seq);
      if (at < 0) at = this.blocks.length;
      this.blocks.splice(at, 0, piece);
    }
  }

  private drain(): void {
    while (this.blocks.length > 0) {
      const b = this.blocks[0]!;
      const bEnd = b.seq + b.bytes.length;
      if (b.seq > this.next) return;
      this.blocks.shift();
      this.buffered -= b.bytes.length;
      if (bEnd > this.next) this.emit(b.bytes.subarray(this.next - b.seq));
    }
  }

  private skipTo(seq: number): void {
    if (seq <= this.next) return;
    // Only the holes count as missing: buffered blocks below `seq` are still delivered by drain().
    let missing = 0;
    let cursor = this.next;
    for (const b of this.blocks) {
      if (b.seq >= seq) break;
      if (b.seq > cursor) missing += b.seq - cursor;
      cursor = Math.max(cursor, b.seq + b.bytes.length);
    }
    if (cursor < seq) missing += seq - cursor;
    if (missing > 0) this.sink.gap(missing);
    // Deliver blocks below seq in order, stepping over holes.
    while (this.blocks.length > 0 && this.blocks[0]!.seq < seq) {
      const b = this.blocks[0]!;
      if (b.seq > this.next) this.jump(b.seq);
      this.drain();
    }
    if (seq > this.next) this.jump(seq);
  }

  private jump(seq: number): void {
    this.next = seq;
    this.tailLength = 0;
  }

  private emit(bytes: Uint8Array): void {
    this.next += bytes.length;
    this.remember(bytes);
    this.sink.deliver(bytes);
  }

  private remember(bytes: Uint8Array): void {
    const window = this.limits.overlap_window;
    if (window === 0) return;
    this.tail ??= new Uint8Array(window);
    if (bytes.length >= window) {
      this.tail.set(bytes.subarray(bytes.length - window));
      this.tailLength = window;
      return;
    }
    const keep = Math.min(this.tailLength, window - bytes.length);
    this.tail.copyWithin(0, this.tailLength - keep, this.tailLength);
    this.tail.set(bytes, keep);
    this.tailLength = keep + bytes.length;
  }

  private compareWithTail(seq: number, bytes: Uint8Array): void {
    if (this.tail === undefined) return;
    const tailStart = this.next - this.tailLength;
    const from = Math.max(seq, tailStart);
    const to = Math.min(seq + bytes.length, this.next);
    if (from < to && !sameBytes(bytes, from - seq, this.tail, from - tailStart, to - from)) this.sink.anomaly('tcp.overlap_diff_data');
  }
}

function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}
