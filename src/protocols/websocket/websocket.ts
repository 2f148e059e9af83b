// WebSocket (RFC 6455) after an HTTP Upgrade: reads each direction's frames, confirms `websocket` once a
// first whole frame has been read (after its payload went on, as Zeek's order `http,ssl,websocket` shows),
// and hands the unmasked payload of data frames to the protocol they carry (wstunnel's SSH or TLS, …),
// chosen from its first bytes alone: the tunnel has no port of its own. A malformed frame header or a gap
// ends the direction's framing, as the frame boundaries are lost.
import type { AnalyzerContext, AppProtocol, Direction, StreamAnalyzer } from '../analyzer.js';

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const CONTROL_OPCODES = new Set([0x8, 0x9, 0xa]);
/** Payload lengths past 2^53 cannot be counted exactly; no real frame comes near. */
const MAX_PAYLOAD = Number.MAX_SAFE_INTEGER;
const MAX_HEADER = 14;
/** Payload bytes held to recognise the tunneled protocol (or fewer, when the first message ends sooner). */
const DECIDE_BYTES = 64;

function newHeld(): { buffer: Uint8Array; length: number } {
  return { buffer: new Uint8Array(DECIDE_BYTES), length: 0 };
}

class Framing {
  readonly header = new Uint8Array(MAX_HEADER);
  readonly view = new DataView(this.header.buffer);
  headerLength = 0;
  /** Payload bytes of the current frame still to come (0: reading a header). */
  remaining = 0;
  inFrame = false;
  opcode = 0;
  /** The frame ends its message (FIN). */
  final = false;
  mask: Uint8Array | undefined;
  maskAt = 0;
  broken = false;
}

/** Bytes of the header announced by its first two bytes: length extension and masking key included. */
function headerSize(b1: number): number {
  const length7 = b1 & 0x7f;
  return 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + ((b1 & 0x80) !== 0 ? 4 : 0);
}

class WebSocketAnalyzer implements StreamAnalyzer {
  private readonly sides = { orig: new Framing(), resp: new Framing() };
  private confirmed = false;
  private inner: StreamAnalyzer | undefined;
  private innerDecided = false;
  private readonly held = { orig: newHeld(), resp: newHeld() };

  constructor(private readonly ctx: AnalyzerContext, private readonly protocols: () => readonly AppProtocol[]) {}

  data(dir: Direction, bytes: Uint8Array, ts: number): void {
    const side = this.sides[dir];
    let pos = 0;
    while (pos < bytes.length && !side.broken) {
      if (!side.inFrame) {
        pos = this.readHeader(side, bytes, pos);
        continue;
      }
      const take = Math.min(side.remaining, bytes.length - pos);
      this.payload(side, dir, bytes.subarray(pos, pos + take), ts);
      pos += take;
      side.remaining -= take;
      if (side.remaining === 0) this.frameDone(side);
    }
  }

  gap(dir: Direction): void {
    this.sides[dir].broken = true;
  }

  end(ts: number): void {
    this.inner?.end(ts);
  }

  private readHeader(side: Framing, bytes: Uint8Array, at: number): number {
    let pos = at;
    const need = () => (side.headerLength < 2 ? 2 : headerSize(side.header[1]!));
    while (side.headerLength < need() && pos < bytes.length) side.header[side.headerLength++] = bytes[pos++]!;
    if (side.headerLength < need()) return pos;
    const h = side.header;
    const opcode = h[0]! & 0x0f;
    const known = opcode === OPCODE_CONTINUATION || opcode === OPCODE_TEXT || opcode === OPCODE_BINARY || CONTROL_OPCODES.has(opcode);
    const length7 = h[1]! & 0x7f;
    const length = length7 === 126 ? side.view.getUint16(2) : length7 === 127 ? side.view.getUint32(2) * 2 ** 32 + side.view.getUint32(6) : length7;
    // RSV2/RSV3 belong to no extension in use; control frames are short and never fragmented (§5.5).
    if (!known || (h[0]! & 0x30) !== 0 || length > MAX_PAYLOAD || (CONTROL_OPCODES.has(opcode) && (length > 125 || (h[0]! & 0x80) === 0))) {
      side.broken = true;
      return pos;
    }
    const masked = (h[1]! & 0x80) !== 0;
    side.mask = masked ? h.slice(side.headerLength - 4, side.headerLength) : undefined;
    side.maskAt = 0;
    side.opcode = opcode;
    side.final = (h[0]! & 0x80) !== 0;
    side.remaining = length;
    side.headerLength = 0;
    side.inFrame = true;
    if (length === 0) this.frameDone(side);
    return pos;
  }

  private payload(side: Framing, dir: Direction, bytes: Uint8Array, ts: number): void {
    if (CONTROL_OPCODES.has(side.opcode) || bytes.length === 0) return;
    let data = bytes;
    if (side.mask !== undefined) {
      data = new Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) data[i] = bytes[i]! ^ side.mask[(side.maskAt + i) & 3]!;
      side.maskAt = (side.maskAt + bytes.length) & 3;
    }
    if (this.innerDecided) {
      this.inner?.data(dir, data, ts);
      return;
    }
    // What the tunnel carries is decided on its first payload bytes, held until there are enough.
    const held = this.held[dir];
    const take = Math.min(data.length, DECIDE_BYTES - held.length);
    held.buffer.set(data.subarray(0, take), held.length);
    held.length += take;
    if (held.length < DECIDE_BYTES && !(side.final && side.remaining === data.length)) return;
    this.innerDecided = true;
    const first = held.buffer.subarray(0, held.length);
    const tunnel = { ...this.ctx.conn, dst_port: 0 };
    const protocol = this.protocols().find((p) => p.transport === 'tcp' && p.matches(tunnel, first, dir));
    this.inner = protocol?.create(this.ctx) as StreamAnalyzer | undefined;
    this.inner?.data(dir, first, ts);
    if (take < data.length) this.inner?.data(dir, data.subarray(take), ts);
  }

  private frameDone(side: Framing): void {
    side.inFrame = false;
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx.confirm('websocket');
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
