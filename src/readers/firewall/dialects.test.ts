// Each firewall dialect on lines in the formats the devices write (samples built from the format
// references cited in each parser; IPv6 kernel lines as nf_log_syslog prints them, zero-padded).
import { describe, expect, it } from 'vitest';
import { firewallOptions, parseFirewallLine } from './index.js';
import type { FirewallRecord } from './record.js';

const OPTIONS = firewallOptions.parse({ syslog_year: 2024 });

function record(line: string, options = OPTIONS): FirewallRecord {
  const outcome = parseFirewallLine(line, options);
  if (outcome === undefined || !('record' in outcome)) throw new Error(`not parsed: ${JSON.stringify(outcome)}`);
  return outcome.record;
}

describe('netfilter LOG', () => {
  it('reads a ufw block with its bracketed prefix and flags', () => {
    const r = record('Jan 10 12:00:00 web-01 kernel: [ 8123.456789] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.4 DST=10.0.0.5 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=54321 DF PROTO=TCP SPT=44444 DPT=22 WINDOW=29200 RES=0x00 SYN URGP=0');
    expect(r.dialect).toBe('netfilter');
    expect(r.facts).toMatchObject({ action: 'block', proto: 'tcp', src_ip: '203.0.113.4', src_port: 44444, dst_ip: '10.0.0.5', dst_port: 22, in_iface: 'eth0', rule: '[UFW BLOCK]', length: 60 });
    expect(r.facts!.out_iface).toBeUndefined();
    expect(r.fields.get('FLAGS')).toBe('DF SYN');
  });

  it('reads an outbound nftables IPv6 accept', () => {
    const r = record('Feb  2 03:04:05 gw kernel: nft-out-accept: IN= OUT=eth1 SRC=2001:0db8:0000:0000:0000:0000:0000:0010 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=12345 PROTO=UDP SPT=5353 DPT=53 LEN=40');
    expect(r.facts).toMatchObject({ action: 'allow', proto: 'udp', src_ip: '2001:0db8:0000:0000:0000:0000:0000:0010', dst_port: 53, out_iface: 'eth1', length: 80 });
    expect(r.fields.get('LEN_2')).toBe('40');
  });

  it('reads ICMP, which has no ports', () => {
    const r = record('Mar  3 01:02:03 gw kernel: IPT-REJECT IN=eth0 OUT= SRC=198.51.100.1 DST=10.0.0.5 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=ICMP TYPE=8 CODE=0 ID=77 SEQ=1');
    expect(r.facts).toMatchObject({ action: 'reject', proto: 'icmp', src_ip: '198.51.100.1' });
    expect(r.facts!.src_port).toBeUndefined();
  });
});

describe('filterlog', () => {
  it('reads IPv4 TCP, UDP and ICMP layouts', () => {
    const tcp = record('<134>Sep 28 10:38:09 pfSense filterlog[1]: 53,,,1000000301,em0,match,block,out,4,0x0,,64,420,0,DF,6,tcp,460,10.0.2.15,198.51.100.7,53742,21,420,PA,29633380:29633800,3617062173,65535,,');
    expect(tcp.facts).toMatchObject({ action: 'block', proto: 'tcp', src_ip: '10.0.2.15', src_port: 53742, dst_ip: '198.51.100.7', dst_port: 21, out_iface: 'em0', length: 460, rule: '1000000301' });
    expect(tcp.fields.get('tcp_flags')).toBe('PA');
    const udp = record('Sep 28 10:38:09 pfSense filterlog: 5,,,1000,em0,match,pass,out,4,0x0,,64,0,0,none,17,udp,61,10.0.0.9,8.8.8.8,40000,53,41');
    expect(udp.facts).toMatchObject({ action: 'allow', proto: 'udp', dst_port: 53, length: 61 });
    expect(udp.fields.get('data_length')).toBe('41');
    const icmp = record('Sep 28 10:38:09 pfSense filterlog: 5,,,1000,em0,match,pass,out,4,0x0,,64,0,0,none,1,icmp,1084,10.0.0.9,203.0.113.50,request,4242,1');
    expect(icmp.facts).toMatchObject({ proto: 'icmp', length: 1084, dst_ip: '203.0.113.50' });
    expect(icmp.fields.get('icmp_type')).toBe('request');
  });

  it('reads IPv6 TCP and UDP layouts', () => {
    const v6 = record('<134>1 2025-11-06T11:42:14.270789+00:00 firewall.lan filterlog 92653 - - 621,,,1644355515,vtnet0.10,match,block,in,6,0x00,0x07c63,64,UDP,17,44,fdfd:ace:ace:10::69,fdfd:ace:ace:5::6,65382,53,36');
    expect(v6.facts).toMatchObject({ proto: 'udp', src_ip: 'fdfd:ace:ace:10::69', dst_ip: 'fdfd:ace:ace:5::6', src_port: 65382, dst_port: 53, in_iface: 'vtnet0.10', length: 44 });
    expect(v6.fields.get('ip6_hop_limit')).toBe('64');
  });

  it('counts a cut CSV line as damaged', () => {
    expect(parseFirewallLine('Sep 28 10:38:09 pfSense filterlog: 5,,,1000,em0,match,pass,out,4,0x0', OPTIONS)).toEqual({ problem: 'bad_csv' });
  });
});

describe('OpenBSD pf text', () => {
  it('reads tcpdump -e -ttt output of pflog', () => {
    const r = record('Mar 01 12:00:00.123456 rule 2/(match) block out on em0: 192.168.1.10.51234 > 203.0.113.5.21: S 1234567:1234567(0) win 16384 <mss 1460> (DF)');
    expect(r.dialect).toBe('pf');
    expect(r.ts).toBeCloseTo(Date.UTC(2024, 2, 1, 12, 0, 0) / 1000 + 0.123456, 5);
    expect(r.facts).toMatchObject({ action: 'block', proto: 'tcp', src_ip: '192.168.1.10', src_port: 51234, dst_ip: '203.0.113.5', dst_port: 21, out_iface: 'em0', rule: '2' });
  });

  it('reads IPv6 addresses, a uid/pid annotation, UDP lengths and ICMP', () => {
    const udp = record('2024-03-01 12:00:00.5 rule 0/(match) [uid 0, pid 4242] pass out on vio0: 2001:db8::5.5353 > 2001:db8::53.53: UDP, length 512');
    expect(udp.facts).toMatchObject({ action: 'allow', proto: 'udp', src_ip: '2001:db8::5', src_port: 5353, dst_ip: '2001:db8::53', dst_port: 53, length: 512 });
    const icmp = record('Mar 01 12:00:01.000000 rule 5/(match) pass out on em0: 10.0.0.5 > 198.51.100.9: icmp: echo request');
    expect(icmp.facts).toMatchObject({ proto: 'icmp', src_ip: '10.0.0.5', dst_ip: '198.51.100.9' });
    expect(icmp.facts!.dst_port).toBeUndefined();
  });
});

describe('CEF', () => {
  it('unescapes the header (\\| and \\\\) and the extension (\\=, \\\\, \\n)', () => {
    const r = record('CEF:0|Acme\\|Corp|Fire\\\\wall|1.0|100|Conn allowed|3|src=10.0.0.5 dst=198.51.100.7 spt=40000 dpt=445 proto=TCP act=accept msg=a\\=b c\\\\d\\nnext cs1Label=Rule cs1=out-smb');
    expect(r.fields.get('cef_device_vendor')).toBe('Acme|Corp');
    expect(r.fields.get('cef_device_product')).toBe('Fire\\wall');
    expect(r.fields.get('msg')).toBe('a=b c\\d\nnext');
    expect(r.facts).toMatchObject({ action: 'allow', proto: 'tcp', src_ip: '10.0.0.5', dst_ip: '198.51.100.7', dst_port: 445, rule: 'out-smb' });
  });

  it('keeps values with spaces whole and splits only at the next key', () => {
    const r = record('CEF:0|V|P|1|1|n|1|request=http://x/?a=b&c=d suser=Jane Doe dst=10.0.0.1 src=10.0.0.2');
    expect(r.fields.get('request')).toBe('http://x/?a=b&c=d');
    expect(r.fields.get('suser')).toBe('Jane Doe');
  });

  it('sets byte counts for the volume analytics, with the vendor or specification reading of in/out', () => {
    const line = '<14>Oct 11 10:00:00 pa-fw CEF:0|Palo Alto Networks|PAN-OS|10.1|end|TRAFFIC|1|rt=Oct 11 2024 10:00:00 src=10.0.0.5 dst=203.0.113.9 spt=50000 dpt=21 proto=tcp act=allow out=62914560 in=4096';
    const vendor = record(line);
    expect(vendor.facts).toMatchObject({ bytes_out: 62914560, bytes_in: 4096, dst_port: 21 });
    expect(vendor.ts).toBe(Date.UTC(2024, 9, 11, 10, 0, 0) / 1000);
    const spec = record(line, firewallOptions.parse({ syslog_year: 2024, cef_out_is_source_bytes: false }));
    expect(spec.facts).toMatchObject({ bytes_out: 4096, bytes_in: 62914560 });
  });

  it('reads rt as epoch milliseconds and keeps non-traffic events as records without facts', () => {
    expect(record('CEF:0|V|P|1|1|n|1|rt=1700000000123 src=1.1.1.1 dst=2.2.2.2').ts).toBeCloseTo(1700000000.123, 3);
    expect(record('CEF:0|Ubiquiti|UniFi|9|544|Admin login|1|src=10.72.1.222 msg=Secure Admin').facts).toBeUndefined();
  });

  it('rejects a header with fewer than seven fields', () => {
    expect(parseFirewallLine('CEF:0|V|P|1|n', OPTIONS)).toEqual({ problem: 'bad_header' });
  });
});
