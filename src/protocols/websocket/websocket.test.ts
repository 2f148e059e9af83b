import { describe, expect, it } from 'vitest';
import type { Direction, StreamAnalyzer } from '../analyzer.js';
import { RecordingContext } from '../common/test-context.js';
import { appProtocols } from '../index.js';
import { appProtocolOptions } from '../options.js';

const UPGRADE = 'GET /ws HTTP/1.1\r\nHost: tunnel.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
const SWITCHED = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n';
// The first bytes of a TLS ClientHello (Zeek's tls/ecdhe.pcap).
const CLIENT_HELLO = Buffer.from('160301009f0100009b0303ef18769dd170a048a025925479f1a573610851d30a1f3e7267836932797def95', 'hex');
const MASK = [0x37, 0xfa, 0x21, 0x3d];

/** A frame per RFC 6455 §5.2: FIN (unless not final) + opcode, then the length (7, 16 or 64 bits), masked with MASK when from the client. */
function frame(opcode: number, payload: Uint8Array, masked: boolean, final = true): Uint8Array {
  const n = payload.length;
  const length = n < 126 ? [n] : n < 65_536 ? [126, n >> 8, n & 0xff] : [127, 0, 0, 0, 0, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  if (masked) length[0]! |= 0x80;
  const body = masked ? payload.map((b, i) => b ^ MASK[i & 3]!) : payload;
  return Uint8Array.from([(final ? 0x80 : 0) | opcode, ...length, ...(masked ? MASK : []), ...body]);
}

function run(pieces: [Direction, Uint8Array | string][], enabled?: (name: string) => boolean, step = Infinity): string[] {
  const ctx = new RecordingContext();
  const http = appProtocols(appProtocolOptions.parse({}), enabled).find((p) => p.name === 'http')!.create(ctx) as StreamAnalyzer;
  for (const [dir, piece] of pieces) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece;
    const size = Number.isFinite(step) ? step : bytes.length;
    for (let at = 0; at < bytes.length; at += size) http.data(dir, bytes.subarray(at, at + size), 1);
  }
  http.end(2);
  return ctx.services;
}

describe('WebSocket after an HTTP Upgrade', () => {
  it('confirms websocket after the first frame, whose payload first names what the tunnel carries', () => {
    const pieces: [Direction, Uint8Array | string][] = [['orig', UPGRADE], ['resp', SWITCHED], ['orig', frame(2, CLIENT_HELLO, true)]];
    expect(run(pieces)).toEqual(['http', 'ssl', 'websocket']);
    expect(run(pieces, undefined, 5)).toEqual(['http', 'ssl', 'websocket']);
  });

  it('unmasks payload across frames and ignores control frames in between', () => {
    const ping = frame(9, Buffer.from('ping'), true);
    const first = frame(2, CLIENT_HELLO.subarray(0, 4), true, false);
    // A continuation frame carries the rest of the message, in the 16-bit length form.
    const rest = frame(0, Buffer.concat([CLIENT_HELLO.subarray(4), Buffer.alloc(200)]), true);
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['orig', Buffer.concat([first, ping, rest])]], undefined, 3)).toEqual(['http', 'websocket', 'ssl']);
  });

  it('stops reading a direction at a malformed header, without confirming', () => {
    const rsv2 = frame(2, CLIENT_HELLO, true);
    rsv2[0]! |= 0x20;
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['orig', rsv2]])).toEqual(['http']);
    const longPing = frame(9, new Uint8Array(200), false);
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['resp', longPing]])).toEqual(['http']);
    const huge = Uint8Array.from([0x82, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['resp', huge]])).toEqual(['http']);
  });

  it('leaves the tunnel unread when the websocket analyzer is not enabled', () => {
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['orig', frame(2, CLIENT_HELLO, true)]], (name) => name !== 'websocket')).toEqual(['http']);
  });
});
