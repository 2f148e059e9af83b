import { describe, expect, it } from 'vitest';
import type { StreamAnalyzer } from '../analyzer.js';
import { RecordingContext, bytes, feed } from '../common/test-context.js';
import { DEFAULT_FTP_LIMITS, ftpProtocol, parseEprt, parseEpsv, parseHostPort } from './ftp.js';
import type { FtpLimits } from './ftp.js';
import { compressPath, ftpUrl } from './paths.js';

const conn = { uid: 'Cftp', proto: 'tcp' as const, src_ip: '10.0.0.1', src_port: 50003, dst_ip: '192.0.2.21', dst_port: 21 };

function control(limits: Partial<FtpLimits> = {}): { ctx: RecordingContext; ftp: StreamAnalyzer } {
  const ctx = new RecordingContext(conn);
  return { ctx, ftp: ftpProtocol({ ...DEFAULT_FTP_LIMITS, ...limits }).create(ctx) as StreamAnalyzer };
}

const SESSION: [('orig' | 'resp'), string][] = [
  ['resp', '220-Welcome\r\n220-to the server\r\n220 ready\r\n'],
  ['orig', 'USER anonymous\r\n'], ['resp', '331 Password required\r\n'],
  ['orig', 'PASS x@\r\n'], ['resp', '230 Logged in\r\n'],
  ['orig', 'CWD pub\r\n'], ['resp', '250 OK\r\n'],
  ['orig', 'PASV\r\n'], ['resp', '227 Entering Passive Mode (192,0,2,21,221,90)\r\n'],
  ['orig', 'RETR data.bin\r\n'], ['resp', '150 Opening BINARY mode data connection for data.bin (77 bytes)\r\n226 Transfer complete.\r\n'],
  ['orig', 'SIZE up.enc\r\n'], ['resp', '213 4096\r\n'],
  ['orig', 'PORT 10,0,0,1,131,46\r\n'], ['resp', '200 PORT command successful.\r\n'],
  ['orig', 'STOR ../../etc/cron.d/x\r\n'], ['resp', '150 Ok\r\n226 Done\r\n'],
  ['orig', 'QUIT\r\n'],
];

describe('ftp analyzer', () => {
  it('logs each command with its final reply, user, URL argument and file size', () => {
    for (const step of [Infinity, 1, 3]) {
      const { ctx, ftp } = control();
      feed(ftp, SESSION, step);
      const rows = ctx.of('ftp').map((e) => [e.command, e.arg, e.file_size, e.reply_code, e.user]);
      expect(rows).toEqual([
        ['<init>', undefined, undefined, 220, undefined],
        ['USER', 'anonymous', undefined, 331, 'anonymous'],
        ['PASS', 'x@', undefined, 230, 'anonymous'],
        ['CWD', 'pub', undefined, 250, 'anonymous'],
        ['PASV', undefined, undefined, 227, 'anonymous'],
        ['RETR', 'ftp://192.0.2.21/./pub/data.bin', 77, 226, 'anonymous'],
        ['SIZE', 'up.enc', undefined, 213, 'anonymous'],
        ['PORT', '10,0,0,1,131,46', undefined, 200, 'anonymous'],
        ['STOR', 'ftp://192.0.2.21/etc/cron.d/x', 4096, 226, 'anonymous'],
        ['QUIT', undefined, undefined, undefined, 'anonymous'],
      ]);
      expect(ctx.services).toEqual(['ftp']);
    }
  });

  it('hides passwords of non-guest users and follows PWD', () => {
    const { ctx, ftp } = control();
    feed(ftp, [['orig', 'USER root\r\nPASS hunter2\r\nPWD\r\nRETR f\r\n'], ['resp', '331 x\r\n230 ok\r\n257 "/home/root" is cwd\r\n226 ok\r\n']]);
    expect(ctx.of('ftp').map((e) => e.arg)).toEqual(['root', '<hidden>', undefined, 'ftp://192.0.2.21/home/root/f']);
  });

  it('announces data channels and turns their bytes into named payloads and file transfers', () => {
    const { ctx, ftp } = control();
    feed(ftp, SESSION.slice(0, 9), Infinity, false);
    expect(ctx.expected.map((e) => [e.src_ip, e.dst_ip, e.dst_port])).toEqual([['10.0.0.1', '192.0.2.21', 56666]]);
    const dataCtx = new RecordingContext({ ...conn, uid: 'Cdata', src_port: 40001, dst_port: 56666 });
    const data = ctx.expected[0]!.create(dataCtx) as StreamAnalyzer;
    feed(ftp, SESSION.slice(9, 11), Infinity, false);
    data.data('resp', bytes('0123456789'), 5);
    data.gap('resp', 5, 6);
    data.end(7);
    expect(dataCtx.services).toEqual(['ftp-data']);
    expect(dataCtx.of('payload')[0]).toMatchObject({ context: 'ftp.data', name: 'data.bin', direction: 'in', sample: { total: 15 } });
    expect(dataCtx.of('file_transfer')[0]).toMatchObject({ filename: 'data.bin', src_ip: '192.0.2.21', dst_ip: '10.0.0.1', seen_bytes: 10, missing_bytes: 5 });
    feed(ftp, [['orig', 'PORT 10,0,0,1,131,46\r\n'], ['resp', '200 ok\r\n'], ['orig', 'EPSV\r\n'], ['resp', '229 Entering Extended Passive Mode (|||6446|)\r\n'],
      ['orig', 'EPRT |2|2001:db8::1|5282|\r\n'], ['resp', '200 ok\r\n']]);
    expect(ctx.expected.slice(1).map((e) => [e.src_ip, e.dst_ip, e.dst_port])).toEqual([
      ['192.0.2.21', '10.0.0.1', 33582], ['10.0.0.1', '192.0.2.21', 6446], ['192.0.2.21', '2001:db8::1', 5282],
    ]);
  });

  it('expects an active-mode data channel from the PORT/EPRT command, before the server answers it', () => {
    // pyftpdlib connects back first and sends its 200 afterwards: waiting for the reply would miss the upload.
    const { ctx, ftp } = control();
    feed(ftp, [['resp', '220 ready\r\n'], ['orig', 'EPRT |1|10.0.0.1|42479|\r\n']], Infinity, false);
    expect(ctx.expected.map((e) => [e.src_ip, e.dst_ip, e.dst_port])).toEqual([['192.0.2.21', '10.0.0.1', 42479]]);
    // The server opened the channel, so the client's upload arrives as the responder's bytes: still reported out.
    feed(ftp, [['orig', 'STOR c.gpg\r\n']], Infinity, false);
    const dataCtx = new RecordingContext({ uid: 'Cactive', proto: 'tcp', src_ip: '192.0.2.21', src_port: 60643, dst_ip: '10.0.0.1', dst_port: 42479 });
    const data = ctx.expected[0]!.create(dataCtx) as StreamAnalyzer;
    data.data('resp', bytes('ciphertext bytes'), 5);
    data.end(6);
    expect(dataCtx.of('payload')[0]).toMatchObject({ direction: 'out', src_ip: '10.0.0.1', src_port: 42479, dst_ip: '192.0.2.21', name: 'c.gpg', sample: { total: 16 } });
  });

  it('parses data channel announcements strictly', () => {
    expect(parseHostPort('Entering Passive Mode (199,233,217,249,221,90)')).toEqual({ host: '199.233.217.249', port: 56666 });
    expect(parseHostPort('1,2,3,999,1,1')).toBeUndefined();
    expect(parseEpsv('Entering Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(parseEpsv('(|||99999|)')).toBeUndefined();
    expect(parseEprt('|1|132.235.1.2|6275|')).toEqual({ host: '132.235.1.2', port: 6275 });
  });

  it('folds paths as Zeek does', () => {
    expect(compressPath('./a/../b/./c')).toBe('./b/c');
    expect(compressPath('/x/y/../../z')).toBe('/z');
    expect(ftpUrl('2001:db8::2', '.', 'f')).toBe('ftp://[2001:db8::2]/./f');
  });

  it('takes a reply without a valid code for a protocol violation and reads no further (Zeek ftp-invalid-reply-code …)', () => {
    for (const bad of ['99 PASV invalid', 'SYST not supported', '230_no_space']) {
      const { ctx, ftp } = control();
      feed(ftp, [['resp', '220 ready\r\n'], ['orig', 'USER zeek\r\n'], ['resp', `${bad}\r\n`], ['orig', 'QUIT\r\n'], ['resp', '221 Bye\r\n']]);
      expect(ctx.violations, bad).toEqual(['ftp']);
      expect(ctx.of('ftp').map((e) => [e.command, e.reply_code])).toEqual([['<init>', 220], ['USER', undefined]]);
    }
    // A three-digit code alone, and continuation lines of a multi-line reply, are valid.
    const { ctx, ftp } = control();
    feed(ftp, [['orig', 'NOOP\r\nHELP\r\n'], ['resp', '200\r\n214-Commands:\r\n USER PASS\r\n214 end\r\n']]);
    expect(ctx.violations).toEqual([]);
    expect(ctx.of('ftp').map((e) => [e.command, e.reply_code])).toEqual([['NOOP', 200], ['HELP', 214]]);
  });

  it('confirms on a command and skips command words over max_command_length, as a limit once confirmed', () => {
    const { ctx, ftp } = control();
    const long = `TYPE${'E'.repeat(128)}`;
    feed(ftp, [['resp', '220 ready\r\n'], ['orig', `${long}\r\n`]], Infinity, false);
    expect([ctx.services, ctx.limits]).toEqual([[], []]);
    feed(ftp, [['orig', `USER a\r\n${long} I\r\nSYST\r\n`], ['resp', '230 ok\r\n215 UNIX\r\n']]);
    expect(ctx.services).toEqual(['ftp']);
    expect(ctx.limits).toEqual(['ftp.command_too_long']);
    expect(ctx.of('ftp').map((e) => [e.command, e.reply_code])).toEqual([['<init>', 220], ['USER', 230], ['SYST', 215]]);
  });

  it('identifies the TLS stream after AUTH TLS is accepted (ftp,ssl as in Zeek ftp-auth-tls)', () => {
    const clientHello = Uint8Array.from([22, 3, 1, 0, 64, 1, 0, 0, 60, 3, 3, ...new Array<number>(60).fill(0)]);
    const { ctx, ftp } = control();
    feed(ftp, [['resp', '220 ready\r\n'], ['orig', 'AUTH TLS\r\n'], ['resp', '234 AUTH TLS ok.\r\n'], ['orig', clientHello]]);
    expect(ctx.services).toEqual(['ftp', 'ssl']);
    expect(ctx.of('ftp').map((e) => [e.command, e.reply_code])).toEqual([['<init>', 220], ['AUTH', 234]]);
  });

  describe('hostile input (RELIABILITY D24, D30)', () => {
    it('skips a 1 MB command without newline and keeps parsing', () => {
      const { ctx, ftp } = control();
      feed(ftp, [['orig', `STOR ${'A'.repeat(1 << 20)}`]], 4096, false);
      expect(ctx.count('ftp.line_too_long')).toBe(1); // counted before the line ever ends
      feed(ftp, [['orig', '\r\nNOOP\r\n'], ['resp', '200 ok\r\n']]);
      expect(ctx.count('ftp.line_too_long')).toBe(1);
      expect(ctx.of('ftp').map((e) => [e.command, e.reply_code])).toEqual([['NOOP', 200]]);
    });

    it('keeps hostile file names verbatim as metadata', () => {
      const { ctx, ftp } = control();
      const name = `..\\..\\CON\u0000${'n'.repeat(300)}`;
      feed(ftp, [['orig', `STOR ${name}\r\n`], ['resp', '226 ok\r\n']]);
      expect(ctx.of('ftp')[0]!.arg).toBe(`ftp://192.0.2.21/./${name}`);
    });

    it('bounds commands that are never answered', () => {
      const { ctx, ftp } = control({ max_pending_commands: 5 });
      feed(ftp, [['orig', 'NOOP\r\n'.repeat(100)]]);
      expect(ctx.count('ftp.too_many_pending_commands')).toBe(95);
      expect(ctx.of('ftp')).toHaveLength(100);
    });
  });
});
