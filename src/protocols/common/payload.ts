// Content observations for content analysis: a bounded prefix of a byte stream plus its full length, and
// the helpers that turn one finished stream (an HTTP body, an FTP data transfer, a MIME part, an ICMP echo)
// into `payload` events stamped with the connection's endpoints.
import type { ByteSample, Endpoints, FileTransferEvent, PayloadEvent, Source } from '../../core/events.js';
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

export interface TransferFacts {
  protocol: string;
  /** Bytes the transfer carried, gaps included. */
  total: number;
  missing?: number;
  filename?: string;
  mime_type?: string;
}

/** Emits one `file_transfer` event for content sent by `dir`'s side (the sender is its `src_ip`). */
export function emitFileTransfer(ctx: AnalyzerContext, ts: number, dir: Direction, facts: TransferFacts): void {
  const fields = connFields(ctx, ts);
  const missing = facts.missing ?? 0;
  const event: FileTransferEvent = {
    kind: 'file_transfer', ts, host: fields.host, source: fields.source, uid: fields.uid,
    src_ip: dir === 'orig' ? fields.src_ip : fields.dst_ip, dst_ip: dir === 'orig' ? fields.dst_ip : fields.src_ip,
    protocol: facts.protocol, is_orig: dir === 'orig', seen_bytes: facts.total - missing, total_bytes: facts.total, missing_bytes: missing,
  };
  if (facts.filename !== undefined) event.filename = facts.filename;
  if (facts.mime_type !== undefined) event.mime_type = facts.mime_type;
  ctx.emit(event);
}

/**
 * Emits one `payload` event; the originator's bytes are outbound. `viewFrom: 'responder'` reports the
 * connection as seen from its responder (endpoints swapped, so the responder's bytes are outbound): an FTP
 * data channel opened by the server in active mode still carries the FTP client's upload *out*.
 */
export function emitPayload(
  ctx: AnalyzerContext, ts: number, dir: Direction, label: PayloadLabel, sample: ByteSample, viewFrom: 'originator' | 'responder' = 'originator',
): void {
  // Built as one literal (no spreads): DNS emits one of these per message.
  const { uid, src_ip, src_port, dst_ip, dst_port } = ctx.conn;
  const reversed = viewFrom === 'responder';
  const event: PayloadEvent = {
    kind: 'payload',
    ts,
    host: reversed ? dst_ip : src_ip,
    source: ctx.source(),
    uid,
    src_ip: reversed ? dst_ip : src_ip,
    src_port: reversed ? dst_port : src_port,
    dst_ip: reversed ? src_ip : dst_ip,
    dst_port: reversed ? src_port : dst_port,
    protocol: label.protocol,
    context: label.context,
    direction: (dir === 'orig') !== reversed ? 'out' : 'in',
    sample,
  };
  if (label.name !== undefined) event.name = label.name;
  ctx.emit(event);
}
