// HTTP/1.x analyzer (RFC 9112; HTTP/0.9 per RFC 1945 §4.1): request and status lines, header fields (§5),
// message body length (§6.3: Transfer-Encoding chunked §7.1, Content-Length, read-until-close), pipelining,
// and the transactions Zeek's http.log reports. Each direction is a small state machine fed by in-order
// bytes; every limit is a named key with an anomaly code: lines (`http.line_too_long`), headers per message
// (`http.too_many_headers`), open transactions per connection (`http.too_many_transactions`).
import type { AnomalyCode } from '../../core/anomalies.js';
import type { HttpEvent } from '../../core/events.js';
import type { AnalyzerContext, AppProtocol, ConnectionInfo, Direction, StreamAnalyzer } from '../analyzer.js';
import { LineAssembler, latin1, parseDecimal } from '../common/line-assembler.js';
import { connFields, emitFileTransfer, emitPayload } from '../common/payload.js';
import type { MimePart } from '../mime/walker.js';
import { DEFAULT_MIME_LIMITS } from '../mime/walker.js';
import type { BodyLimits, FinishedBody } from './body.js';
import { BodyCollector } from './body.js';
import { parseCodings } from './decompress.js';
import { parseHeaderLine } from '../mime/headers.js';
import { protocolText, textBytes } from '../common/text.js';

/** `max_header_bytes` (from the MIME limits) also caps the header bytes kept per HTTP message (`http.header_too_long`). */
export interface HttpLimits extends BodyLimits {
  /** Most header fields kept per message (Suricata `headers-limit`); the rest are skipped. */
  max_headers: number;
  /** Most requests awaiting their response per connection (Suricata `max-tx`); older ones are logged unanswered. */
  max_transactions: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  ...DEFAULT_MIME_LIMITS,
  max_line_length: 65_536,
  max_headers: 1_024,
  max_transactions: 512,
  max_decompressed_bytes: 1_048_576,
  max_decompression_ratio: 2_048,
  max_encoding_layers: 2,
};

interface Message {
  ts: number;
  /** An HTTP/0.9 simple request: no headers, no status line in the response. */
  simple?: boolean;
  method?: string;
  uri?: string;
  status?: number;
  headers: Map<string, string>;
  headerCount: number;
  headerBytes: number;
}

interface Transaction {
  ts: number;
  request?: Message;
  requestBody?: FinishedBody;
  requestDone: boolean;
  status?: number;
  responseBody?: FinishedBody;
  responseDone: boolean;
}

type State = 'start' | 'headers' | 'skip-headers' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'tunnel';

/** One direction of the connection: requests from the originator, responses from the responder. */
class Side {
  state: State = 'start';
  readonly lines: LineAssembler;
  message: Message | undefined;
  /** The last HTTP/0.9 request, while header-like lines may still follow it. */
  simpleRequest: Message | undefined;
  body: BodyCollector | undefined;
  remaining = 0;

  constructor(readonly dir: Direction, limits: HttpLimits, onLongLine: () => void) {
    this.lines = new LineAssembler(limits.max_line_length, 'truncate', onLongLine);
  }
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const METHOD_LIMIT = 32;

class HttpAnalyzer implements StreamAnalyzer {
  private readonly sides: Record<Direction, Side>;
  /** Transactions in request order; the head is the one the next response answers. */
  private readonly txs: Transaction[] = [];
  /** Transaction whose request is being read (its body may still stream). */
  private requestTx: Transaction | undefined;
  private confirmed = false;
  private lastTs = 0;
  private tunnel: { decided: boolean; analyzer: StreamAnalyzer | undefined; port: number | undefined } | undefined;

  constructor(
    private readonly ctx: AnalyzerContext,
    private readonly limits: HttpLimits,
    private readonly innerProtocols: () => readonly AppProtocol[],
  ) {
    const onLongLine = (): void => this.anomaly('http.line_too_long');
    this.sides = { orig: new Side('orig', limits, onLongLine), resp: new Side('resp', limits, onLongLine) };
  }

  data(dir: Direction, bytes: Uint8Array, ts: number): void {
    this.lastTs = ts;
    const side = this.sides[dir];
    let pos = 0;
    while (pos < bytes.length) {
      switch (side.state) {
        case 'tunnel':
          this.tunnelData(dir, bytes.subarray(pos), ts);
          return;
        case 'body':
        case 'chunk-data': {
          const take = Math.min(side.remaining, bytes.length - pos);
          side.body!.data(bytes, pos, pos + take);
          side.remaining -= take;
          pos += take;
          if (side.remaining === 0) {
            if (side.state === 'body') this.endMessage(side, ts);
            else side.state = 'chunk-end';
          }
          break;
        }
        case 'until-close':
          side.body!.data(bytes, pos, bytes.length);
          pos = bytes.length;
          break;
        default: {
          if (side.dir === 'resp' && side.state === 'start' && !side.lines.pending && this.awaitingSimpleResponse()) {
            this.startSimpleResponse(side, ts);
            break;
          }
          const { line, end } = side.lines.next(bytes, pos);
          pos = end;
          if (line === undefined) break;
          this.line(side, line.line, line.tooLong, ts);
        }
      }
    }
  }

  gap(dir: Direction, length: number, ts: number): void {
    const side = this.sides[dir];
    if (side.state === 'tunnel') return this.tunnel?.analyzer?.gap(dir, length, ts);
    if ((side.state === 'body' || side.state === 'chunk-data') && length <= side.remaining) {
      side.body!.gap(length);
      side.remaining -= length;
      if (side.remaining === 0) {
        if (side.state === 'body') this.endMessage(side, ts);
        else side.state = 'chunk-end';
      }
      return;
    }
    if (side.state === 'until-close') {
      side.body!.gap(length);
      return;
    }
    // The message framing is lost: finish what is open and look for the next start line.
    this.anomaly('http.content_gap');
    if (side.body !== undefined) {
      side.body.gap(length);
      this.endMessage(side, ts);
    }
    side.lines.reset();
    side.state = 'start';
    side.message = undefined;
  }

  end(ts: number): void {
    const simple = this.sides.orig.simpleRequest;
    const simpleAnswered = simple !== undefined && this.txs.some((t) => t.request === simple && t.status !== undefined);
    for (const side of [this.sides.orig, this.sides.resp]) {
      // A message whose header block never ended is still logged, as Zeek does: hiding a request behind
      // headers that never end must not hide it from the log.
      if (side.state === 'headers') {
        this.anomaly('http.unterminated_headers');
        this.headersDone(side);
      }
      if (side.body !== undefined) this.endMessage(side, ts);
    }
    while (this.txs.length > 0) this.emit(this.txs.shift()!);
    // Zeek keeps an HTTP/0.9 request's message open for header lines until an empty line. Ended by the
    // connection once its response was logged (the server closing first, as HTTP/0.9 servers do), that
    // message is logged as a second transaction with nothing in it.
    if (simpleAnswered) this.emit({ ts, requestDone: true, responseDone: true });
    this.requestTx = undefined;
    this.tunnel?.analyzer?.end(ts);
  }

  /**
   * Bytes after a CONNECT's 2xx or a 101 carry another protocol. As Zeek does, it is recognised on the
   * first bytes (and the CONNECT target's port) and analyzed on this same connection; an upgrade to
   * WebSocket goes to the WebSocket analyzer, which does the same with the payload of its frames.
   */
  private tunnelData(dir: Direction, bytes: Uint8Array, ts: number): void {
    const tunnel = this.tunnel;
    if (tunnel === undefined || bytes.length === 0) return;
    if (!tunnel.decided) {
      tunnel.decided = true;
      const target = { ...this.ctx.conn, dst_port: tunnel.port ?? this.ctx.conn.dst_port };
      const inner = this.innerProtocols().find((p) => p.transport === 'tcp' && p.matches(target, bytes, dir));
      if (inner !== undefined) tunnel.analyzer = inner.create(this.ctx) as StreamAnalyzer;
    }
    tunnel.analyzer?.data(dir, bytes, ts);
  }

  private line(side: Side, bytes: Uint8Array, tooLong: boolean, ts: number): void {
    switch (side.state) {
      case 'start':
        if (bytes.length === 0) {
          // RFC 9112 §2.2: ignore empty lines before a request line; one ends an HTTP/0.9 request's headers.
          side.simpleRequest = undefined;
          return;
        }
        if (tooLong) {
          side.state = 'skip-headers';
          return;
        }
        this.startLine(side, protocolText(bytes), ts);
        return;
      case 'headers':
        if (bytes.length === 0) return this.headersDone(side);
        if (!tooLong) this.headerLine(side, side.message!, bytes);
        return;
      case 'skip-headers':
        if (bytes.length === 0) side.state = 'start';
        return;
      case 'chunk-size':
        return this.chunkSize(side, latin1(bytes));
      case 'chunk-end':
        // The CRLF after chunk data; anything else is tolerated but counted.
        if (bytes.length !== 0) this.anomaly('http.bad_chunk_end');
        side.state = 'chunk-size';
        return;
      case 'trailers':
        if (bytes.length === 0) this.endMessage(side, ts);
        return;
      default:
        return;
    }
  }

  private startLine(side: Side, text: string, ts: number): void {
    const first = text.indexOf(' ');
    const message: Message = { ts, headers: new Map(), headerCount: 0, headerBytes: 0 };
    if (side.dir === 'orig') {
      const method = first === -1 ? '' : text.slice(0, first);
      if (method.length === 0 || method.length > METHOD_LIMIT || !TOKEN.test(method)) {
        // Header lines after an HTTP/0.9 request line belong to it, as Zeek reads them.
        if (side.simpleRequest !== undefined && text.includes(':')) this.headerLine(side, side.simpleRequest, textBytes(text));
        else this.anomaly('http.bad_request_line');
        return;
      }
      const rest = text.slice(first + 1);
      const last = rest.lastIndexOf(' ');
      if (rest.startsWith('HTTP/')) message.uri = '';
      else if (last !== -1 && rest.startsWith('HTTP/', last + 1)) message.uri = unescapeUri(rest.slice(0, last).trim());
      else {
        // No version: HTTP/0.9 (RFC 1945 §4.1), a request line alone whose response is raw bytes until close.
        // Like Zeek, take it for one only with a URI and a method of 3 letters or more (0.9 knew only GET).
        message.uri = unescapeUri(rest.trim());
        if (method.length < 3 || message.uri === '') {
          this.anomaly('http.bad_request_line');
          return;
        }
        message.simple = true;
      }
      side.simpleRequest = message.simple === true ? message : undefined;
      message.method = method;
    } else {
      const version = first === -1 ? text : text.slice(0, first);
      const code = parseDecimal(text.slice(first + 1, first + 4), 999);
      if (!version.startsWith('HTTP/') || code === undefined) {
        this.anomaly('http.bad_status_line');
        return;
      }
      message.status = code;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      this.ctx.confirm('http');
    }
    side.message = message;
    side.state = 'headers';
    if (message.simple === true) this.headersDone(side);
  }

  private awaitingSimpleResponse(): boolean {
    return this.txs.find((t) => t.status === undefined && !t.responseDone)?.request?.simple === true;
  }

  /** An HTTP/0.9 response is the body alone, read until the connection closes; Zeek logs its status as 0. */
  private startSimpleResponse(side: Side, ts: number): void {
    const tx = this.txs.find((t) => t.status === undefined && !t.responseDone)!;
    tx.status = 0;
    side.message = { ts, status: 0, headers: new Map(), headerCount: 0, headerBytes: 0 };
    this.startBody(side, side.message.headers, -1);
  }

  private headerLine(side: Side, message: Message, bytes: Uint8Array): void {
    if (message.headerCount === this.limits.max_headers) this.anomaly('http.too_many_headers');
    if (++message.headerCount > this.limits.max_headers) return;
    // The header bytes kept per message are capped too (1 024 headers of 64 KiB would be 64 MiB): a
    // header that does not fit is skipped and counted.
    if (message.headerBytes + bytes.length > this.limits.max_header_bytes) return this.anomaly('http.header_too_long');
    message.headerBytes += bytes.length;
    const header = parseHeaderLine(protocolText(bytes));
    if (header === undefined) return this.anomaly('http.bad_header');
    const previous = message.headers.get(header.name);
    if (previous === undefined) message.headers.set(header.name, header.value);
    else if (header.name === 'content-length' && previous !== header.value) this.anomaly('http.conflicting_content_length');
  }

  private headersDone(side: Side): void {
    const message = side.message!;
    const headers = message.headers;
    if (side.dir === 'orig') {
      const tx: Transaction = { ts: message.ts, request: message, requestDone: false, responseDone: false };
      this.txs.push(tx);
      this.requestTx = tx;
      if (this.txs.length > this.limits.max_transactions) {
        this.anomaly('http.too_many_transactions');
        this.emit(this.txs.shift()!);
      }
    } else {
      const status = message.status!;
      // Informational responses (100 Continue) precede the final one of the same transaction.
      if (status >= 100 && status < 200 && status !== 101) {
        side.state = 'start';
        side.message = undefined;
        return;
      }
      let tx = this.txs.find((t) => t.status === undefined && !t.responseDone);
      if (tx === undefined) {
        tx = { ts: message.ts, requestDone: true, responseDone: false };
        this.txs.push(tx);
      }
      tx.status = status;
      const method = tx.request?.method;
      if (status === 101 || (method === 'CONNECT' && status >= 200 && status < 300)) {
        // The connection now carries another protocol: HTTP parsing ends here (RFC 9110 §9.3.6, §15.2.2).
        tx.responseDone = true;
        this.sides.orig.state = 'tunnel';
        side.state = 'tunnel';
        const authority = tx.request?.uri?.split(' ', 1)[0] ?? '';
        const port = method === 'CONNECT' ? parseDecimal(authority.slice(authority.lastIndexOf(':') + 1), 65_535) : undefined;
        this.tunnel = { decided: false, analyzer: undefined, port };
        if (status === 101 && headers.get('upgrade')?.toLowerCase().includes('websocket') === true) {
          // WebSocket frames are read by their own analyzer, which finds what they carry.
          const websocket = this.innerProtocols().find((p) => p.name === 'websocket');
          this.tunnel = { decided: true, analyzer: websocket?.create(this.ctx) as StreamAnalyzer | undefined, port };
        }
        this.flushDone();
        return;
      }
      if (method === 'HEAD' || status === 204 || status === 304) {
        this.startBody(side, headers, 0);
        return;
      }
    }
    const chunked = headers.get('transfer-encoding')?.toLowerCase().includes('chunked') === true;
    const lengthHeader = headers.get('content-length');
    let length: number | undefined = 0;
    if (chunked) length = undefined;
    else if (lengthHeader !== undefined) {
      length = parseDecimal(lengthHeader.trim());
      if (length === undefined) {
        this.anomaly('http.bad_content_length');
        length = side.dir === 'orig' ? 0 : -1;
      }
    } else if (side.dir === 'resp') length = -1;
    this.startBody(side, headers, length, chunked);
  }

  /** `length`: bytes of body, -1 to read until the connection closes, undefined for chunked. */
  private startBody(side: Side, headers: Map<string, string>, length: number | undefined, chunked = false): void {
    const codings = parseCodings(headers.get('content-encoding') ?? '');
    // Multipart parts (form uploads) are reported as each ends, so their number costs no memory.
    const onPart = (part: MimePart): void =>
      emitFileTransfer(this.ctx, this.lastTs, side.dir, { protocol: 'http', total: part.sample.total, filename: part.filename, mime_type: part.mime_type });
    side.body = new BodyCollector(this.limits, codings, headers.get('content-type'), this.ctx, onPart);
    if (chunked) side.state = 'chunk-size';
    else if (length === -1) side.state = 'until-close';
    else if (length === 0) this.endMessage(side, side.message!.ts);
    else {
      side.state = 'body';
      side.remaining = length!;
    }
  }

  /** RFC 9112 §7.1: chunk-size in hex, optional extensions after `;`; checked for overflow before use. */
  private chunkSize(side: Side, text: string): void {
    const semicolon = text.indexOf(';');
    const hex = (semicolon === -1 ? text : text.slice(0, semicolon)).trim();
    let size = 0;
    let valid = hex.length > 0;
    for (let i = 0; i < hex.length && valid; i++) {
      const d = parseInt(hex[i]!, 16);
      if (Number.isNaN(d)) valid = false;
      else size = size * 16 + d;
      if (size > Number.MAX_SAFE_INTEGER) valid = false;
    }
    if (!valid) {
      // The framing cannot be trusted: end the message here and read what follows as the next message,
      // as Zeek does, so a request smuggled behind an overflowing chunk size is still seen.
      this.anomaly('http.bad_chunk_size');
      this.endMessage(side, side.message?.ts ?? 0);
      return;
    }
    if (size === 0) {
      side.state = 'trailers';
      return;
    }
    side.state = 'chunk-data';
    side.remaining = size;
  }

  private endMessage(side: Side, ts: number): void {
    const body = side.body?.finish();
    const message = side.message;
    side.body = undefined;
    side.message = undefined;
    if (side.state !== 'tunnel') side.state = 'start';
    if (side.dir === 'orig') {
      const tx = this.requestTx;
      if (tx === undefined) return;
      this.requestTx = undefined;
      tx.requestDone = true;
      if (body !== undefined) tx.requestBody = body;
      if (body !== undefined) this.bodyEvents(side.dir, body, message, ts);
    } else {
      const tx = this.txs.find((t) => t.status !== undefined && !t.responseDone);
      if (tx === undefined) return;
      tx.responseDone = true;
      if (body !== undefined) tx.responseBody = body;
      if (body !== undefined) this.bodyEvents(side.dir, body, message, ts);
    }
    this.flushDone();
  }

  /** Logs finished transactions in order (pipelined responses come back in request order). */
  private flushDone(): void {
    while (this.txs.length > 0 && this.txs[0]!.responseDone && this.txs[0]!.requestDone) this.emit(this.txs.shift()!);
  }

  private bodyEvents(dir: Direction, body: FinishedBody, message: Message | undefined, ts: number): void {
    if (body.wire.total === 0) return;
    const context = dir === 'orig' ? 'http.request_body' : 'http.response_body';
    emitPayload(this.ctx, ts, dir, { protocol: 'http', context }, body.wire);
    if (body.decoded !== undefined) {
      const decoded = body.decoded.subarray(0, this.limits.max_sample_bytes);
      emitPayload(this.ctx, ts, dir, { protocol: 'http', context: `${context}.decoded` }, { bytes: decoded, total: body.decoded.length });
    }
    if (body.parts > 0) return;
    const contentType = message?.headers.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase() || undefined;
    emitFileTransfer(this.ctx, ts, dir, { protocol: 'http', total: body.decoded?.length ?? body.wire.total, missing: body.missing, mime_type: contentType });
  }

  private emit(tx: Transaction): void {
    const request = tx.request;
    const event: HttpEvent = { kind: 'http', ...connFields(this.ctx, tx.ts) };
    if (request !== undefined) {
      event.method = request.method!;
      event.uri = request.uri!;
      const host = request.headers.get('host');
      if (host !== undefined) event.host_header = host;
      const referrer = request.headers.get('referer');
      if (referrer !== undefined) event.referrer = referrer;
      const agent = request.headers.get('user-agent');
      if (agent !== undefined) event.user_agent = agent;
    }
    event.request_body_len = bodyLength(tx.requestBody);
    event.response_body_len = bodyLength(tx.responseBody);
    if (tx.status !== undefined) event.status_code = tx.status;
    if (tx.requestBody !== undefined && tx.requestBody.wire.total > 0) event.request_body = tx.requestBody.wire;
    this.ctx.emit(event);
  }

  private anomaly(code: AnomalyCode): void {
    this.ctx.anomaly(code);
  }
}

/** Zeek reports the content size after decoding (http.log `*_body_len`), multipart as its MIME analyzer counts it. */
function bodyLength(body: FinishedBody | undefined): number {
  if (body === undefined) return 0;
  return body.decoded?.length ?? body.mimeLength ?? body.wire.total;
}

/**
 * Zeek's unescape_URI: `%XX` becomes the byte it encodes; a `%` not followed by two hex digits stays as
 * sent (Zeek counts those as weirds, so do we).
 */
export function unescapeUri(uri: string): string {
  if (!uri.includes('%')) return uri;
  const bytes = textBytes(uri);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      out[n++] = (hexDigit(bytes[i + 1]!) << 4) | hexDigit(bytes[i + 2]!);
      i += 2;
    } else out[n++] = c;
  }
  return protocolText(out, 0, n);
}

function hexDigit(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

const HTTP_PORTS = new Set([80, 81, 591, 631, 3128, 8000, 8080, 8081, 8888]);
const METHOD_START = /^(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND|MKCOL|COPY|MOVE|LOCK|UNLOCK|PROPPATCH) /;
const METHODS = ['GET ', 'POST ', 'PUT ', 'HEAD ', 'DELETE ', 'OPTIONS ', 'PATCH ', 'CONNECT '];

/** A first segment of a few bytes (clients that write byte by byte) that begins a common method. */
function isMethodPrefix(head: string): boolean {
  return head.length > 0 && head.length < 8 && METHODS.some((m) => m.startsWith(head));
}

/** Any method token on a first line that names an HTTP/1.x version (non-standard methods on odd ports). */
const REQUEST_LINE = /^[A-Z][A-Z_-]{0,19} [^\r\n]* HTTP\/1\.[01]\r?\n/;

/**
 * Builds the HTTP protocol with the given limits (the pcap reader passes its configured ones).
 * @param innerProtocols the protocols a CONNECT tunnel or an upgraded connection may carry.
 */
export function httpProtocol(limits: HttpLimits = DEFAULT_HTTP_LIMITS, innerProtocols: () => readonly AppProtocol[] = () => []): AppProtocol {
  return {
    name: 'http',
    transport: 'tcp',
    matches(conn: ConnectionInfo, firstBytes: Uint8Array, dir: Direction): boolean {
      const head = latin1(firstBytes, 0, Math.min(firstBytes.length, 8192));
      if (dir === 'orig' && (METHOD_START.test(head) || REQUEST_LINE.test(head) || isMethodPrefix(head))) return true;
      if (dir === 'resp' && head.startsWith('HTTP/1.')) return true;
      return HTTP_PORTS.has(conn.dst_port);
    },
    create: (ctx) => new HttpAnalyzer(ctx, limits, innerProtocols),
  };
}
