// Config keys of the application protocol analyzers: section `readers.pcap.protocols`, one subsection per
// protocol. Each limit names the anomaly counter that says when it was hit; the defaults are the modules'
// DEFAULT_*_LIMITS (Suricata's and Zeek's where they have one).
import { z } from 'zod';
import { DEFAULT_DNS_LIMITS } from './dns/message.js';
import { DEFAULT_FTP_LIMITS } from './ftp/ftp.js';
import { DEFAULT_HTTP_LIMITS } from './http/http.js';
import { DEFAULT_ICMP_LIMITS } from './icmp/icmp.js';
import { DEFAULT_MIME_LIMITS } from './mime/walker.js';
import { DEFAULT_SMTP_LIMITS } from './smtp/smtp.js';

const count = (fallback: number, min = 1) => z.number().int().min(min).default(fallback);

const mime = {
  max_depth: count(DEFAULT_MIME_LIMITS.max_depth).describe('multipart nesting followed; deeper parts are opaque (mime.depth_exceeded)'),
  max_header_bytes: count(DEFAULT_MIME_LIMITS.max_header_bytes).describe('header bytes kept per MIME entity (mime.header_too_long)'),
};

export const appProtocolOptions = z.strictObject({
  http: z.strictObject({
    ...mime,
    max_line_length: count(DEFAULT_HTTP_LIMITS.max_line_length).describe('longest request, status or header line (http.line_too_long)'),
    max_headers: count(DEFAULT_HTTP_LIMITS.max_headers).describe('header fields kept per message (http.too_many_headers)'),
    max_header_bytes: count(DEFAULT_HTTP_LIMITS.max_header_bytes).describe('header bytes kept per message and per MIME part (http.header_too_long, mime.header_too_long)'),
    max_transactions: count(DEFAULT_HTTP_LIMITS.max_transactions).describe('requests awaiting a response per connection (http.too_many_transactions)'),
    max_sample_bytes: count(DEFAULT_HTTP_LIMITS.max_sample_bytes, 0).describe('body bytes sampled for content analysis'),
    max_decompressed_bytes: count(DEFAULT_HTTP_LIMITS.max_decompressed_bytes).describe('output cap of Content-Encoding decoding (decompress.capped)'),
    max_decompression_ratio: count(DEFAULT_HTTP_LIMITS.max_decompression_ratio).describe('decoded/encoded size cap (decompress.capped)'),
    max_encoding_layers: count(DEFAULT_HTTP_LIMITS.max_encoding_layers).describe('stacked content codings undone (decompress.capped)'),
  }).prefault({}),
  dns: z.strictObject({
    max_name_length: count(DEFAULT_DNS_LIMITS.max_name_length).describe('wire bytes of a name, RFC 1035 (dns.name_too_long)'),
    max_answers: count(DEFAULT_DNS_LIMITS.max_answers).describe('answers rendered per message (dns.too_many_answers)'),
    max_pending_queries: count(DEFAULT_DNS_LIMITS.max_pending_queries).describe("queries awaiting a response per connection; Zeek's DNS::max_pending_queries (dns.too_many_pending)"),
    max_questions: count(DEFAULT_DNS_LIMITS.max_questions).describe("questions a message may declare; more is a protocol violation and the history gains X; Zeek's dns_max_queries (dns.too_many_questions)"),
    max_compression_depth: count(DEFAULT_DNS_LIMITS.max_compression_depth).describe("compression pointers followed per name; the name is cut there and the history gains X; Zeek's dns_max_compression_chain_depth (dns.compression_depth_exceeded)"),
    session_timeout: count(DEFAULT_DNS_LIMITS.session_timeout).describe("seconds of silence that end a UDP DNS conversation, the next packet starting another; Zeek's dns_session_timeout"),
  }).prefault({}),
  ftp: z.strictObject({
    max_line_length: count(DEFAULT_FTP_LIMITS.max_line_length).describe('longest command or reply line (ftp.line_too_long)'),
    max_command_length: count(DEFAULT_FTP_LIMITS.max_command_length).describe("longest command word; longer commands are skipped and the connection's history gains X; Zeek's FTP::max_command_length (ftp.command_too_long)"),
    max_pending_commands: count(DEFAULT_FTP_LIMITS.max_pending_commands).describe('commands awaiting a reply (ftp.too_many_pending_commands)'),
    max_sample_bytes: count(DEFAULT_FTP_LIMITS.max_sample_bytes, 0).describe('data-channel bytes sampled per direction'),
    data_channel_timeout: count(DEFAULT_FTP_LIMITS.data_channel_timeout).describe('seconds an announced data connection is awaited'),
  }).prefault({}),
  smtp: z.strictObject({
    ...mime,
    max_line_length: count(DEFAULT_SMTP_LIMITS.max_line_length).describe('longest command line (smtp.line_too_long); longer message lines are read in pieces'),
    max_recipients: count(DEFAULT_SMTP_LIMITS.max_recipients).describe('RCPT TO kept per transaction (smtp.too_many_recipients)'),
    max_attachments: count(DEFAULT_SMTP_LIMITS.max_attachments).describe('attachments listed per smtp event; each still makes its own events (smtp.too_many_attachments)'),
    max_sample_bytes: count(DEFAULT_SMTP_LIMITS.max_sample_bytes, 0).describe('decoded bytes sampled per MIME part'),
  }).prefault({}),
  icmp: z.strictObject({
    max_sample_bytes: count(DEFAULT_ICMP_LIMITS.max_sample_bytes, 0).describe('echo data bytes sampled per direction'),
  }).prefault({}),
});

export type AppProtocolOptions = z.infer<typeof appProtocolOptions>;
