// Hostile-input sweep over every application analyzer: valid sessions with bytes flipped, inserted and cut,
// delivered in random pieces with random gaps, must never throw (RELIABILITY: bad data is data). The
// generator is seeded, so every run feeds the same inputs.
import { describe, expect, it } from 'vitest';
import type { DatagramAnalyzer, Direction, StreamAnalyzer } from './analyzer.js';
import { RecordingContext } from './common/test-context.js';
import { APP_PROTOCOLS } from './index.js';
import { prng } from '../../test/prng.js';

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = Math.floor(random() * out.length);
    const kind = random();
    if (kind < 0.5) out[at] = Math.floor(random() * 256);
    else if (kind < 0.7) out.splice(at, 0, ...[0x0a, 0x0d, 0x3a, 0x2e, 0x2d, 0x25, 0xff, 0xc0].slice(0, 1 + Math.floor(random() * 8)));
    else if (kind < 0.85) out.splice(at, Math.floor(random() * 16));
    else out.length = at;
  }
  return Uint8Array.from(out);
}

const WEBSOCKET_FRAMES = '\x82\x07GET / \x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58\x89\x00\x02\x7e\x00\x05HTTP/\x88\x02\x03\xe8';

const SESSIONS: [string, [Direction, string][]][] = Object.entries({
  websocket: [
    ['orig', `GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n${WEBSOCKET_FRAMES}`],
    ['resp', `HTTP/1.1 101 Switching\r\nUpgrade: websocket\r\n\r\n${WEBSOCKET_FRAMES}`],
  ],
  'http/0.9': [['orig', 'GET /zeek.html\n'], ['resp', '<html>\n']],
  http: [
    ['orig', 'POST /u?x=%41%zz HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['orig', '1a\r\n--b\r\nContent-Disposition: form-data; filename="a"\r\n\r\nxx\r\n--b--\r\n\r\n0\r\n\r\nGET / HTTP/1.0\r\n\r\n'],
    ['resp', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcdHTTP/1.1 101 Up\r\n\r\n'],
  ],
  ftp: [
    ['resp', '220-a\r\n220 b\r\n'], ['orig', 'USER u\r\nPASV\r\nEPRT |2|::1|5|\r\nSTOR ../x\r\n'],
    ['resp', '331 p\r\n227 (1,2,3,4,5,6)\r\n200 ok\r\n150 (12 bytes)\r\n226 ok\r\n'],
  ],
  smtp: [
    ['resp', '220 x\r\n'], ['orig', 'EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n'],
    ['orig', 'Subject: s\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD\r\n--q\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=3D=\r\n--q--\r\n.\r\nBDAT 5 LAST\r\nabcde'],
  ],
});

// A response with CNAME and TXT answers, and one with NAPTR and LOC answers.
const DNS_MESSAGES = [Uint8Array.from([
  0, 1, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0x61, 2, 0x62, 0x63, 0, 0, 1, 0, 1,
  0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 9, 0, 2, 0xc0, 14, 0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 9, 0, 3, 2, 0x68, 0x69,
]), Uint8Array.from([
  0, 2, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0x61, 0, 0, 35, 0, 1,
  0xc0, 12, 0, 35, 0, 1, 0, 0, 0, 9, 0, 14, 0, 100, 0, 10, 1, 0x73, 4, 0x53, 0x49, 0x50, 0x53, 0, 0xc0, 12,
  0xc0, 12, 0, 29, 0, 1, 0, 0, 0, 9, 0, 16, 0, 0x12, 0x15, 0x13, 0x88, 5, 2, 0x50, 0x65, 0xd2, 0xd4, 0, 0, 0x98, 0x96, 0x80,
])];

describe('analyzers under mutated input', () => {
  it('never throw on mutated HTTP, FTP and SMTP sessions cut into random pieces with gaps', () => {
    const random = prng(0xe7f1);
    for (const [label, session] of SESSIONS) {
      const name = label.startsWith('http') || label === 'websocket' ? 'http' : label;
      const protocol = APP_PROTOCOLS.find((p) => p.name === name && p.transport === 'tcp')!;
      for (let round = 0; round < 400; round++) {
        const ctx = new RecordingContext();
        const analyzer = protocol.create(ctx) as StreamAnalyzer;
        expect(() => {
          for (const [dir, text] of session) {
            const bytes = mutate(Buffer.from(text, 'latin1'), random);
            for (let pos = 0; pos < bytes.length;) {
              const n = 1 + Math.floor(random() * 40);
              analyzer.data(dir, bytes.subarray(pos, pos + n), round);
              if (random() < 0.05) analyzer.gap(dir, Math.floor(random() * 100), round);
              pos += n;
            }
          }
          analyzer.end(round + 1);
          for (const e of ctx.expected) (e.create(new RecordingContext()) as StreamAnalyzer).end(round + 2);
        }, `${label} round ${round}`).not.toThrow();
      }
    }
  });

  it('never throw on mutated DNS messages over UDP and TCP', () => {
    const random = prng(0xd115);
    const udp = APP_PROTOCOLS.find((p) => p.name === 'dns' && p.transport === 'udp')!;
    const tcp = APP_PROTOCOLS.find((p) => p.name === 'dns' && p.transport === 'tcp')!;
    for (let round = 0; round < 2000; round++) {
      const message = mutate(DNS_MESSAGES[round % 2]!, random);
      const ctx = new RecordingContext();
      const datagrams = udp.create(ctx) as DatagramAnalyzer;
      const stream = tcp.create(ctx) as StreamAnalyzer;
      expect(() => {
        datagrams.datagram(random() < 0.5 ? 'orig' : 'resp', message, round);
        datagrams.end(round);
        stream.data('orig', Uint8Array.from([message.length >> 8, message.length & 255, ...message]), round);
        stream.end(round);
      }, `dns round ${round}`).not.toThrow();
    }
  });
});
