// WebSocket (RFC 6455) after an HTTP Upgrade. The framing of each direction hands on the payload of data
// frames (text, binary, continuation), unmasked, so the protocol carried inside can be analyzed as Zeek's
// WebSocket analyzer does; control frames (close, ping, pong) are skipped. Only the header (at most 14 bytes)
// is buffered: payloads stream through, so a frame length of 2^63 costs nothing. The analyzer confirms
// `websocket` once a first whole frame was read (after its payload went on, as Zeek's order `http,ssl,websocket`
// shows) and recognises the protocol carried from its first payload bytes alone: the tunnel has no port.
import type { AnomalyCode } from '../../core/anomalies.js';
import type { AnalyzerContext, AppProtocol, Direction, StreamAnalyzer } from '../analyzer.js';

const MAX_HEADER = 14;

export class WebSocketUnframer {
  private readonly header = new Uint8Array(MAX_HEADER);
  private have = 0;
  /** Header bytes needed: 2 until the first two are read, then the whole header's size. */
  private need = 2;
  private remaining = 0;
  private inPayload = false;
  private data = false;
  /** The frame ends its message (FIN). */
  private final = false;
  private mask: Uint8Array | undefined;
  private maskAt = 0;
  /** The framing could not be followed (a length beyond 2^53): the rest of this direction is skipped. */
  private lost = false;

  constructor(
    private readonly deliver: (payload: Uint8Array, ts: number) => void,
    private readonly anomaly: (code: AnomalyCode) => void,
    /** Called at the end of each frame, data or control, with whether it was a data frame ending its message. */
    private readonly frameEnd: (messageEnd: boolean, ts: number) => void = () => {},
  ) {}

  push(bytes: Uint8Array, ts: number): void {
    let pos = 0;
    while (pos < bytes.length && !this.lost) {
      if (this.inPayload) {
        const take = Math.min(this.remaining, bytes.length - pos);
        if (this.data) this.deliver(this.unmask(bytes.subarray(pos, pos + take)), ts);
        this.remaining -= take;
        pos += take;
        if (this.remaining === 0) this.nextFrame(ts);
        continue;
      }
      const take = Math.min(this.need - this.have, bytes.length - pos);
      this.header.set(bytes.subarray(pos, pos + take), this.have);
      this.have += take;
      pos += take;
      if (this.have === this.need) this.headerBytes(ts);
    }
  }

  /** Bytes are missing: frame boundaries cannot be found again, so the rest of this direction is skipped. */
  gap(): void {
    if (!this.lost) this.anomaly('websocket.content_gap');
    this.lost = true;
  }

  /** Called whenever the header buffer holds `need` bytes: sizes the header, then reads it once complete. */
  private headerBytes(ts: number): void {
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
    this.final = (h[0]! & 0x80) !== 0;
    this.mask = masked ? h.slice(size - 4, size) : undefined;
    this.maskAt = 0;
    this.remaining = length;
    this.inPayload = true;
    if (length === 0) this.nextFrame(ts);
  }

  private nextFrame(ts: number): void {
    this.inPayload = false;
    this.have = 0;
    this.need = 2;
    this.frameEnd(this.data && this.final, ts);
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

/** Payload bytes held to recognise the tunneled protocol (or fewer, when the first message ends sooner). */
const DECIDE_BYTES = 64;

class WebSocketAnalyzer implements StreamAnalyzer {
  private readonly frames: Record<Direction, WebSocketUnframer>;
  private confirmed = false;
  private inner: StreamAnalyzer | undefined;
  private innerDecided = false;
  /** Each direction's first payload bytes (copies), until the carried protocol is decided. */
  private held: Record<Direction, Uint8Array[]> = { orig: [], resp: [] };
  private heldBytes = { orig: 0, resp: 0 };

  constructor(private readonly ctx: AnalyzerContext, private readonly protocols: () => readonly AppProtocol[]) {
    const unframer = (dir: Direction): WebSocketUnframer => new WebSocketUnframer(
      (payload, ts) => this.payload(dir, payload, ts),
      (code) => ctx.anomaly(code),
      (messageEnd, ts) => this.frameEnd(dir, messageEnd, ts),
    );
    this.frames = { orig: unframer('orig'), resp: unframer('resp') };
  }

  data(dir: Direction, bytes: Uint8Array, ts: number): void {
    this.frames[dir].push(bytes, ts);
  }

  gap(dir: Direction): void {
    this.frames[dir].gap();
  }

  end(ts: number): void {
    if (!this.innerDecided) this.decide(this.heldBytes.orig > 0 ? 'orig' : 'resp', ts);
    this.inner?.end(ts);
  }

  private payload(dir: Direction, payload: Uint8Array, ts: number): void {
    if (this.innerDecided) return this.inner?.data(dir, payload, ts);
    this.held[dir].push(payload.slice());
    this.heldBytes[dir] += payload.length;
    if (this.heldBytes[dir] >= DECIDE_BYTES) this.decide(dir, ts);
  }

  private frameEnd(dir: Direction, messageEnd: boolean, ts: number): void {
    if (messageEnd && !this.innerDecided && this.heldBytes[dir] > 0) this.decide(dir, ts);
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx.confirm('websocket');
  }

  /** Picks the carried protocol from `dir`'s first bytes, then hands it everything held. */
  private decide(dir: Direction, ts: number): void {
    this.innerDecided = true;
    const first = Buffer.concat(this.held[dir]);
    if (first.length > 0) {
      const tunnel = { ...this.ctx.conn, dst_port: 0 };
      const protocol = this.protocols().find((p) => p.transport === 'tcp' && p.matches(tunnel, first, dir));
      this.inner = protocol?.create(this.ctx) as StreamAnalyzer | undefined;
    }
    const other: Direction = dir === 'orig' ? 'resp' : 'orig';
    if (first.length > 0) this.inner?.data(dir, first, ts);
    if (this.heldBytes[other] > 0) this.inner?.data(other, Buffer.concat(this.held[other]), ts);
    this.held = { orig: [], resp: [] };
  }
}

/** Reached only through an HTTP Upgrade to `websocket` (http.ts), never from a connection's first bytes. */
export function websocketProtocol(protocols: () => readonly AppProtocol[]): AppProtocol {
  return {
    name: 'websocket',
    transport: 'tcp',
    matches: () => false,
    create: (ctx) => new WebSocketAnalyzer(ctx, protocols),
  };
}
