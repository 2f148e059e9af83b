// Throughput of the application analyzers alone (no capture decoding): synthetic streams cut into 1460-byte
// TCP segments (or one datagram per DNS message) are fed through each analyzer as the flow table would,
// so the parsers' share of the capture path's cost is known. Measured in-process with a warm-up pass.
import { gzipSync } from 'node:zlib';
import type { Event } from '../src/core/events.js';
import type { AnalyzerContext, DatagramAnalyzer, StreamAnalyzer } from '../src/protocols/analyzer.js';
import { APP_PROTOCOLS } from '../src/protocols/index.js';
import { machineLine, markdownTable } from './measure.js';

const SEGMENT = 1460;

function context(dst_port: number, proto: 'tcp' | 'udp'): { ctx: AnalyzerContext; events: () => number } {
  let events = 0;
  const ctx: AnalyzerContext = {
    conn: { uid: 'Cbench', proto, src_ip: '10.0.0.1', src_port: 40000, dst_ip: '10.0.0.2', dst_port },
    emit: (_e: Event) => void events++,
    anomaly: () => {},
    source: () => ({ reader: 'bench', path: 'memory' }),
    confirm: () => {},
    limitReached: () => {},
    violation: () => false,
    flip: () => {},
    expect: () => {},
  };
  return { ctx, events: () => events };
}

function protocol(name: string, transport: 'tcp' | 'udp') {
  return APP_PROTOCOLS.find((p) => p.name === name && p.transport === transport)!;
}

interface Case {
  label: string;
  bytes: number;
  units: number;
  unitName: string;
  run: () => number;
}

function streamCase(label: string, name: string, port: number, orig: Buffer, resp: Buffer, units: number, unitName: string): Case {
  return {
    label, bytes: orig.length + resp.length, units, unitName,
    run() {
      const { ctx, events } = context(port, 'tcp');
      const analyzer = protocol(name, 'tcp').create(ctx) as StreamAnalyzer;
      // Interleave the directions segment by segment, as a capture would deliver them.
      for (let o = 0, r = 0; o < orig.length || r < resp.length; o += SEGMENT, r += SEGMENT) {
        if (o < orig.length) analyzer.data('orig', orig.subarray(o, o + SEGMENT), 1);
        if (r < resp.length) analyzer.data('resp', resp.subarray(r, r + SEGMENT), 1);
      }
      analyzer.end(2);
      return events();
    },
  };
}

function httpCase(): Case {
  const body = Buffer.alloc(16 * 1024, 'x');
  const n = 6_000;
  const request = Buffer.concat([Buffer.from(`POST /upload HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  const page = gzipSync(Buffer.alloc(64 * 1024, 'page '));
  const response = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${page.length}\r\n\r\n`), page]);
  return streamCase('HTTP/1.1 pipelined POST 16 KiB + gzip response', 'http', 80, Buffer.concat(Array(n).fill(request)), Buffer.concat(Array(n).fill(response)), n, 'transactions');
}

function smtpCase(): Case {
  const attachment = Buffer.alloc(48 * 1024 * 1024, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
  const message = `MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: application/octet-stream; name=x.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--B--\r\n.\r\nQUIT\r\n`;
  return streamCase('SMTP 48 MiB base64 attachment', 'smtp', 25, Buffer.from(message), Buffer.from('250 ok\r\n'), 1, 'messages');
}

function dnsCase(): Case {
  const n = 500_000;
  const query = (id: number): Buffer => Buffer.concat([
    Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
    Buffer.from('\x20abcdefghijklmnopqrstuvwxyz012345\x07example\x03com\x00\x00\x01\x00\x01', 'latin1'),
  ]);
  const messages = Array.from({ length: 1024 }, (_, i) => query(i));
  const answer = (q: Buffer): Buffer => {
    const r = Buffer.concat([q, Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1])]);
    r[2] = 0x81; r[3] = 0x80; r[7] = 1;
    return r;
  };
  const answers = messages.map(answer);
  return {
    label: 'DNS over UDP, query + A answer', bytes: n * (messages[0]!.length + answers[0]!.length), units: n, unitName: 'queries',
    run() {
      const { ctx, events } = context(53, 'udp');
      const analyzer = protocol('dns', 'udp').create(ctx) as DatagramAnalyzer;
      for (let i = 0; i < n; i++) {
        analyzer.datagram('orig', messages[i & 1023]!, i);
        analyzer.datagram('resp', answers[i & 1023]!, i);
      }
      analyzer.end(n);
      return events();
    },
  };
}

export default async function bench(): Promise<string> {
  const rows: (string | number)[][] = [];
  for (const c of [httpCase(), smtpCase(), dnsCase()]) {
    c.run();
    const started = performance.now();
    const events = c.run();
    const seconds = (performance.now() - started) / 1000;
    rows.push([c.label, (c.bytes / 2 ** 20).toFixed(0), (c.bytes / 2 ** 20 / seconds).toFixed(0), `${Math.round(c.units / seconds).toLocaleString('en')} ${c.unitName}/s`, events]);
  }
  return [
    '## Application analyzers (parsers alone)',
    machineLine(),
    '',
    markdownTable(['stream', 'MiB', 'MiB/s', 'rate', 'events'], rows),
  ].join('\n');
}
