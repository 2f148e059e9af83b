import { describe, expect, it } from 'vitest';
import type { AnomalyCode } from '../../core/anomalies.js';
import type { Direction, StreamAnalyzer } from '../analyzer.js';
import { RecordingContext } from '../common/test-context.js';
import { appProtocols } from '../index.js';
import { appProtocolOptions } from '../options.js';
import { WebSocketUnframer } from './websocket.js';

function unframer(): { ws: WebSocketUnframer; out: () => string; anomalies: AnomalyCode[] } {
  const parts: Uint8Array[] = [];
  const anomalies: AnomalyCode[] = [];
  const ws = new WebSocketUnframer((payload) => parts.push(payload.slice()), (code) => anomalies.push(code));
  return { ws, out: () => Buffer.concat(parts).toString('latin1'), anomalies };
}

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
// A binary frame (unmasked, as wstunnel sent it) carrying an HTTP request, from Zeek's
// Traces/websocket/wstunnel-http.pcap, then that capture's close frame.
const request = hex('8248474554202f20485454502f312e310d0a486f73743a207a65656b2e6f72670d0a557365722d4167656e743a206375726c2f372e38312e300d0a4163636570743a202a2f2a0d0a0d0a');
const close = hex('880203e8');
const REQUEST_TEXT = 'GET / HTTP/1.1\r\nHost: zeek.org\r\nUser-Agent: curl/7.81.0\r\nAccept: */*\r\n\r\n';

describe('WebSocket framing (RFC 6455 §5.2)', () => {
  it('hands on the payload of data frames and skips control frames, whatever the chunking', () => {
    const stream = Uint8Array.from([...request, ...close, ...request]);
    for (const step of [1, 3, 7, stream.length]) {
      const { ws, out, anomalies } = unframer();
      for (let at = 0; at < stream.length; at += step) ws.push(stream.subarray(at, at + step), 0);
      expect(out()).toBe(REQUEST_TEXT + REQUEST_TEXT);
      expect(anomalies).toEqual([]);
    }
  });

  it('unmasks masked frames and follows 16-bit lengths (the RFC\'s §5.7 examples)', () => {
    const { ws, out } = unframer();
    ws.push(hex('818537fa213d7f9f4d5158'), 0); // masked "Hello"
    const long = new Uint8Array(4 + 256).fill(0x61);
    long.set([0x82, 0x7e, 0x01, 0x00]);
    ws.push(long, 0);
    expect(out()).toBe(`Hello${'a'.repeat(256)}`);
  });

  it('counts a 64-bit length beyond 2^53 or a gap, and skips the rest of the direction', () => {
    const huge = unframer();
    huge.ws.push(Uint8Array.from([0x82, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41]), 0);
    huge.ws.push(request, 0);
    expect([huge.out(), huge.anomalies]).toEqual(['', ['websocket.bad_frame_length']]);
    const cut = unframer();
    cut.ws.push(request.subarray(0, 10), 0);
    cut.ws.gap();
    cut.ws.push(request, 0);
    expect([cut.out(), cut.anomalies]).toEqual([REQUEST_TEXT.slice(0, 8), ['websocket.content_gap']]);
  });
});

const UPGRADE = 'GET /ws HTTP/1.1\r\nHost: tunnel.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
const SWITCHED = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n';
// The first bytes of a TLS ClientHello (Zeek's tls/ecdhe.pcap).
const CLIENT_HELLO_START = Buffer.from('160301009f0100009b0303ef18769dd170a048a025925479f1a573610851d30a1f3e7267836932797def95', 'hex');
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

describe('the WebSocket analyzer after an HTTP Upgrade', () => {
  it('confirms websocket after the first frame, whose payload first names what the tunnel carries', () => {
    const pieces: [Direction, Uint8Array | string][] = [['orig', UPGRADE], ['resp', SWITCHED], ['orig', frame(2, CLIENT_HELLO_START, true)]];
    expect(run(pieces)).toEqual(['http', 'ssl', 'websocket']);
    expect(run(pieces, undefined, 5)).toEqual(['http', 'ssl', 'websocket']);
  });

  it('unmasks payload across frames and ignores control frames in between', () => {
    const ping = frame(9, Buffer.from('ping'), true);
    const first = frame(2, CLIENT_HELLO_START.subarray(0, 4), true, false);
    // A continuation frame carries the rest of the message, in the 16-bit length form.
    const rest = frame(0, Buffer.concat([CLIENT_HELLO_START.subarray(4), Buffer.alloc(200)]), true);
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['orig', Buffer.concat([first, ping, rest])]], undefined, 3)).toEqual(['http', 'websocket', 'ssl']);
  });

  it('confirms nothing when the first frame cannot be followed (a length beyond 2^53)', () => {
    const huge = Uint8Array.from([0x82, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['resp', huge], ['orig', frame(2, CLIENT_HELLO_START, true)]])).toEqual(['http', 'ssl', 'websocket']);
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['resp', huge]])).toEqual(['http']);
  });

  it('leaves the tunnel unread when the websocket analyzer is not enabled', () => {
    expect(run([['orig', UPGRADE], ['resp', SWITCHED], ['orig', frame(2, CLIENT_HELLO_START, true)]], (name) => name !== 'websocket')).toEqual(['http']);
  });
});
