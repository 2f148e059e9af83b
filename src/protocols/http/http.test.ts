import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { StreamAnalyzer } from '../analyzer.js';
import { RecordingContext, bytes, feed, feedSplitAt } from '../common/test-context.js';
import { DEFAULT_HTTP_LIMITS, httpProtocol, unescapeUri } from './http.js';
import { RAW_BYTE_BASE } from '../common/text.js';
import type { HttpLimits } from './http.js';
import { appProtocols } from '../index.js';
import { appProtocolOptions } from '../options.js';

function analyzer(limits: Partial<HttpLimits> = {}): { ctx: RecordingContext; http: StreamAnalyzer } {
  const ctx = new RecordingContext();
  const http = httpProtocol({ ...DEFAULT_HTTP_LIMITS, ...limits }).create(ctx) as StreamAnalyzer;
  return { ctx, http };
}

const GET = 'GET /index.html?q=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: curl/8\r\nReferer: http://r.example/\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello';

describe('http analyzer', () => {
  it('logs a request/response pair with Zeek http.log fields', () => {
    const { ctx, http } = analyzer();
    feed(http, [['orig', GET], ['resp', OK]]);
    const [tx] = ctx.of('http');
    expect(ctx.of('http')).toHaveLength(1);
    expect(tx).toMatchObject({
      method: 'GET', uri: '/index.html?q=1', host_header: 'example.com:8080', user_agent: 'curl/8',
      referrer: 'http://r.example/', status_code: 200, request_body_len: 0, response_body_len: 5, uid: 'Ctest',
    });
    expect(ctx.services).toEqual(['http']);
    const [payload] = ctx.of('payload');
    expect(payload).toMatchObject({ context: 'http.response_body', direction: 'in', sample: { total: 5 } });
    expect(ctx.of('file_transfer')[0]).toMatchObject({ is_orig: false, mime_type: 'text/plain', seen_bytes: 5, src_ip: '192.0.2.9' });
  });

  it('gives the same result when every message is split at every byte boundary', () => {
    const request = bytes(GET);
    const response = bytes(OK);
    for (let cut = 0; cut <= request.length; cut++) {
      const { ctx, http } = analyzer();
      feedSplitAt(http, 'orig', request, cut);
      feedSplitAt(http, 'resp', response, Math.min(cut, response.length));
      http.end(3);
      expect(ctx.of('http')).toHaveLength(1);
      expect(ctx.of('http')[0]).toMatchObject({ uri: '/index.html?q=1', status_code: 200, response_body_len: 5 });
    }
  });

  describe('HTTP/0.9 (RFC 1945 §4.1), on the streams of Zeek\'s Traces/http/http_09.pcap', () => {
    const request = 'GET /zeek.html\n';
    const page = Buffer.from('3c68746d6c3e0a2020546865205a65656b204e6574776f726b205365637572697479204d6f6e69746f720a3c2f68746d6c3e0a', 'hex');
    const rows = (ctx: RecordingContext) => ctx.of('http').map((e) => [e.method, e.uri, e.status_code, e.request_body_len, e.response_body_len]);

    it('reads the response as raw bytes until close, then logs the still-open request message as Zeek does', () => {
      const { ctx, http } = analyzer();
      feed(http, [['orig', request], ['resp', page]]);
      expect(rows(ctx)).toEqual([['GET', '/zeek.html', 0, 0, 51], [undefined, undefined, undefined, 0, 0]]);
    });

    it('logs one transaction when an empty line ends the request, or when no response came', () => {
      const ended = analyzer();
      feed(ended.http, [['orig', `${request}\n`], ['resp', page]]);
      expect(rows(ended.ctx)).toEqual([['GET', '/zeek.html', 0, 0, 51]]);
      const unanswered = analyzer();
      feed(unanswered.http, [['orig', request]]);
      expect(rows(unanswered.ctx)).toEqual([['GET', '/zeek.html', undefined, 0, 0]]);
    });

    it('rejects and counts a version-less request line without a URI or with a method under 3 letters', () => {
      for (const [line, reply] of [['GET \n', 'missing uri\n'], ['T /zeek.html\n', 'bad method\n'], ['T \n', 'bad method\n']] as const) {
        const { ctx, http } = analyzer();
        feed(http, [['orig', line], ['resp', reply]]);
        expect(ctx.of('http')).toEqual([]);
        expect(ctx.anomalies.get('http.bad_request_line')).toBe(1);
      }
    });
  });

  it('logs a request whose header block never ends, and counts it (Zeek\'s Traces/http/http-inner-transfer-encoding-ossfuzz.pcap)', () => {
    const { ctx, http } = analyzer();
    const fuzzed = Buffer.from('45544120756e6b6e6f776e5f485454505f6d65746d2f737570706f7a742fd96363494f5354202f20485454502f312e310d0a436f6e6e65637401cb000000000000000000646f', 'hex');
    feed(http, [['orig', fuzzed], ['resp', 'HTTP/1.1 206 t\n']]);
    expect(ctx.of('http').map((e) => [e.method, e.uri, e.status_code])).toEqual([['ETA', `unknown_HTTP_metm/suppozt/${String.fromCodePoint(RAW_BYTE_BASE + 0xd9)}ccIOST /`, 206]]);
    expect(ctx.count('http.unterminated_headers')).toBe(2);
  });

  it('pairs pipelined requests with responses in order', () => {
    const { ctx, http } = analyzer();
    const requests = ['/a', '/b', '/c'].map((u) => `GET ${u} HTTP/1.1\r\nHost: h\r\n\r\n`).join('');
    const responses = [3, 1, 2].map((n) => `HTTP/1.1 200 OK\r\nContent-Length: ${n}\r\n\r\n${'x'.repeat(n)}`).join('');
    feed(http, [['orig', requests], ['resp', responses]], 7);
    expect(ctx.of('http').map((e) => [e.uri, e.response_body_len])).toEqual([['/a', 3], ['/b', 1], ['/c', 2]]);
  });

  it('decodes chunked bodies and keeps request body bytes as a sample and payload', () => {
    const { ctx, http } = analyzer();
    const post = 'POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\nX-Trailer: 1\r\n\r\n';
    feed(http, [['orig', post], ['resp', 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n']], 3);
    const [tx] = ctx.of('http');
    expect(tx).toMatchObject({ method: 'POST', request_body_len: 7, status_code: 201 });
    expect(Buffer.from(tx!.request_body!.bytes).toString()).toBe('abcdefg');
    expect(ctx.of('payload')[0]).toMatchObject({ context: 'http.request_body', direction: 'out', sample: { total: 7 } });
  });

  it('reads a response without length until the connection closes, and HEAD responses as empty', () => {
    const { ctx, http } = analyzer();
    feed(http, [['orig', 'HEAD / HTTP/1.1\r\n\r\nGET /x HTTP/1.0\r\n\r\n'], ['resp', 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.0 200 OK\r\n\r\nrest of body']]);
    expect(ctx.of('http').map((e) => [e.method, e.response_body_len])).toEqual([['HEAD', 0], ['GET', 12]]);
  });

  it('keeps the final status after 100 Continue', () => {
    const { ctx, http } = analyzer();
    feed(http, [['orig', 'PUT /f HTTP/1.1\r\nContent-Length: 2\r\n\r\nok'], ['resp', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n']]);
    expect(ctx.of('http')[0]).toMatchObject({ status_code: 204, request_body_len: 2 });
  });

  it('counts a gap inside a sized body and stays in sync for the next message', () => {
    const { ctx, http } = analyzer();
    http.data('orig', bytes('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n'), 1);
    http.data('resp', bytes('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab'), 1);
    http.gap('resp', 5, 2);
    http.data('resp', bytes('xyzHTTP/1.1 404 NF\r\nContent-Length: 0\r\n\r\n'), 3);
    http.end(4);
    expect(ctx.of('http').map((e) => [e.uri, e.status_code, e.response_body_len])).toEqual([['/1', 200, 10], ['/2', 404, 0]]);
    expect(ctx.of('file_transfer')[0]).toMatchObject({ missing_bytes: 5, seen_bytes: 5 });
  });

  it('decodes gzip content under caps and measures the wire bytes', () => {
    const { ctx, http } = analyzer();
    const plain = 'secret '.repeat(100);
    const gz = gzipSync(plain);
    const head = `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`;
    feed(http, [['orig', 'GET / HTTP/1.1\r\n\r\n'], ['resp', Buffer.concat([bytes(head), gz])]], 50);
    expect(ctx.of('http')[0]!.response_body_len).toBe(plain.length);
    const payloads = ctx.of('payload');
    expect(payloads.map((p) => [p.context, p.sample.total])).toEqual([['http.response_body', gz.length], ['http.response_body.decoded', plain.length]]);
  });

  it('caps a gzip bomb (decompress.capped) and falls back to the wire size', () => {
    const { ctx, http } = analyzer();
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    const head = `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`;
    feed(http, [['orig', 'GET / HTTP/1.1\r\n\r\n'], ['resp', Buffer.concat([bytes(head), bomb])]]);
    expect(ctx.count('decompress.capped')).toBe(1);
    expect(ctx.of('http')[0]!.response_body_len).toBe(bomb.length);
  });

  it('refuses more content-encoding layers than the cap', () => {
    const { ctx, http } = analyzer({ max_encoding_layers: 1 });
    const twice = gzipSync(gzipSync('x'));
    const head = `HTTP/1.1 200 OK\r\nContent-Encoding: gzip, gzip\r\nContent-Length: ${twice.length}\r\n\r\n`;
    feed(http, [['orig', 'GET / HTTP/1.1\r\n\r\n'], ['resp', Buffer.concat([bytes(head), twice])]]);
    expect(ctx.count('decompress.capped')).toBe(1);
  });

  it('reports multipart upload parts with their (hostile) file names as file transfers', () => {
    const { ctx, http } = analyzer();
    const body = [
      '--XyZ', 'Content-Disposition: form-data; name="f"; filename="..\\..\\evil.exe"', 'Content-Type: application/octet-stream', '', 'AAAA',
      '--XyZ', 'Content-Disposition: form-data; name="g"; filename*=UTF-8\'\'..%2F..%2Fx', '', 'BB', '--XyZ--', '',
    ].join('\r\n');
    const post = `POST /u HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    feed(http, [['orig', post]], 5);
    const files = ctx.of('file_transfer').map((f) => [f.filename, f.total_bytes, f.is_orig]);
    expect(files).toEqual([['..\\..\\evil.exe', 4, true], ['../../x', 2, true]]);
    expect(ctx.of('http')[0]!.request_body_len).toBe(body.length);
  });

  it('walks a message/rfc822 body and its nested messages, up to max_depth (Zeek deeply-nested-mime: a limit, X)', () => {
    const nested = (depth: number): string => (depth === 0
      ? 'Content-Type: application/octet-stream; name=core.bin\r\n\r\nCORE'
      : `Content-Type: message/rfc822\r\n\r\n${nested(depth - 1)}`);
    const post = (body: string) => `POST /m HTTP/1.1\r\nContent-Type: message/rfc822\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const shallow = analyzer({ max_depth: 5 });
    feed(shallow.http, [['orig', post(nested(3))]]);
    expect(shallow.ctx.of('file_transfer').map((f) => [f.filename, f.total_bytes])).toEqual([['core.bin', 4]]);
    expect(shallow.ctx.limits).toEqual([]);
    const deep = analyzer({ max_depth: 5 });
    feed(deep.http, [['orig', post(nested(8))]]);
    expect(deep.ctx.limits).toEqual(['mime.depth_exceeded']);
  });

  describe('hostile input (RELIABILITY D24, D25)', () => {
    it('skips a 1 MB request line without newline under the line cap', () => {
      const { ctx, http } = analyzer();
      feed(http, [['orig', `GET /${'A'.repeat(1 << 20)}`]], 65_536, false);
      expect(ctx.count('http.line_too_long')).toBe(1); // counted before the line ever ends
      http.data('orig', bytes(' HTTP/1.1\r\nHost: a\r\n\r\nGET /ok HTTP/1.1\r\n\r\n'), 9);
      http.end(10);
      expect(ctx.count('http.line_too_long')).toBe(1);
      expect(ctx.of('http').map((e) => e.uri)).toEqual(['/ok']);
    });

    it('keeps only max_headers of 20 000 headers', () => {
      const { ctx, http } = analyzer();
      const headers = Array.from({ length: 20_000 }, (_, i) => `X-H${i}: v\r\n`).join('');
      feed(http, [['orig', `GET / HTTP/1.1\r\n${headers}Host: late\r\n\r\n`]]);
      expect(ctx.count('http.too_many_headers')).toBe(1);
      expect(ctx.of('http')[0]!.host_header).toBeUndefined();
    });

    it('caps the header bytes kept per message', () => {
      const { ctx, http } = analyzer({ max_header_bytes: 100 });
      feed(http, [['orig', `GET / HTTP/1.1\r\nX-Big: ${'b'.repeat(200)}\r\nHost: late\r\nX-More: 1\r\n\r\n`]]);
      expect(ctx.count('http.header_too_long')).toBe(1);
      expect(ctx.of('http')[0]!.host_header).toBe('late');
    });

    it('rejects chunk size FFFFFFFFFFFFFFFFF with an overflow check and sees the request smuggled behind it', () => {
      const { ctx, http } = analyzer();
      const post = 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\nGET /smuggled HTTP/1.1\r\n\r\n';
      feed(http, [['orig', post]]);
      expect(ctx.count('http.bad_chunk_size')).toBe(1);
      expect(ctx.of('http').map((e) => e.uri)).toEqual(['/', '/smuggled']);
    });

    it('bounds 10 000 pipelined requests by the transaction cap and still logs each', () => {
      const { ctx, http } = analyzer();
      feed(http, [['orig', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'.repeat(10_000)]]);
      expect(ctx.of('http')).toHaveLength(10_000);
      expect(ctx.count('http.too_many_transactions')).toBe(10_000 - 512);
    });
  });

  it('hands a CONNECT tunnel to the protocol it carries, on the same connection', () => {
    const ctx = new RecordingContext();
    const http = appProtocols(appProtocolOptions.parse({}))[0]!.create(ctx) as StreamAnalyzer;
    feed(http, [
      ['orig', 'CONNECT mail.example:25 HTTP/1.0\r\n\r\n'], ['resp', 'HTTP/1.0 200 Connection established\r\n\r\n220 mail ESMTP\r\n'],
      ['orig', 'HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: tunnelled\r\n\r\nhi\r\n.\r\n'],
    ]);
    expect(ctx.of('http')[0]).toMatchObject({ method: 'CONNECT', uri: 'mail.example:25', status_code: 200 });
    expect(ctx.of('smtp')[0]).toMatchObject({ mailfrom: 'a@b', subject: 'tunnelled', uid: 'Ctest' });
    expect(ctx.services).toEqual(['http', 'smtp']);
  });

  it('analyzes HTTP carried in the frames of a WebSocket upgrade (the exchange of Zeek\'s Traces/websocket/wstunnel-http.pcap)', () => {
    const ctx = new RecordingContext();
    const http = appProtocols(appProtocolOptions.parse({}))[0]!.create(ctx) as StreamAnalyzer;
    const frame = (payload: string) => Uint8Array.from([0x82, payload.length, ...Buffer.from(payload, 'latin1')]);
    feed(http, [
      ['orig', 'GET /v1/events HTTP/1.1\r\nhost: localhost:8888\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n'],
      ['resp', 'HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n'],
      ['orig', frame('GET / HTTP/1.1\r\nHost: zeek.org\r\nUser-Agent: curl/7.81.0\r\nAccept: */*\r\n\r\n')],
      ['resp', frame('HTTP/1.1 301 Moved Permanently\r\nContent-Length: 3\r\n\r\nbye')],
      ['resp', Uint8Array.from([0x88, 0x02, 0x03, 0xe8])],
    ]);
    expect(ctx.of('http').map((e) => [e.host_header, e.uri, e.status_code, e.response_body_len])).toEqual([
      ['localhost:8888', '/v1/events', 101, 0], ['zeek.org', '/', 301, 3],
    ]);
  });

  it('percent-decodes URIs as Zeek does, keeping invalid escapes and non-UTF-8 bytes', () => {
    expect(unescapeUri('/a%41%zz%4')).toBe('/aA%zz%4');
    expect(unescapeUri('/%C3%BC')).toBe('/ü');
    expect(unescapeUri('/%FC')).toBe(`/${String.fromCodePoint(RAW_BYTE_BASE + 0xfc)}`);
  });

  it('recognises HTTP by content on any port', () => {
    const proto = httpProtocol();
    const conn = { uid: 'C', proto: 'tcp' as const, src_ip: '1.1.1.1', src_port: 1, dst_ip: '2.2.2.2', dst_port: 4444 };
    expect(proto.matches(conn, bytes('POST /x HTTP/1.1\r\n'), 'orig')).toBe(true);
    expect(proto.matches(conn, bytes('\x16\x03\x01'), 'orig')).toBe(false);
  });
});
