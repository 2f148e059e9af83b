// The firewall reader end to end: a mixed syslog file, the dump view, and hostile input (E35, E37, E40).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { EventOf } from '../../core/events.js';
import { openInput } from '../io/open.js';
import { readEvents, readRecords, streamOf } from '../testing.js';
import { firewallReader } from './index.js';

const mixed = readFileSync(new URL('./testdata/mixed-syslog.log', import.meta.url));
const firewall = (items: { kind: string }[]) => items as EventOf<'firewall'>[];

describe('firewall reader', () => {
  it('sniffs any firewall dialect among the first lines, and not other text', () => {
    expect(firewallReader.sniff(mixed)).toBe(true);
    expect(firewallReader.sniff(Buffer.from('Oct 11 10:00:03 gw01 sshd[2211]: Accepted publickey\n'))).toBe(false);
    expect(firewallReader.sniff(Buffer.from('type=SYSCALL msg=audit(1.0:1): saddr=0200\n'))).toBe(false);
  });

  it('reads every dialect of a mixed syslog file and passes over other programs\' lines', async () => {
    const { items, health } = await readEvents(firewallReader, mixed, { syslog_year: 2024 });
    const events = firewall(items);
    expect(events.map((e) => e.source.line)).toEqual([2, 3, 5, 6, 7, 8, 10]);
    expect(health.anomalies.count('firewall.other_line')).toBe(2);
    expect(health.anomalies.count('firewall.not_traffic')).toBe(1);
    expect(events[0]).toMatchObject({ kind: 'firewall', ts: Date.UTC(2024, 9, 11, 10, 0, 1) / 1000, host: '10.0.0.42', action: 'allow', proto: 'tcp', dst_ip: '203.0.113.9', dst_port: 21, in_iface: 'eth1', out_iface: 'eth0', rule: 'OUT-FTP-ALLOW:', length: 60 });
    expect(events[2]).toMatchObject({ proto: 'udp', dst_port: 53, length: 1052, action: 'allow' });
    expect(events[6]).toMatchObject({ proto: 'tcp', src_port: 51600, dst_port: 21, out_iface: 'em0', rule: '3' });
  });

  it('gives the volume analytic per-session byte counts where the log has them', async () => {
    const { items } = await readEvents(firewallReader, mixed, { syslog_year: 2024 });
    const uploads = firewall(items).filter((e) => e.bytes_out !== undefined);
    expect(uploads.map((e) => [e.host, e.dst_ip, e.dst_port, e.bytes_out, e.bytes_in])).toEqual([
      ['10.0.0.42', '203.0.113.9', 21, 20971520, 5120],
      ['10.0.0.42', '203.0.113.9', 21, 23068672, 5120],
      ['10.0.0.42', '203.0.113.9', 21, 25165824, 5120],
    ]);
    expect(uploads.map((e) => e.ts)).toEqual([0, 15, 30].map((m) => Date.UTC(2024, 9, 11, 10, 5 + m) / 1000));
    // Per-packet logs (netfilter, filterlog, pf) carry a packet length, never a session's byte total.
    expect(firewall(items).filter((e) => e.bytes_out === undefined).map((e) => e.source.line)).toEqual([2, 3, 5, 10]);
  });

  it('skips and counts a traffic line with no time at all, and keeps one whose time is in the message', async () => {
    const text = ['CEF:0|V|P|1|1|n|1|src=10.0.0.5 dst=203.0.113.9 spt=40000 dpt=21 proto=TCP out=20000000', 'CEF:0|V|P|1|1|n|1|rt=1700000000000 src=10.0.0.5 dst=203.0.113.9 dpt=21 proto=TCP'].join('\n');
    const { items, health } = await readEvents(firewallReader, Buffer.from(text));
    expect(firewall(items).map((e) => [e.ts, e.source.line])).toEqual([[1700000000, 2]]);
    expect(health.anomalies.count('firewall.no_timestamp')).toBe(1);
  });

  it('writes canonical IPv6 addresses into events and keeps the logged text in records', async () => {
    const line = 'Feb  2 03:04:05 gw kernel: IN= OUT=eth1 SRC=2001:0db8:0000:0000:0000:0000:0000:0010 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=443\n';
    const { items } = await readEvents(firewallReader, line);
    expect(firewall(items)[0]).toMatchObject({ src_ip: '2001:db8::10', dst_ip: '2001:db8::2', host: '2001:db8::10' });
    const { items: records } = await readRecords(firewallReader, line);
    expect(records[0]).toMatchObject({ dialect: 'netfilter', fields: { SRC: '2001:0db8:0000:0000:0000:0000:0000:0010' } });
  });

  it('dumps every recognised record, non-traffic CEF included, with its syslog header', async () => {
    const { items } = await readRecords(firewallReader, mixed, { syslog_year: 2024 });
    expect(items.map((r) => (r as { dialect: string }).dialect)).toEqual(['netfilter', 'netfilter', 'filterlog', 'cef', 'cef', 'cef', 'cef', 'pf']);
    expect(items[2]).toMatchObject({ line: 5, syslog: { priority: 134, host: 'pfsense', program: 'filterlog', pid: '3390' }, fields: { tracker: '1000002620', ip4_proto: 'udp' } });
    // `host CEF:0|…` is a CEF message, not a syslog tag named CEF.
    expect(items[3]).toMatchObject({ dialect: 'cef', syslog: { host: 'pa-fw' } });
    expect((items[3] as { syslog: { program?: string } }).syslog.program).toBeUndefined();
  });

  it('skips a 10 MB line, CRLF endings and invalid UTF-8 without losing the lines around them (E35, E37)', async () => {
    const lines = mixed.toString('utf8').split('\n');
    const hostile = Buffer.concat([
      Buffer.from(lines.slice(0, 3).join('\r\n') + '\r\n'),
      Buffer.from('Oct 11 10:00:02 gw01 kernel: IN=eth0 SRC=' + 'A'.repeat(10 * 1024 * 1024) + '\n'),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from(lines.slice(3).join('\n')),
    ]);
    const { items, health } = await readEvents(firewallReader, streamOf(hostile), { syslog_year: 2024 }, { max_line_length: 4096 });
    expect(health.anomalies.count('input.line_too_long')).toBe(1);
    expect(firewall(items)).toHaveLength(7);
    expect(firewall(items)[0]!.rule).toBe('OUT-FTP-ALLOW:');
  });

  it('processes a truncated .gz up to the damage, then fails naming the line (E40)', async () => {
    const many = Buffer.from(Array.from({ length: 3000 }, (_, i) => `<134>Oct 11 10:00:04 pfsense filterlog[3390]: 84,,,100,em0,match,pass,out,4,0x0,,63,${i},0,DF,17,udp,1052,10.0.0.${i % 250},198.51.100.53,41234,53,1032`).join('\n'));
    const gz = gzipSync(many);
    const opened = await openInput(streamOf(gz.subarray(0, Math.floor(gz.length * 0.6)), 4096));
    const { items, error } = await readEvents(firewallReader, opened.stream);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where?.line).toBe(items.length + 1);
    expect(items.length).toBeGreaterThan(100);
    expect(items.length).toBeLessThan(3000);
  });

  it('stops after max_consecutive_bad_lines damaged firewall lines', async () => {
    const bad = 'Sep 28 10:38:09 pfSense filterlog: 5,,,1000,em0,match,pass,out,4,0x0\n'.repeat(20);
    const { error, health } = await readEvents(firewallReader, bad, {}, { max_consecutive_bad_lines: 5 });
    expect(error).toBeInstanceOf(InputError);
    expect(health.anomalies.count('firewall.bad_csv')).toBe(5);
  });
});
