// WebSocket framing (RFC 6455 §5.2) of one direction of an upgraded HTTP connection: hands on the payload of
// data frames (text, binary, continuation), unmasked, so the protocol carried inside can be analyzed as Zeek's
// WebSocket analyzer does; control frames (close, ping, pong) are skipped. Only the header (at most 14 bytes)
// is buffered: payloads stream through, so a frame length of 2^63 costs nothing.
import type { AnomalyCode } from '../../core/anomalies.js';

const MAX_HEADER = 14;

export class WebSocketUnframer {
  private readonly header = new Uint8Array(MAX_HEADER);
  private have = 0;
  /** Header bytes needed: 2 until the first two are read, then the whole header's size. */
  private need = 2;
  private remaining = 0;
  private inPayload = false;
  private data = false;
  private mask: Uint8Array | undefined;
  private maskAt = 0;
  /** The framing could not be followed (a length beyond 2^53): the rest of this direction is skipped. */
  private lost = false;

  constructor(
    private readonly deliver: (payload: Uint8Array, ts: number) => void,
    private readonly anomaly: (code: AnomalyCode) => void,
  ) {}

  push(bytes: Uint8Array, ts: number): void {
    let pos = 0;
    while (pos < bytes.length && !this.lost) {
      if (this.inPayload) {
        const take = Math.min(this.remaining, bytes.length - pos);
        if (this.data) this.deliver(this.unmask(bytes.subarray(pos, pos + take)), ts);
        this.remaining -= take;
        pos += take;
        if (this.remaining === 0) this.nextFrame();
        continue;
      }
      const take = Math.min(this.need - this.have, bytes.length - pos);
      this.header.set(bytes.subarray(pos, pos + take), this.have);
      this.have += take;
      pos += take;
      if (this.have === this.need) this.headerBytes();
    }
  }

  /** Bytes are missing: frame boundaries cannot be found again, so the rest of this direction is skipped. */
  gap(): void {
    if (!this.lost) this.anomaly('websocket.content_gap');
    this.lost = true;
  }

  /** Called whenever the header buffer holds `need` bytes: sizes the header, then reads it once complete. */
  private headerBytes(): void {
    const h = this.header;
    const len7 = h[1]! & 0x7f;
    const masked = (h[1]! & 0x80) !== 0;
    const size = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
    if (this.need < size) {
      this.need = size;
      return;
    }
    let length = len7;
    if (len7 === 126) length = (h[2]! << 8) | h[3]!;
    else if (len7 === 127) {
      const high = ((h[2]! << 24) | (h[3]! << 16) | (h[4]! << 8) | h[5]!) >>> 0;
      if (high > 0x1fffff) {
        this.anomaly('websocket.bad_frame_length');
        this.lost = true;
        return;
      }
      length = high * 2 ** 32 + (((h[6]! << 24) | (h[7]! << 16) | (h[8]! << 8) | h[9]!) >>> 0);
    }
    const opcode = h[0]! & 0x0f;
    if ((opcode > 2 && opcode < 8) || opcode > 10) this.anomaly('websocket.bad_opcode');
    this.data = opcode <= 2;
    this.mask = masked ? h.slice(size - 4, size) : undefined;
    this.maskAt = 0;
    this.remaining = length;
    this.inPayload = true;
    if (length === 0) this.nextFrame();
  }

  private nextFrame(): void {
    this.inPayload = false;
    this.have = 0;
    this.need = 2;
  }

  private unmask(payload: Uint8Array): Uint8Array {
    const mask = this.mask;
    if (mask === undefined) return payload;
    const out = new Uint8Array(payload.length);
    for (let i = 0; i < payload.length; i++) out[i] = payload[i]! ^ mask[(this.maskAt + i) & 3]!;
    this.maskAt = (this.maskAt + payload.length) & 3;
    return out;
  }
}
