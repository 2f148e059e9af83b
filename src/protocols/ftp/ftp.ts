// FTP control-channel analyzer (RFC 959 §4–5, RFC 2428 EPRT/EPSV) with Zeek ftp.log semantics: one event
// per command, completed by its final reply; multi-line replies (§4.2); the user; file commands' arguments
// as Zeek's ftp:// URLs; file sizes from `213` (SIZE) and `150 … (N bytes)` replies. PORT/PASV/EPRT/EPSV
// announce the data connection through `ctx.expect`, whose bytes become `payload` and `file_transfer`
// events named after the STOR/RETR/APPE file (attacker-chosen: kept as metadata only). As Zeek's analyzer:
// the service is confirmed by a valid command; a command word longer than `max_command_length` is skipped
// (a limit reached); a reply line without a valid code is a protocol violation, which removes the analyzer;
// after `AUTH TLS` answered by 234 the stream is TLS, identified as `ssl`.
import type { FtpEvent } from '../../core/events.js';
import type { AnalyzerContext, AppProtocol, Direction, StreamAnalyzer } from '../analyzer.js';
import { LineAssembler, parseDecimal } from '../common/line-assembler.js';
import { ByteSampler, connFields, emitFileTransfer, emitPayload } from '../common/payload.js';
import { ftpUrl } from './paths.js';
import { protocolText } from '../common/text.js';
import { tlsIdentifier } from '../identify/tls.js';

export interface FtpLimits {
  /** Longest command or reply line kept (`ftp.line_too_long`). */
  max_line_length: number;
  /** Longest command word (Zeek `FTP::max_command_length`); longer commands are skipped (`ftp.command_too_long`). */
  max_command_length: number;
  /** Commands awaiting a reply (Zeek `FTP::max_pending_commands`); older ones are logged unanswered. */
  max_pending_commands: number;
  /** Bytes of each data transfer kept as the sample for content analysis. */
  max_sample_bytes: number;
  /** Seconds a announced data connection is awaited. */
  data_channel_timeout: number;
}

export const DEFAULT_FTP_LIMITS: FtpLimits = { max_line_length: 65_536, max_command_length: 100, max_pending_commands: 20, max_sample_bytes: 65_536, data_channel_timeout: 300 };

const FILE_COMMANDS = new Set(['RETR', 'STOR', 'APPE', 'STOU']);
const PRINTABLE_WORD = /^[\x21-\x7e]+$/;
/** Zeek's FTP::guest_ids: their passwords are logged; everyone else's are `<hidden>`. */
const GUEST_USERS = new Set(['anonymous', 'ftp', 'ftpuser', 'guest']);

interface Command {
  ts: number;
  command: string;
  arg: string;
  /** The raw argument of a file command (its file name). */
  file?: string;
  fileSize?: number;
}

/** The transfer a data connection belongs to, as the control session last announced it. */
interface Transfer {
  command: string;
  name?: string;
}

class FtpAnalyzer implements StreamAnalyzer {
  private readonly lines: Record<Direction, LineAssembler>;
  private readonly pending: Command[] = [];
  private user: string | undefined;
  private cwd = '.';
  private sizeFromReply: number | undefined;
  /** Set while a multi-line reply (`123-…`) is open: its code. */
  private multiline: number | undefined;
  private confirmed = false;
  /** The server greeting is logged as Zeek's pseudo command `<init>`. */
  private greeted = false;
  /** Removed on a protocol violation: the rest of the stream is not read. */
  private removed = false;
  /** The TLS stream after `AUTH TLS` was accepted: its bytes only identify `ssl`. */
  private tls: StreamAnalyzer | undefined;
  transfer: Transfer | undefined;

  /** The FTP client's address: the originator of the control connection. */
  get clientIp(): string {
    return this.ctx.conn.src_ip;
  }

  constructor(private readonly ctx: AnalyzerContext, private readonly limits: FtpLimits) {
    const onLongLine = (): void => ctx.anomaly('ftp.line_too_long');
    this.lines = {
      orig: new LineAssembler(limits.max_line_length, 'truncate', onLongLine),
      resp: new LineAssembler(limits.max_line_length, 'truncate', onLongLine),
    };
  }

  data(dir: Direction, bytes: Uint8Array, ts: number): void {
    let pos = 0;
    while (pos < bytes.length && !this.removed) {
      if (this.tls !== undefined) return this.tls.data(dir, bytes.subarray(pos), ts);
      const { line, end } = this.lines[dir].next(bytes, pos);
      pos = end;
      if (line === undefined) break;
      if (line.tooLong) continue;
      if (dir === 'orig') this.command(protocolText(line.line), ts);
      else this.reply(protocolText(line.line), ts);
    }
  }

  gap(dir: Direction): void {
    if (this.tls !== undefined) return;
    this.ctx.anomaly('ftp.content_gap');
    this.lines[dir].reset();
    if (dir === 'resp') this.multiline = undefined;
  }

  end(): void {
    while (this.pending.length > 0) this.emit(this.pending.shift()!, undefined, undefined);
  }

  private command(text: string, ts: number): void {
    const trimmed = text.trim();
    if (trimmed.length === 0) return;
    const space = trimmed.indexOf(' ');
    const word = space === -1 ? trimmed : trimmed.slice(0, space);
    // Zeek ignores lines whose first word is not a command: under 3 characters, or not printable ASCII.
    if (word.length < 3 || !PRINTABLE_WORD.test(word)) return;
    if (word.length > this.limits.max_command_length) {
      if (this.confirmed) this.ctx.limitReached('ftp.command_too_long', `${word.length} > ${this.limits.max_command_length}`);
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      this.ctx.confirm('ftp');
    }
    const command = word.toUpperCase();
    const arg = space === -1 ? '' : trimmed.slice(space + 1).trim();
    const cmd: Command = { ts, command, arg };
    if (command === 'USER') this.user = arg;
    if (command === 'PASS' && !GUEST_USERS.has(this.user?.toLowerCase() ?? '')) cmd.arg = '<hidden>';
    if (FILE_COMMANDS.has(command)) {
      cmd.file = arg;
      this.transfer = { command, name: arg };
    } else if (command === 'LIST' || command === 'NLST' || command === 'MLSD') this.transfer = { command };
    else if (command === 'PORT' || command === 'EPRT') {
      // Active mode: the server may connect before it answers the command (pyftpdlib does), so the data
      // channel is expected from the command itself, as Zeek's ftp analyzer does.
      const target = command === 'PORT' ? parseHostPort(arg) : parseEprt(arg);
      const until = ts + this.limits.data_channel_timeout;
      if (target !== undefined) this.expectData({ src_ip: this.ctx.conn.dst_ip, dst_ip: target.host, dst_port: target.port, until });
      else this.ctx.anomaly('ftp.bad_port_command');
    }
    if (this.pending.length >= this.limits.max_pending_commands) {
      this.ctx.anomaly('ftp.too_many_pending_commands');
      this.emit(this.pending.shift()!, undefined, undefined);
    }
    this.pending.push(cmd);
  }

  private reply(text: string, ts: number): void {
    const code = /^\d{3}/.test(text) ? Number(text.slice(0, 3)) : undefined;
    const separator = text[3];
    if (this.multiline !== undefined) {
      // Lines of a multi-line reply until `code<SP>` with the same code (RFC 959 §4.2).
      if (code !== this.multiline || separator !== ' ') return;
      this.multiline = undefined;
    } else if (code === undefined || code < 100 || (separator !== undefined && separator !== ' ' && separator !== '-')) {
      const reason = code === undefined ? 'non-numeric reply code' : code < 100 ? 'invalid reply code' : 'invalid reply line';
      this.removed = this.ctx.violation('ftp', 'ftp.bad_reply', `${reason}: ${text.slice(0, 40)}`);
      return;
    } else if (separator === '-') {
      this.multiline = code;
      return;
    }
    const message = text.slice(4).trim();
    if (!this.greeted) {
      this.greeted = true;
      if (this.pending.length === 0) this.pending.push({ ts, command: '<init>', arg: '' });
    }
    const cmd = this.pending[0];
    if (cmd === undefined) return;
    this.effects(cmd, code, message, ts);
    if (code >= 100 && code < 200) return; // preliminary: the command waits for its final reply
    this.pending.shift();
    this.emit(cmd, code, message);
    // RFC 4217 §4: 234 accepts AUTH TLS; the TLS handshake follows on the same connection.
    if (code === 234 && cmd.command === 'AUTH' && cmd.arg === 'TLS') this.tls = tlsIdentifier.create(this.ctx) as StreamAnalyzer;
  }

  /** What a reply changes: working directory, sizes, and expected data connections. */
  private effects(cmd: Command, code: number, message: string, ts: number): void {
    const { src_ip: client, dst_ip: server } = this.ctx.conn;
    if (cmd.command === 'CWD' && code === 250) this.cwd = buildCwd(this.cwd, cmd.arg);
    else if (cmd.command === 'CDUP' && code >= 200 && code < 300) this.cwd = buildCwd(this.cwd, '..');
    else if ((cmd.command === 'PWD' || cmd.command === 'XPWD') && code === 257) {
      // RFC 959 §7: 257 "<path>" — the quoted path is the working directory.
      const open = message.indexOf('"');
      const close = open === -1 ? -1 : message.indexOf('"', open + 1);
      if (close !== -1) this.cwd = message.slice(open + 1, close);
    }
    else if (cmd.command === 'SIZE' && code === 213) this.sizeFromReply = parseDecimal(message.split(' ', 1)[0]!);
    else if (code === 150 && cmd.file !== undefined) {
      const open = message.lastIndexOf('(');
      const size = open === -1 ? undefined : parseDecimal(message.slice(open + 1).split(' ', 1)[0]!);
      if (size !== undefined) cmd.fileSize = size;
    }
    const until = ts + this.limits.data_channel_timeout;
    if (cmd.command === 'PASV' && code === 227) {
      const target = parseHostPort(message);
      if (target !== undefined) this.expectData({ src_ip: client, dst_ip: target.host, dst_port: target.port, until });
      else this.ctx.anomaly('ftp.bad_pasv_reply');
    } else if (cmd.command === 'EPSV' && code === 229) {
      const port = parseEpsv(message);
      if (port !== undefined) this.expectData({ src_ip: client, dst_ip: server, dst_port: port, until });
      else this.ctx.anomaly('ftp.bad_epsv_reply');
    }
  }

  private expectData(expected: { src_ip: string; dst_ip: string; dst_port: number; until: number }): void {
    this.ctx.expect(expected, (dataCtx) => new FtpDataAnalyzer(dataCtx, this, this.limits));
  }

  private emit(cmd: Command, code: number | undefined, message: string | undefined): void {
    const event: FtpEvent = { kind: 'ftp', ...connFields(this.ctx, cmd.ts), command: cmd.command };
    if (this.user !== undefined) event.user = this.user;
    // Like Zeek, a file command's URL uses the working directory when its reply arrives.
    if (cmd.file !== undefined) event.arg = ftpUrl(this.ctx.conn.dst_ip, this.cwd, cmd.file);
    else if (cmd.arg !== '') event.arg = cmd.arg;
    if (cmd.file !== undefined) {
      const size = cmd.fileSize ?? this.sizeFromReply;
      if (size !== undefined) event.file_size = size;
      this.sizeFromReply = undefined;
    }
    if (code !== undefined) event.reply_code = code;
    if (message !== undefined) event.reply_msg = message;
    this.ctx.emit(event);
  }
}

function buildCwd(cwd: string, arg: string): string {
  // The URL builder folds the path; the working directory keeps the same representation Zeek keeps.
  return arg.startsWith('/') ? arg : `${cwd}/${arg}`;
}

/** `h1,h2,h3,h4,p1,p2` anywhere in the text (PORT argument, or a 227 reply with or without parentheses). */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const match = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(text);
  if (match === null) return undefined;
  const n = match.slice(1).map(Number);
  if (n.some((v) => v > 255)) return undefined;
  return { host: n.slice(0, 4).join('.'), port: n[4]! * 256 + n[5]! };
}

/** RFC 2428 §3: `(<d><d><d>port<d>)` in a 229 reply. */
export function parseEpsv(text: string): number | undefined {
  const open = text.indexOf('(');
  if (open === -1 || open + 4 >= text.length) return undefined;
  const d = text[open + 1]!;
  const fields = text.slice(open + 1, text.indexOf(')', open)).split(d);
  const port = parseDecimal(fields[3] ?? '', 65_535);
  return port;
}

/** RFC 2428 §2: `<d>proto<d>address<d>port<d>`. */
export function parseEprt(arg: string): { host: string; port: number } | undefined {
  if (arg.length < 2) return undefined;
  const fields = arg.split(arg[0]!);
  const port = parseDecimal(fields[3] ?? '', 65_535);
  const host = fields[2];
  if (port === undefined || host === undefined || host.length === 0) return undefined;
  return { host, port };
}

/** A data connection: every byte is counted per direction and sampled for content analysis. */
class FtpDataAnalyzer implements StreamAnalyzer {
  private readonly samplers: Record<Direction, ByteSampler>;
  private readonly missing: Record<Direction, number> = { orig: 0, resp: 0 };
  private transfer: Transfer | undefined;

  constructor(private readonly ctx: AnalyzerContext, private readonly control: FtpAnalyzer, limits: FtpLimits) {
    this.samplers = { orig: new ByteSampler(limits.max_sample_bytes), resp: new ByteSampler(limits.max_sample_bytes) };
    ctx.confirm('ftp-data');
  }

  data(dir: Direction, bytes: Uint8Array): void {
    // The transfer command may follow the connection's setup; it is known by the time data flows.
    this.transfer ??= this.control.transfer;
    this.samplers[dir].add(bytes);
  }

  gap(dir: Direction, length: number): void {
    this.samplers[dir].skip(length);
    this.missing[dir] += length;
  }

  end(ts: number): void {
    this.transfer ??= this.control.transfer;
    const name = this.transfer?.name;
    // In active mode (PORT/EPRT) the server opens the data channel: the FTP client is its responder.
    const viewFrom = this.ctx.conn.src_ip === this.control.clientIp ? 'originator' : 'responder';
    for (const dir of ['orig', 'resp'] as const) {
      const sampler = this.samplers[dir];
      if (sampler.total === 0) continue;
      emitPayload(this.ctx, ts, dir, { protocol: 'ftp', context: 'ftp.data', ...(name !== undefined ? { name } : {}) }, sampler.sample(), viewFrom);
      emitFileTransfer(this.ctx, ts, dir, { protocol: 'ftp', total: sampler.total, missing: this.missing[dir], filename: name });
    }
  }
}

export function ftpProtocol(limits: FtpLimits = DEFAULT_FTP_LIMITS): AppProtocol {
  return {
    name: 'ftp',
    transport: 'tcp',
    matches: (conn) => conn.dst_port === 21 || conn.dst_port === 2811,
    create: (ctx) => new FtpAnalyzer(ctx, limits),
  };
}
