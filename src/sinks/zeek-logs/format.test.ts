import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../core/events.js';
import { protocolText } from '../../protocols/common/text.js';
import { connLog } from './conn-log.js';
import { escapeTsv, jsonRow, tsvHeader, tsvRow } from './format.js';
import type { ZeekLog } from './zeek-log.js';

const flow: FlowEvent = {
  kind: 'flow', ts: 1362692526.869344, source: { reader: 'pcap', path: 'x' }, uid: 'C1', src_ip: '141.142.228.5', src_port: 59856,
  dst_ip: '192.150.187.43', dst_port: 80, proto: 'tcp', duration: 0.211484, bytes_out: 136, bytes_in: 5007, conn_state: 'SF',
  missed_bytes: 0, history: 'ShADadFf', pkts_out: 7, pkts_in: 7, ip_bytes_out: 512, ip_bytes_in: 5379,
};

describe('Zeek log formats', () => {
  it('writes conn.log rows in Zeek TSV with its header lines', () => {
    expect(tsvHeader(connLog, '2026-01-01-00-00-00')).toContain('#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration');
    expect(tsvRow(connLog, connLog.row(flow)!)).toBe(
      '1362692526.869344\tC1\t141.142.228.5\t59856\t192.150.187.43\t80\ttcp\t-\t0.211484\t136\t5007\tSF\t0\tShADadFf\t7\t512\t7\t5379\n',
    );
  });

  it('leaves duration and byte counts unset for a connection of no duration (one packet, or several at one instant), as Zeek does', () => {
    const single = connLog.row({ ...flow, pkts_out: 1, pkts_in: 0, duration: 0, history: '' })!;
    expect(tsvRow(connLog, single).split('\t').slice(8, 14)).toEqual(['-', '-', '-', 'SF', '0', '-']);
    const instant = connLog.row({ ...flow, pkts_out: 2, pkts_in: 0, duration: 0, bytes_out: 252, bytes_in: 0, history: 'D' })!;
    expect(tsvRow(connLog, instant).split('\t').slice(8, 11)).toEqual(['-', '-', '-']);
  });

  it('escapes separators, control bytes and look-alikes of the unset and empty markers', () => {
    expect(escapeTsv('a\tb\nc\\d\x1b[2J')).toBe('a\\x09b\\x0ac\\\\d\\x1b[2J');
    expect(escapeTsv('-')).toBe('\\x2d');
    expect(escapeTsv('(empty)')).toBe('\\x28empty)');
    const setLog: ZeekLog<'dns'> = {
      path: 'dns', kind: 'dns', fields: [{ name: 'answers', type: 'vector[string]' }, { name: 'ttls', type: 'vector[interval]' }],
      row: (e) => [e.answers, e.ttls],
    };
    expect(tsvRow(setLog, [['a,b', 'c'], [60]])).toBe('a\\x2cb,c\t60.000000\n');
    expect(tsvRow(setLog, [[], undefined])).toBe('(empty)\t-\n');
  });

  it('prints bytes that were not valid UTF-8 as \\xNN and an empty string as Zeek\'s empty marker', () => {
    const setLog: ZeekLog<'http'> = { path: 'http', kind: 'http', fields: [{ name: 'uri', type: 'string' }, { name: 'host', type: 'string' }], row: (e) => [e.uri, e.host_header] };
    expect(tsvRow(setLog, [protocolText(Uint8Array.from([0x2f, 0xfc, 0xc3, 0xbc])), ''])).toBe('/\\xfcü\t(empty)\n');
    expect(JSON.parse(jsonRow(setLog, [protocolText(Uint8Array.from([0x2f, 0xfc, 0xc3, 0xbc])), 'h']))).toEqual({ uri: '/\\xfcü', host: 'h' });
  });

  it('writes JSON lines with Zeek field names, omitting unset fields', () => {
    const line = JSON.parse(jsonRow(connLog, connLog.row(flow)!));
    expect(line).toMatchObject({ 'id.orig_h': '141.142.228.5', 'id.resp_p': 80, duration: 0.211484, history: 'ShADadFf' });
    expect('service' in line).toBe(false);
  });
});
