import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DnsEvent, FlowEvent, HttpEvent } from '../../core/events.js';
import { readWith } from '../../../test/harness.js';
import { zeekReader } from './index.js';

const CONN_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes'];
const CONN_TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'count', 'string', 'count', 'count', 'count', 'count'];

function header(path: string, fields: string[], types: string[], sep = '\t'): string {
  const s = sep === '\t' ? '\\x09' : '\\x' + sep.charCodeAt(0).toString(16).padStart(2, '0');
  return [`#separator ${s}`, `#set_separator${sep},`, `#empty_field${sep}(empty)`, `#unset_field${sep}-`, `#path${sep}${path}`,
    `#open${sep}2024-01-01-00-00-00`, `#fields${sep}${fields.join(sep)}`, `#types${sep}${types.join(sep)}`].join('\n') + '\n';
}

function connRow(overrides: Partial<Record<string, string>> = {}, sep = '\t'): string {
  const base: Record<string, string> = {
    ts: '1700000000.123456', uid: 'C1', 'id.orig_h': '10.0.0.5', 'id.orig_p': '50000', 'id.resp_h': '203.0.113.9', 'id.resp_p': '21',
    proto: 'tcp', service: 'ftp', duration: '1.5', orig_bytes: '12000000', resp_bytes: '300', conn_state: 'SF', missed_bytes: '0',
    history: 'ShADadFf', orig_pkts: '10', orig_ip_bytes: '12000400', resp_pkts: '8', resp_ip_bytes: '620',
  };
  return CONN_FIELDS.map((f) => overrides[f] ?? base[f]).join(sep) + '\n';
}

const CLOSE = '#close\t2024-01-01-00-00-01\n';

describe('zeek TSV reader', () => {
  it('sniffs TSV and JSON Zeek logs, and not other text', () => {
    expect(zeekReader.sniff(Buffer.from(header('conn', CONN_FIELDS, CONN_TYPES)))).toBe(true);
    expect(zeekReader.sniff(Buffer.from('{"ts":1.0,"uid":"C1","id.orig_h":"1.2.3.4"}\n'))).toBe(true);
    expect(zeekReader.sniff(Buffer.from('hello world\n'))).toBe(false);
    expect(zeekReader.sniff(Buffer.from('{"EventID":1}\n'))).toBe(false);
  });

  it('maps conn rows to flow events with every counted field', async () => {
    const { events, health } = await readWith(zeekReader, header('conn', CONN_FIELDS, CONN_TYPES) + connRow() + CLOSE);
    expect(health.anomalies.total).toBe(0);
    expect(health.notes).toEqual([]);
    const flow = events[0] as FlowEvent;
    expect(flow).toMatchObject({
      kind: 'flow', ts: 1700000000.123456, uid: 'C1', src_ip: '10.0.0.5', src_port: 50000, dst_ip: '203.0.113.9', dst_port: 21,
      proto: 'tcp', service: 'ftp', duration: 1.5, bytes_out: 12000000, bytes_in: 300, conn_state: 'SF', history: 'ShADadFf',
      pkts_out: 10, ip_bytes_out: 12000400, pkts_in: 8, ip_bytes_in: 620, missed_bytes: 0,
    });
    expect(flow.source).toEqual({ reader: 'zeek', path: 'test-input', line: 9 });
  });

  it('treats unset fields as absent and decodes \\xNN escapes as UTF-8 bytes', async () => {
    const row = connRow({ service: '-', orig_bytes: '-', uid: 'a\\x09b\\xe2\\x82\\xac' });
    const { events } = await readWith(zeekReader, header('conn', CONN_FIELDS, CONN_TYPES) + row + CLOSE);
    const flow = events[0] as FlowEvent;
    expect(flow.service).toBeUndefined();
    expect(flow.bytes_out).toBeUndefined();
    expect(flow.uid).toBe('a\tb€');
  });

  it('unescapes only the rows that carry escapes when plain and escaped rows share one chunk', async () => {
    const rows = connRow({ uid: 'plain\\' }) + connRow({ uid: 'x\\x41y' }) + connRow({ uid: 'C3' }) + connRow({ uid: 'b\\x42' });
    const { events } = await readWith(zeekReader, header('conn', CONN_FIELDS, CONN_TYPES) + rows + CLOSE);
    expect(events.map((e) => (e as FlowEvent).uid)).toEqual(['plain\\', 'xAy', 'C3', 'bB']);
  });

  it('reads sets with the set separator, (empty) as an empty set, and honours a custom separator', async () => {
    const fields = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'query', 'answers', 'TTLs'];
    const types = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'vector[string]', 'vector[interval]'];
    const text = header('dns', fields, types, '|').replace('#set_separator|,', '#set_separator|;') +
      '1.0|D1|10.0.0.5|5353|10.0.0.1|53|udp|a.example|1.2.3.4;5.6.7.8|60.0;30.0\n' +
      '2.0|D2|10.0.0.5|5353|10.0.0.1|53|udp|b.example|(empty)|(empty)\n' +
      '3.0|D3|10.0.0.5|5353|10.0.0.1|53|udp|c.example|v=spf1 a\\x3bb;c|-\n';
    const { events, health } = await readWith(zeekReader, text);
    expect(health.anomalies.total).toBe(0);
    const [a, b, c] = events as DnsEvent[];
    expect(a!.answers).toEqual(['1.2.3.4', '5.6.7.8']);
    expect(a!.ttls).toEqual([60, 30]);
    expect(b!.answers).toEqual([]);
    // An escaped set separator belongs to its element: split first, then unescape.
    expect(c!.answers).toEqual(['v=spf1 a;b', 'c']);
    expect(c!.ttls).toBeUndefined();
  });

  it('follows a header change in the middle of a file', async () => {
    const httpFields = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'method', 'host', 'uri'];
    const httpTypes = ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string'];
    const text = header('conn', CONN_FIELDS, CONN_TYPES) + connRow() + CLOSE +
      header('http', httpFields, httpTypes) + '3.0\tH1\t10.0.0.5\t40000\t198.51.100.1\t80\tPOST\tx.example\t/up\n' + CLOSE;
    const { events } = await readWith(zeekReader, text);
    expect(events.map((e) => e.kind)).toEqual(['flow', 'http']);
    expect((events[1] as HttpEvent).host_header).toBe('x.example');
    expect((events[1] as HttpEvent).source.line).toBe(19);
  });

  it('handles CRLF line ends and a file split into 7-byte chunks', async () => {
    const text = (header('conn', CONN_FIELDS, CONN_TYPES) + connRow() + CLOSE).replace(/\n/g, '\r\n');
    const { events, health } = await readWith(zeekReader, text, { chunkSize: 7 });
    expect(health.anomalies.total).toBe(0);
    expect((events[0] as FlowEvent).ip_bytes_in).toBe(620);
  });

  it('counts a truncated last line and notes the missing #close', async () => {
    const text = header('conn', CONN_FIELDS, CONN_TYPES) + connRow() + connRow().slice(0, 40);
    const { events, health } = await readWith(zeekReader, text);
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('zeek.field_count')).toBe(1);
    expect(health.anomalies.entries()[0]!.examples[0]!.line).toBe(10);
    expect(health.notes.join()).toMatch(/no #close/);
  });

  it('skips values that do not match their type, with the line and the reason', async () => {
    const text = header('conn', CONN_FIELDS, CONN_TYPES) + connRow({ 'id.resp_p': 'http' }) + connRow({ orig_bytes: '-5' }) + connRow({ 'id.orig_h': '999.1.1.1' }) + connRow() + CLOSE;
    const { events, health } = await readWith(zeekReader, text);
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('zeek.bad_value')).toBe(3);
    expect(health.anomalies.entries()[0]!.examples.map((e) => e.line)).toEqual([9, 10, 11]);
  });

  it('skips an over-long line and reads on', async () => {
    const long = connRow({ uid: 'U'.repeat(5000) });
    const text = header('conn', CONN_FIELDS, CONN_TYPES) + long + connRow() + CLOSE;
    const { events, health } = await readWith(zeekReader, text, { limits: { max_line_length: 2048 } });
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('input.line_too_long')).toBe(1);
  });

  it('replaces invalid UTF-8 instead of failing', async () => {
    const bytes = Buffer.concat([Buffer.from(header('conn', CONN_FIELDS, CONN_TYPES)), Buffer.from(connRow({ uid: 'XX' }).replace('XX', '\u0000'), 'utf8')]);
    bytes[bytes.indexOf(0, 200)] = 0xff;
    const { events } = await readWith(zeekReader, bytes);
    expect((events[0] as FlowEvent).uid).toBe('\uFFFD');
  });

  it('stops a file with an error after the budget of consecutive bad lines', async () => {
    const text = header('conn', CONN_FIELDS, CONN_TYPES) + 'garbage\n'.repeat(5) + connRow();
    const { events, error, health } = await readWith(zeekReader, text, { limits: { max_consecutive_bad_lines: 5 } });
    expect(events).toHaveLength(0);
    expect(error?.message).toMatch(/test-input: line 13: 5 bad lines in a row/);
    expect(health.anomalies.count('zeek.field_count')).toBe(5);
  });

  it('resets the bad-line budget after a good line', async () => {
    const text = header('conn', CONN_FIELDS, CONN_TYPES) + ('garbage\n'.repeat(4) + connRow()).repeat(3);
    const { events, error } = await readWith(zeekReader, text, { limits: { max_consecutive_bad_lines: 5 } });
    expect(error).toBeUndefined();
    expect(events).toHaveLength(3);
  });

  it('rejects data before #fields and #fields/#types of different lengths', async () => {
    const noFields = '#separator \\x09\n#path\tconn\n' + connRow();
    expect((await readWith(zeekReader, noFields)).error?.message).toMatch(/line 3: data before any #fields header/);
    const mismatch = header('conn', CONN_FIELDS, CONN_TYPES.slice(1)) + connRow();
    expect((await readWith(zeekReader, mismatch)).error?.message).toMatch(/#fields has 18 columns but #types has 17/);
  });

  it('passes over logs it does not use, with one note', async () => {
    const text = header('weird', ['ts', 'name'], ['time', 'string']) + '1.0\tbad_TCP_checksum\n2.0\tx\n' + CLOSE;
    const { events, health } = await readWith(zeekReader, text);
    expect(events).toEqual([]);
    expect(health.notes).toEqual([expect.stringMatching(/^weird log passed over/)]);
    expect(health.anomalies.total).toBe(0);
  });
});

describe('zeek JSON reader', () => {
  it('reads epoch and ISO 8601 timestamps, flattened and nested ids', async () => {
    const lines = [
      '{"ts":1700000000.5,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":1,"id.resp_h":"10.0.0.9","id.resp_p":445,"proto":"tcp","conn_state":"SF","orig_bytes":11000000}',
      '{"ts":"2023-11-14T22:13:20.250001Z","uid":"C2","id":{"orig_h":"10.0.0.5","orig_p":2,"resp_h":"10.0.0.9","resp_p":445},"proto":"tcp","conn_state":"SF"}',
      '{"_path":"http","ts":5,"uid":"H1","id.orig_h":"10.0.0.5","id.orig_p":3,"id.resp_h":"10.0.0.9","id.resp_p":80,"method":"GET","uri":"/"}',
    ].join('\n');
    const { events, health } = await readWith(zeekReader, lines);
    expect(health.anomalies.total).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['flow', 'flow', 'http']);
    expect(events[0]!.ts).toBe(1700000000.5);
    expect(events[1]!.ts).toBeCloseTo(1700000000.250001, 6);
    expect((events[1] as FlowEvent).dst_port).toBe(445);
    expect((events[0] as FlowEvent).bytes_out).toBe(11000000);
  });

  it('counts broken JSON lines and rows of unknown logs', async () => {
    const lines = ['{"ts":1,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":1,"id.resp_h":"10.0.0.9","id.resp_p":21,"proto":"tcp","conn_state":"SF"}', '{"ts":2,', '[1,2]', '{"ts":3,"uid":"x","note":"y"}', '{"_path":"notice","ts":4}'].join('\n');
    const { events, health } = await readWith(zeekReader, lines);
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('zeek.bad_json')).toBe(2);
    expect(health.anomalies.count('zeek.unknown_json_row')).toBe(1);
    expect(health.notes.join()).toMatch(/notice log passed over/);
  });

  it('checks JSON numbers against the column type: counts whole and non-negative, numbers given as text parsed', async () => {
    const row = (extra: string) => `{"ts":1,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":1,"id.resp_h":"10.0.0.9","id.resp_p":21,"proto":"tcp","conn_state":"SF"${extra}}`;
    const lines = [row(',"orig_bytes":1.5'), row(',"orig_bytes":-3'), row(',"resp_pkts":"42","duration":"0.25"'), row(',"duration":true')].join('\n');
    const { events, health } = await readWith(zeekReader, lines);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ pkts_in: 42, duration: 0.25 });
    expect(health.anomalies.count('zeek.bad_value')).toBe(3);
  });

  it('keeps __proto__ keys as data and never reads them', async () => {
    const line = '{"ts":1,"uid":"C1","__proto__":{"polluted":true},"id.orig_h":"10.0.0.5","id.orig_p":1,"id.resp_h":"10.0.0.9","id.resp_p":21,"proto":"tcp","conn_state":"SF"}';
    const { events } = await readWith(zeekReader, line);
    expect(events).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads gzip-compressed logs through the pipeline', async () => {
    const { tempDir, hunt } = await import('../../../test/harness.js');
    const text = header('conn', CONN_FIELDS, CONN_TYPES) + connRow() + CLOSE;
    const dir = tempDir({ 'conn.log.gz': gzipSync(text), 'renamed.txt': gzipSync(text) });
    const { summary } = await hunt([dir]);
    expect(summary.inputs.map((i) => [i.format, i.compression, i.events])).toEqual([
      ['zeek', ['gzip'], 1],
      ['zeek', ['gzip'], 1],
    ]);
  });
});
