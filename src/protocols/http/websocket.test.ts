import { describe, expect, it } from 'vitest';
import type { AnomalyCode } from '../../core/anomalies.js';
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
