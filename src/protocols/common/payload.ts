// Content observations for content analysis: a bounded prefix of a byte stream plus its full length, and
// the helpers that turn one finished stream (an HTTP body, an FTP data transfer, a MIME part, an ICMP echo)
// into `payload` events stamped with the connection's endpoints.
import type { ByteSample, Endpoints, PayloadEvent, Source } from '../../core/events.js';
import type { AnalyzerContext, Direction } from '../analyzer.js';

/** Keeps the first `maxSample` bytes of a stream and counts all of them. */
export class ByteSampler {
  private chunks: Uint8Array[] = [];
  private kept = 0;
  total = 0;

  constructor(readonly maxSample: number) {}

  add(bytes: Uint8Array, from = 0, to = bytes.length): void {
    const n = to - from;
    this.total += n;
    const take = Math.min(n, this.maxSample - this.kept);
    if (take <= 0) return;
    // Copy: the flow table may reuse its buffers after the call returns.
    this.chunks.push(bytes.slice(from, from + take));
    this.kept += take;
  }

  /** Counts bytes that were not seen (a gap) without sampling them. */
  skip(n: number): void {
    this.total += n;
  }

  sample(): ByteSample {
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), total: this.total };
  }
}

/** Fields every event about one connection carries: time, host (the originator), evidence, endpoints. */
export function connFields(ctx: AnalyzerContext, ts: number): { ts: number; host: string; source: Source; uid: string } & Endpoints {
  const { uid, src_ip, src_port, dst_ip, dst_port } = ctx.conn;
  return { ts, host: src_ip, source: ctx.source(), uid, src_ip, src_port, dst_ip, dst_port };
}

export interface PayloadLabel {
  protocol: string;
  context: string;
  name?: string;
}

/** Emits one `payload` event; the originator's bytes are outbound. */
export function emitPayload(ctx: AnalyzerContext, ts: number, dir: Direction, label: PayloadLabel, sample: ByteSample): void {
  const event: PayloadEvent = {
    kind: 'payload',
    ...connFields(ctx, ts),
    protocol: label.protocol,
    context: label.context,
    direction: dir === 'orig' ? 'out' : 'in',
    sample,
  };
  if (label.name !== undefined) event.name = label.name;
  ctx.emit(event);
}
