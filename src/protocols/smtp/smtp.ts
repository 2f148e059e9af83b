// SMTP analyzer (RFC 5321 §3–4: envelope commands, DATA with dot-stuffing §4.5.2; RFC 3030 BDAT chunks)
// with Zeek smtp.log semantics: one event per mail transaction with HELO, MAIL FROM, RCPT TO and the
// message's From/To/Subject headers. The message is walked by the shared MIME walker; each part becomes a
// `payload` event (`smtp.attachment` or `smtp.body`) and a `file_transfer` with its decoded size.
import type { SmtpEvent } from '../../core/events.js';
import type { AnalyzerContext, AppProtocol, Direction, StreamAnalyzer } from '../analyzer.js';
import type { AssembledLine } from '../common/line-assembler.js';
import { LineAssembler, latin1, parseDecimal } from '../common/line-assembler.js';
import { connFields, emitFileTransfer, emitPayload } from '../common/payload.js';
import type { MimeLimits, MimePart } from '../mime/walker.js';
import { DEFAULT_MIME_LIMITS, MimeWalker } from '../mime/walker.js';
import { protocolText } from '../common/text.js';

export interface SmtpLimits extends MimeLimits {
  /** Longest command, reply or message line kept whole; longer message lines are read in pieces. */
  max_line_length: number;
  /** Recipients kept per transaction (Zeek `SMTP::max_rcpt_to`); more are counted, not kept. */
  max_recipients: number;
  /** Attachments listed on the smtp event; every part still makes its own events (`smtp.too_many_attachments`). */
  max_attachments: number;
}

export const DEFAULT_SMTP_LIMITS: SmtpLimits = { ...DEFAULT_MIME_LIMITS, max_line_length: 65_536, max_recipients: 100, max_attachments: 100 };

type Attachment = NonNullable<SmtpEvent['attachments']>[number];

interface Transaction {
  ts: number;
  mailfrom?: string;
  rcptto: string[];
  from?: string;
  to?: string[];
  subject?: string;
  attachments: Attachment[];
  hasMessage: boolean;
}

/** `opaque`: after STARTTLS, or once client framing is lost; nothing more is parsed. */
type ClientState = 'commands' | 'data' | 'bdat' | 'opaque';

class SmtpAnalyzer implements StreamAnalyzer {
  private readonly commandLines: LineAssembler;
  private readonly dataLines: LineAssembler;
  private readonly replyLines: LineAssembler;
  private state: ClientState = 'commands';
  private helo: string | undefined;
  private tx: Transaction | undefined;
  private walker: MimeWalker | undefined;
  private dataAtLineStart = true;
  private bdatRemaining = 0;
  private bdatLast = false;
  private startTlsSent = false;
  /** Transactions logged so far; a session with a greeting but no mail still makes one row, as in Zeek. */
  private logged = 0;
  private firstTs: number | undefined;
  private lastTs = 0;
  private confirmed = false;

  constructor(private readonly ctx: AnalyzerContext, private readonly limits: SmtpLimits) {
    this.commandLines = new LineAssembler(limits.max_line_length, 'truncate', () => ctx.anomaly('smtp.line_too_long'));
    this.dataLines = new LineAssembler(limits.max_line_length, 'split');
    this.replyLines = new LineAssembler(limits.max_line_length);
  }

  data(dir: Direction, bytes: Uint8Array, ts: number): void {
    this.lastTs = ts;
    if (this.state === 'opaque') return;
    if (dir === 'resp') return this.replies(bytes);
    let pos = 0;
    while (pos < bytes.length && !this.opaque()) {
      if (this.state === 'bdat') {
        const take = Math.min(this.bdatRemaining, bytes.length - pos);
        this.messageBytes(bytes.subarray(pos, pos + take));
        this.bdatRemaining -= take;
        pos += take;
        if (this.bdatRemaining === 0) this.bdatDone(ts);
        continue;
      }
      const lines = this.state === 'data' ? this.dataLines : this.commandLines;
      const { line, end } = lines.next(bytes, pos);
      pos = end;
      if (line === undefined) break;
      if (this.state === 'data') this.dataLine(line, ts);
      else if (!line.tooLong) this.command(protocolText(line.line), ts);
    }
  }

  private opaque(): boolean {
    return this.state === 'opaque';
  }

  gap(dir: Direction): void {
    this.ctx.anomaly('smtp.content_gap');
    if (dir === 'resp') return this.replyLines.reset();
    // The client side cannot be framed again reliably: finish the open message and read commands.
    if (this.state === 'data' || this.state === 'bdat') this.finishMessage();
    this.commandLines.reset();
    this.dataLines.reset();
    this.state = this.state === 'opaque' ? 'opaque' : 'commands';
  }

  end(): void {
    if (this.walker !== undefined) this.finishMessage();
    if (this.tx === undefined && this.logged === 0 && this.helo !== undefined) this.transaction(this.firstTs ?? 0);
    this.finishTransaction();
  }

  private replies(bytes: Uint8Array): void {
    let pos = 0;
    while (pos < bytes.length) {
      const { line, end } = this.replyLines.next(bytes, pos);
      pos = end;
      if (line === undefined) break;
      const code = parseDecimal(latin1(line.line, 0, Math.min(3, line.line.length)), 999);
      if (code === undefined) continue;
      if (!this.confirmed) {
        this.confirmed = true;
        this.ctx.confirm('smtp');
      }
      // RFC 3207: after 220 to STARTTLS the rest of the conversation is encrypted.
      if (this.startTlsSent && code === 220) this.state = 'opaque';
    }
  }

  private command(text: string, ts: number): void {
    this.firstTs ??= ts;
    const space = text.indexOf(' ');
    const verb = (space === -1 ? text : text.slice(0, space)).toUpperCase();
    const arg = space === -1 ? '' : text.slice(space + 1).trim();
    switch (verb) {
      case 'HELO':
      case 'EHLO':
        this.finishTransaction();
        this.helo = arg;
        return;
      case 'MAIL':
        if (this.tx?.hasMessage || this.tx?.mailfrom !== undefined) this.finishTransaction();
        this.transaction(ts).mailfrom = address(arg, 'FROM:');
        return;
      case 'RCPT': {
        const tx = this.transaction(ts);
        if (tx.rcptto.length >= this.limits.max_recipients) return this.ctx.anomaly('smtp.too_many_recipients');
        const rcpt = address(arg, 'TO:');
        if (rcpt !== undefined) tx.rcptto.push(rcpt);
        return;
      }
      case 'DATA':
        this.startMessage(ts);
        this.state = 'data';
        this.dataAtLineStart = true;
        return;
      case 'BDAT': {
        const [size, last] = arg.split(/\s+/, 2);
        const length = parseDecimal(size ?? '');
        if (length === undefined) {
          // Without a valid size the chunk cannot be skipped: the rest of the client side is not framed.
          this.ctx.anomaly('smtp.bad_bdat_size');
          this.state = 'opaque';
          return;
        }
        if (this.walker === undefined) this.startMessage(ts);
        this.bdatRemaining = length;
        this.bdatLast = last?.toUpperCase() === 'LAST';
        this.state = 'bdat';
        if (length === 0) this.bdatDone(ts);
        return;
      }
      case 'RSET':
        this.finishTransaction();
        return;
      case 'STARTTLS':
        this.startTlsSent = true;
        return;
      default:
    }
  }

  private transaction(ts: number): Transaction {
    this.tx ??= { ts, rcptto: [], attachments: [], hasMessage: false };
    return this.tx;
  }

  private startMessage(ts: number): void {
    const tx = this.transaction(ts);
    tx.hasMessage = true;
    this.walker = new MimeWalker(this.limits, {
      header: (name, value) => {
        if (name === 'subject') tx.subject ??= value;
        else if (name === 'from') tx.from ??= value;
        else if (name === 'to') tx.to ??= value.split(',').map((a) => a.trim()).filter((a) => a !== '');
      },
      part: (part) => this.part(tx, part),
      anomaly: (code) => this.ctx.anomaly(code),
      limitReached: (code) => this.ctx.limitReached(code),
    });
  }

  /** One line of DATA content: `.` alone ends the message, a leading dot is unstuffed (RFC 5321 §4.5.2). */
  private dataLine(piece: AssembledLine, ts: number): void {
    const lineStart = this.dataAtLineStart;
    this.dataAtLineStart = piece.complete;
    let line = piece;
    if (lineStart && piece.line[0] === 0x2e) {
      if (piece.complete && piece.line.length === 1) {
        this.finishMessage(ts);
        this.state = 'commands';
        return;
      }
      line = { ...piece, line: piece.line.subarray(1) };
    }
    this.walker?.line(line);
  }

  /** BDAT content is raw bytes; lines are cut here for the MIME walker. */
  private messageBytes(bytes: Uint8Array): void {
    let pos = 0;
    while (pos < bytes.length) {
      const { line, end } = this.dataLines.next(bytes, pos);
      pos = end;
      if (line !== undefined) this.walker?.line(line);
    }
  }

  private bdatDone(ts: number): void {
    this.state = 'commands';
    if (this.bdatLast) this.finishMessage(ts);
  }

  private finishMessage(ts?: number): void {
    const walker = this.walker;
    this.walker = undefined;
    // The message need not end with a line break (last BDAT chunk, a gap): a synthetic LF releases the open line.
    if (walker !== undefined && this.dataLines.pending) walker.line(this.dataLines.next(Uint8Array.of(0x0a), 0).line!);
    this.dataLines.reset();
    if (ts !== undefined) this.lastTs = ts;
    walker?.end();
  }

  /** A MIME part ended: its events go out now, so a message of many parts costs no memory. */
  private part(tx: Transaction, part: MimePart): void {
    const context = part.attachment ? 'smtp.attachment' : 'smtp.body';
    emitPayload(this.ctx, this.lastTs, 'orig', { protocol: 'smtp', context, ...(part.filename !== undefined ? { name: part.filename } : {}) }, part.sample);
    emitFileTransfer(this.ctx, this.lastTs, 'orig', { protocol: 'smtp', total: part.sample.total, filename: part.filename, mime_type: part.mime_type });
    if (!part.attachment) return;
    if (tx.attachments.length === this.limits.max_attachments) return this.ctx.anomaly('smtp.too_many_attachments');
    const attachment: Attachment = { size: part.sample.total };
    if (part.filename !== undefined) attachment.name = part.filename;
    if (part.mime_type !== undefined) attachment.mime_type = part.mime_type;
    tx.attachments.push(attachment);
  }

  private finishTransaction(): void {
    const tx = this.tx;
    this.tx = undefined;
    if (tx === undefined) return;
    this.logged++;
    const event: SmtpEvent = { kind: 'smtp', ...connFields(this.ctx, tx.ts), rcptto: tx.rcptto };
    if (this.helo !== undefined) event.helo = this.helo;
    if (tx.mailfrom !== undefined) event.mailfrom = tx.mailfrom;
    if (tx.from !== undefined) event.from = tx.from;
    if (tx.to !== undefined) event.to = tx.to;
    if (tx.subject !== undefined) event.subject = tx.subject;
    if (tx.attachments.length > 0) event.attachments = tx.attachments;
    this.ctx.emit(event);
  }
}

/** The address of `MAIL FROM:<a@b> SIZE=1` or `RCPT TO:<c@d>`, without angle brackets or parameters. */
export function address(arg: string, keyword: 'FROM:' | 'TO:'): string | undefined {
  if (arg.slice(0, keyword.length).toUpperCase() !== keyword) return undefined;
  let rest = arg.slice(keyword.length).trimStart();
  if (rest.startsWith('<')) {
    const close = rest.indexOf('>');
    rest = close === -1 ? rest.slice(1) : rest.slice(1, close);
  } else {
    const space = rest.indexOf(' ');
    if (space !== -1) rest = rest.slice(0, space);
  }
  return rest.trim();
}

export function smtpProtocol(limits: SmtpLimits = DEFAULT_SMTP_LIMITS): AppProtocol {
  return {
    name: 'smtp',
    transport: 'tcp',
    matches: (conn) => conn.dst_port === 25 || conn.dst_port === 587 || conn.dst_port === 2525,
    create: (ctx) => new SmtpAnalyzer(ctx, limits),
  };
}
