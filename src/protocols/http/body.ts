// One HTTP message body as it streams in: counts and samples the entity bytes as sent (after de-chunking,
// before content decoding — volume and entropy are measured on what crossed the wire), keeps the compressed
// bytes for a capped decode at the end, and walks multipart bodies part by part.
import type { ByteSample } from '../../core/events.js';
import { LineAssembler } from '../common/line-assembler.js';
import { ByteSampler } from '../common/payload.js';
import type { MimeLimits, MimePart, MimeReport } from '../mime/walker.js';
import { MimeWalker } from '../mime/walker.js';
import type { DecompressLimits } from './decompress.js';
import { decodeContent } from './decompress.js';

export interface BodyLimits extends DecompressLimits, MimeLimits {
  max_line_length: number;
}

export interface FinishedBody {
  /** Entity bytes as sent, gaps included in `total`. */
  wire: ByteSample;
  /**
   * For multipart bodies, the length Zeek reports: its MIME analyzer ends the last line with a CRLF even
   * when the body has none, so such a body counts 2 more bytes.
   */
  mimeLength?: number;
  missing: number;
  /** Content-decoded bytes when a Content-Encoding was undone. */
  decoded?: Uint8Array;
  /** Multipart parts reported (each as it ended) through `onPart`. */
  parts: number;
}

export class BodyCollector {
  private readonly wire: ByteSampler;
  private compressed: Uint8Array[] | undefined;
  private compressedBytes = 0;
  private compressedTruncated = false;
  private readonly mime: { walker: MimeWalker; lines: LineAssembler } | undefined;
  private parts = 0;
  private missing = 0;

  constructor(
    private readonly limits: BodyLimits,
    private readonly codings: readonly string[],
    contentType: string | undefined,
    private readonly report: MimeReport,
    onPart: (part: MimePart) => void,
  ) {
    this.wire = new ByteSampler(limits.max_sample_bytes);
    if (codings.length > 0) this.compressed = [];
    else if (contentType !== undefined && /^\s*(multipart\/|message\/rfc822)/i.test(contentType)) {
      const part = (p: MimePart): void => {
        this.parts++;
        onPart(p);
      };
      const walker = new MimeWalker(limits, { part, anomaly: (code) => report.anomaly(code), limitReached: (code) => report.limitReached(code) }, contentType);
      this.mime = { walker, lines: new LineAssembler(limits.max_line_length, 'split') };
    }
  }

  get length(): number {
    return this.wire.total;
  }

  data(bytes: Uint8Array, from: number, to: number): void {
    this.wire.add(bytes, from, to);
    if (this.compressed !== undefined && !this.compressedTruncated) {
      const take = Math.min(to - from, this.limits.max_decompressed_bytes - this.compressedBytes);
      if (take < to - from) this.compressedTruncated = true;
      if (take > 0) this.compressed.push(bytes.slice(from, from + take));
      this.compressedBytes += Math.max(take, 0);
    }
    if (this.mime !== undefined) {
      const chunk = bytes.subarray(from, to);
      let pos = 0;
      while (pos < chunk.length) {
        const { line, end } = this.mime.lines.next(chunk, pos);
        pos = end;
        if (line !== undefined) this.mime.walker.line(line);
      }
    }
  }

  gap(length: number): void {
    this.wire.skip(length);
    this.missing += length;
    this.mime?.lines.reset();
  }

  finish(): FinishedBody {
    const result: FinishedBody = { wire: this.wire.sample(), missing: this.missing, parts: 0 };
    if (this.mime !== undefined) {
      const unterminated = this.mime.lines.pending;
      // The last line need not end with a line break: a synthetic LF releases it.
      if (unterminated) this.mime.walker.line(this.mime.lines.next(Uint8Array.of(0x0a), 0).line!);
      this.mime.walker.end();
      result.mimeLength = this.wire.total + (unterminated ? 2 : 0);
    }
    // The last part of an embedded message ends with the body.
    result.parts = this.parts;
    if (this.compressed !== undefined && this.compressedBytes > 0) {
      if (this.compressedTruncated) this.report.anomaly('decompress.capped');
      const decoded = decodeContent(Buffer.concat(this.compressed), this.codings, this.limits);
      if (decoded.status === 'decoded') result.decoded = decoded.bytes;
      else if (decoded.status === 'capped') this.report.anomaly('decompress.capped');
      else if (decoded.status === 'failed') this.report.anomaly('decompress.failed');
      else this.report.anomaly('http.unsupported_encoding');
    }
    return result;
  }
}
