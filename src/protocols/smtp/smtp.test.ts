import { describe, expect, it } from 'vitest';
import type { StreamAnalyzer } from '../analyzer.js';
import { RecordingContext, feed } from '../common/test-context.js';
import { DEFAULT_SMTP_LIMITS, address, smtpProtocol } from './smtp.js';
import type { SmtpLimits } from './smtp.js';

const conn = { uid: 'Csmtp', proto: 'tcp' as const, src_ip: '10.10.1.4', src_port: 1470, dst_ip: '74.53.140.153', dst_port: 25 };

function smtp(limits: Partial<SmtpLimits> = {}): { ctx: RecordingContext; a: StreamAnalyzer } {
  const ctx = new RecordingContext(conn);
  return { ctx, a: smtpProtocol({ ...DEFAULT_SMTP_LIMITS, ...limits }).create(ctx) as StreamAnalyzer };
}

const secret = Buffer.from('attack at dawn, key=0123456789abcdef');
const MESSAGE = [
  'From: "Gurpartap Singh" <gurpartap@patriots.in>',
  'To: <raj@example.in>, b@example.com',
  'Subject: SMTP',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed;',
  '\tboundary="----=_NextPart_000"',
  '',
  'preamble',
  '------=_NextPart_000',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Hello=20there,=',
  ' soft break',
  '..leading dot',
  '------=_NextPart_000',
  'Content-Type: application/octet-stream; name="..\\..\\evil.exe"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment',
  '',
  secret.toString('base64').slice(0, 20),
  `${secret.toString('base64').slice(20)}`,
  '------=_NextPart_000--',
  '',
].join('\r\n');

const SESSION: ['orig' | 'resp', string][] = [
  ['resp', '220 mail ESMTP\r\n'], ['orig', 'EHLO GP\r\n'], ['resp', '250-mail\r\n250 PIPELINING\r\n'],
  ['orig', 'MAIL FROM: <gurpartap@patriots.in> SIZE=1000\r\n'], ['resp', '250 OK\r\n'],
  ['orig', 'RCPT TO:<raj_deol2002in@yahoo.co.in>\r\n'], ['resp', '250 Accepted\r\n'],
  ['orig', 'DATA\r\n'], ['resp', '354 Enter message\r\n'],
  ['orig', `${MESSAGE}.\r\n`], ['resp', '250 OK id=1\r\n'], ['orig', 'QUIT\r\n'],
];

describe('smtp analyzer', () => {
  it('logs the envelope, headers and decoded MIME parts, however the stream is cut', () => {
    for (const step of [Infinity, 1, 7]) {
      const { ctx, a } = smtp();
      feed(a, SESSION, step);
      expect(ctx.of('smtp')).toEqual([expect.objectContaining({
        helo: 'GP', mailfrom: 'gurpartap@patriots.in', rcptto: ['raj_deol2002in@yahoo.co.in'],
        from: '"Gurpartap Singh" <gurpartap@patriots.in>', to: ['<raj@example.in>', 'b@example.com'], subject: 'SMTP',
        attachments: [{ name: '..\\..\\evil.exe', mime_type: 'application/octet-stream', size: secret.length }],
      })]);
      const payloads = ctx.of('payload');
      expect(payloads.map((p) => [p.context, p.name, p.direction])).toEqual([['smtp.body', undefined, 'out'], ['smtp.attachment', '..\\..\\evil.exe', 'out']]);
      expect(Buffer.from(payloads[0]!.sample.bytes).toString()).toBe('Hello there, soft break\r\n.leading dot');
      expect(Buffer.from(payloads[1]!.sample.bytes)).toEqual(secret);
      expect(ctx.of('file_transfer').map((f) => [f.protocol, f.seen_bytes])).toEqual([['smtp', 37], ['smtp', secret.length]]);
      expect(ctx.services).toEqual(['smtp']);
    }
  });

  it('reads BDAT chunks (RFC 3030) as raw message bytes', () => {
    const { ctx, a } = smtp();
    const body = 'Subject: chunked\r\n\r\nline one\r\n';
    feed(a, [['orig', 'EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n'], ['orig', `BDAT 10\r\n${body.slice(0, 10)}BDAT ${body.length - 10} LAST\r\n${body.slice(10)}QUIT\r\n`]], 3);
    expect(ctx.of('smtp')[0]).toMatchObject({ subject: 'chunked', mailfrom: 'a@b', rcptto: ['c@d'] });
    expect(ctx.of('payload')[0]!.sample.total).toBe('line one'.length);
  });

  it('logs one event per transaction and stops at STARTTLS', () => {
    const { ctx, a } = smtp();
    feed(a, [['orig', 'HELO h\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\nSubject: 1\r\n\r\nx\r\n.\r\nMAIL FROM:<c@x>\r\nRCPT TO:<d@x>\r\nRSET\r\nSTARTTLS\r\n'],
      ['resp', '220 go ahead\r\n'], ['orig', '\x16\x03\x01 MAIL FROM:<hidden@x>\r\n']]);
    expect(ctx.of('smtp').map((e) => [e.mailfrom, e.subject])).toEqual([['a@x', '1'], ['c@x', undefined]]);
  });

  it('logs a session that only greets (then goes TLS) as one row', () => {
    const { ctx, a } = smtp();
    feed(a, [['orig', 'EHLO client\r\nSTARTTLS\r\n'], ['resp', '220 go\r\n']]);
    expect(ctx.of('smtp')).toEqual([expect.objectContaining({ helo: 'client', rcptto: [] })]);
  });

  it('finishes the message at a gap in DATA and reads commands again', () => {
    const { ctx, a } = smtp();
    feed(a, [['orig', 'MAIL FROM:<a@b>\r\nDATA\r\nSubject: cut\r\n\r\nfirst part']], Infinity, false);
    a.gap('orig', 500, 2);
    feed(a, [['orig', 'MAIL FROM:<next@b>\r\nRCPT TO:<r@b>\r\n']]);
    expect(ctx.count('smtp.content_gap')).toBe(1);
    expect(ctx.of('smtp').map((e) => [e.mailfrom, e.subject])).toEqual([['a@b', 'cut'], ['next@b', undefined]]);
    expect(ctx.of('payload')[0]!.sample.total).toBe('first part'.length);
  });

  it('extracts envelope addresses', () => {
    expect(address('FROM:<a@b> SIZE=10', 'FROM:')).toBe('a@b');
    expect(address('from: plain@b BODY=8BITMIME', 'FROM:')).toBe('plain@b');
    expect(address('TO:<>', 'TO:')).toBe('');
    expect(address('XX:<a@b>', 'TO:')).toBeUndefined();
  });

  describe('hostile input (RELIABILITY D24, D28)', () => {
    it('skips a 1 MB command line without newline', () => {
      const { ctx, a } = smtp();
      feed(a, [['orig', `MAIL FROM:<${'a'.repeat(1 << 20)}`]], 8192, false);
      expect(ctx.count('smtp.line_too_long')).toBe(1); // counted before the line ever ends
      feed(a, [['orig', '>\r\nMAIL FROM:<ok@x>\r\n']]);
      expect(ctx.count('smtp.line_too_long')).toBe(1);
      expect(ctx.of('smtp').map((e) => e.mailfrom)).toEqual(['ok@x']);
    });

    it('counts every byte of a 1 MB message line without newline', () => {
      const { ctx, a } = smtp();
      feed(a, [['orig', `MAIL FROM:<a@b>\r\nDATA\r\nSubject: big\r\n\r\n${'B'.repeat(1 << 20)}\r\n.\r\n`]], 10_000);
      expect(ctx.of('payload')[0]!.sample.total).toBe(1 << 20);
      expect(ctx.of('payload')[0]!.sample.bytes.length).toBe(DEFAULT_SMTP_LIMITS.max_sample_bytes);
    });

    it('treats multipart nesting deeper than the cap as opaque (mime.depth_exceeded)', () => {
      const { ctx, a } = smtp();
      const lines: string[] = ['Subject: deep', 'Content-Type: multipart/mixed; boundary=b0', ''];
      for (let i = 1; i <= 1000; i++) lines.push(`--b${i - 1}`, `Content-Type: multipart/mixed; boundary=b${i}`, '');
      lines.push('--b1000', 'Content-Type: text/plain', '', 'inner', '--b1000--');
      feed(a, [['orig', `MAIL FROM:<a@b>\r\nDATA\r\n${lines.join('\r\n')}\r\n.\r\n`]]);
      expect(ctx.count('mime.depth_exceeded')).toBe(1);
      expect(ctx.limits).toEqual(['mime.depth_exceeded']);
      expect(ctx.of('smtp')[0]!.subject).toBe('deep');
    });

    it('walks into a forwarded message (message/rfc822): its parts are decoded, its headers are not the mail\'s', () => {
      const { ctx, a } = smtp();
      const lines = [
        'Subject: outer', 'Content-Type: multipart/mixed; boundary=b0', '',
        '--b0', 'Content-Type: message/rfc822', '',
        'Subject: inner', 'Content-Type: application/octet-stream; name=inner.bin', 'Content-Transfer-Encoding: base64', '',
        secret.toString('base64'),
        '--b0', 'Content-Type: text/plain', '', 'after', '--b0--',
      ];
      feed(a, [['orig', `MAIL FROM:<a@b>\r\nDATA\r\n${lines.join('\r\n')}\r\n.\r\n`]]);
      expect(ctx.of('smtp')[0]!.subject).toBe('outer');
      expect(ctx.of('payload').map((p) => [p.name, Buffer.from(p.sample.bytes).toString()])).toEqual([['inner.bin', secret.toString()], [undefined, 'after']]);
    });

    it('keeps max_header_bytes of headers per entity, the rest a limit reached once (Zeek exceeded_mime_max_header_bytes)', () => {
      const { ctx, a } = smtp();
      const headers = Array.from({ length: 2000 }, (_, i) => `X-Filler-${i}: ${'f'.repeat(60)}`);
      feed(a, [['orig', `MAIL FROM:<a@b>\r\nDATA\r\nSubject: kept\r\n${headers.join('\r\n')}\r\nTo: dropped@x\r\n\r\nbody\r\n.\r\n`]]);
      expect(ctx.limits).toEqual(['mime.header_too_long']);
      expect(ctx.of('smtp')[0]).toMatchObject({ subject: 'kept' });
      expect(ctx.of('smtp')[0]!.to).toBeUndefined();
    });

    it('decodes base64 with invalid characters tolerantly and counts it', () => {
      const { ctx, a } = smtp();
      const encoded = Buffer.from('hello world').toString('base64');
      const broken = `${encoded.slice(0, 4)}!!**${encoded.slice(4)}`;
      feed(a, [['orig', `MAIL FROM:<a@b>\r\nDATA\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${broken}\r\n.\r\n`]]);
      expect(ctx.count('mime.bad_encoding')).toBe(1);
      expect(Buffer.from(ctx.of('payload')[0]!.sample.bytes).toString()).toBe('hello world');
    });

    it('refuses a BDAT size that does not fit a safe integer', () => {
      const { ctx, a } = smtp();
      feed(a, [['orig', 'MAIL FROM:<a@b>\r\nBDAT 99999999999999999999 LAST\r\nxx']]);
      expect(ctx.count('smtp.bad_bdat_size')).toBe(1);
    });

    it('reports every part as it ends but lists at most max_attachments on the smtp event', () => {
      const { ctx, a } = smtp({ max_attachments: 2 });
      const parts = Array.from({ length: 5 }, (_, i) => `--z\r\nContent-Disposition: attachment; filename="f${i}"\r\n\r\ndata${i}\r\n`).join('');
      feed(a, [['orig', `MAIL FROM:<a@b>\r\nDATA\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n${parts}--z--\r\n.\r\n`]]);
      expect(ctx.of('payload').map((p) => p.name)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
      expect(ctx.of('smtp')[0]!.attachments!.map((x) => x.name)).toEqual(['f0', 'f1']);
      expect(ctx.count('smtp.too_many_attachments')).toBe(3);
    });

    it('bounds recipients per transaction', () => {
      const { ctx, a } = smtp({ max_recipients: 3 });
      feed(a, [['orig', `MAIL FROM:<a@b>\r\n${'RCPT TO:<r@x>\r\n'.repeat(10)}`]]);
      expect(ctx.of('smtp')[0]!.rcptto).toHaveLength(3);
      expect(ctx.count('smtp.too_many_recipients')).toBe(7);
    });
  });
});
