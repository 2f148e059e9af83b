import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../pipeline/config.js';
import { run } from '../../pipeline/run.js';
import type { Event } from '../../core/events.js';
import { main } from '../../cli/main.js';
import { APP_PROTOCOLS } from '../../protocols/index.js';
import { hasSharedData, sharedPath } from '../../../test/shared-data.js';
import { ethernet, fillChecksums, flows, ipv4, pcap, runCapture, tcpConversation, tcpFrame, udpDatagram, udpFrame, type CaptureRecord } from '../../../test/packets.js';
import { MAX_RECORD_BYTES } from './framing.js';

const T = 1_700_000_000;

describe('capture reader in the pipeline', () => {
  it('reads gzip-compressed captures by magic and rejects other formats under a capture name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exfilscope-capture-'));
    writeFileSync(join(dir, 'a.pcap'), gzipSync(pcap(tcpConversation({ dport: 21 }))));
    writeFileSync(join(dir, 'b.pcap'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]));
    const events: Event[] = [];
    const summary = await run([join(dir, 'a.pcap'), join(dir, 'b.pcap')], { config: parseConfig({}), detect: false, onEvents: (b) => events.push(...b) });
    expect(summary.inputs[0]).toMatchObject({ format: 'pcap', compression: ['gzip'], records: 8 });
    expect(summary.inputs[1]?.error).toMatch(/^unknown format \(first bytes: ff d8 ff e0/);
    expect(flows(events)[0]).toMatchObject({ dst_port: 21, conn_state: 'SF', source: { reader: 'pcap', path: join(dir, 'a.pcap'), offset: 24 } });
  });

  it('validates its options: every limit is a named key with a default', () => {
    expect(() => parseConfig({ readers: { pcap: { max_flows: 0 } } })).toThrow(/readers.pcap.max_flows/);
    expect(() => parseConfig({ readers: { pcap: { no_such_limit: 1 } } })).toThrow();
    expect((parseConfig({}).readers.pcap as { max_flows: number }).max_flows).toBe(200_000);
    expect((parseConfig({}).readers.pcap as { conn_key: string }).conn_key).toBe('five-tuple');
    expect(() => parseConfig({ readers: { pcap: { conn_key: 'vlan' } } })).toThrow(/readers.pcap.conn_key/);
  });
});

describe('framing a chunk in slices', () => {
  it('hands events on every 256 KiB of a large chunk and still reads a record longer than a slice', async () => {
    // DNS responses (12-byte headers, no records): each one is an event as soon as it is read.
    const response = Uint8Array.from([0, 1, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]);
    const answer = (port: number, i: number): CaptureRecord => ({ ts: T + i / 1000, data: udpFrame('10.0.0.2', '10.0.0.1', 53, port, response) });
    // A maximum-size record: a UDP frame padded out to libpcap's 256 KiB record cap.
    const big = new Uint8Array(MAX_RECORD_BYTES);
    big.set(udpFrame('10.0.0.2', '10.0.0.1', 53, 21000, response));
    const records = [...Array.from({ length: 6000 }, (_, i) => answer(10000 + (i % 3), i)), { ts: T + 7, data: big }, answer(30000, 8000)];
    const file = pcap(records);
    const { events, health, batches } = await runCapture(file, {}, APP_PROTOCOLS, file.length);
    expect(health.records).toBe(records.length);
    expect(health.anomalies.total).toBe(0);
    expect(events.filter((e) => e.kind === 'dns')).toHaveLength(records.length);
    expect(flows(events).map((f) => [f.src_port, f.pkts_in])).toEqual([[10000, 2000], [10001, 2000], [10002, 2000], [21000, 1], [30000, 1]]);
    // The whole file in one chunk: its events come in a batch per slice, not all at once.
    expect(batches).toBeGreaterThanOrEqual(Math.floor(file.length / (256 * 1024)));
  });
});

describe('hostile captures (RELIABILITY A6, A10, C22)', () => {
  it('decodes a small-snaplen capture, notes it once and counts volume from IP lengths', async () => {
    const records = tcpConversation({ request: 'x'.repeat(1000), response: 'y'.repeat(2000) }).map((r) => ({ ts: r.ts, data: r.data.subarray(0, Math.min(r.data.length, 54)), wire: r.data.length }));
    const { events, health } = await runCapture(pcap(records, { snaplen: 54 }));
    expect(health.notes.filter((n) => n.startsWith('snaplen-limited'))).toHaveLength(1);
    expect(flows(events)[0]).toMatchObject({ bytes_out: 1000, bytes_in: 2000, conn_state: 'SF' });
    // No payload was seen, so no payload sample claims to describe it.
    expect(events.filter((e) => e.kind === 'payload')).toHaveLength(0);
  });

  it('survives random byte corruption of a valid capture (deterministic fuzzing)', async () => {
    const clean = pcap([...tcpConversation({ request: 'a'.repeat(3000) }), ...tcpConversation({ sport: 40001, t0: T + 5 })]);
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let round = 0; round < 300; round++) {
      const bad = clean.slice();
      for (let i = 0; i < 20; i++) bad[24 + Math.floor(random() * (bad.length - 24))] = Math.floor(random() * 256);
      const { health } = await runCapture(bad);
      // Either read with counted damage, or stopped with a located error: never an unexpected exception.
      if (health.error !== undefined) expect(health.error).toMatch(/^at byte \d+: /);
    }
  });

  it('does not deliver data carried by RST, and restarts on a SYN with a different ISN', async () => {
    const base = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 8080 };
    const records: CaptureRecord[] = [
      { ts: T, data: tcpFrame({ ...base, seq: 100, flags: 'S' }) },
      { ts: T + 0.5, data: tcpFrame({ ...base, seq: 5000, flags: 'S' }) },
      { ts: T + 0.6, data: tcpFrame({ ...base, src: '10.0.0.2', dst: '10.0.0.1', sport: 8080, dport: 40000, seq: 1, ack: 5001, flags: 'SA' }) },
      { ts: T + 0.7, data: tcpFrame({ ...base, seq: 5001, ack: 2, flags: 'RA', payload: 'hidden' }) },
    ];
    const { events } = await runCapture(pcap(records));
    expect(flows(events).map((f) => [f.history, f.conn_state])).toEqual([['S', 'S0'], ['ShR', 'RSTO']]);
    expect(events.filter((e) => e.kind === 'payload')).toHaveLength(0);
  });
});

describe('tunnels', () => {
  it('decapsulates VXLAN up to max_tunnel_depth and counts deeper layers', async () => {
    let frame = ethernet(ipv4({ src: '10.9.9.1', dst: '10.9.9.2', proto: 17 }, udpDatagram(5000, 53, 'query')));
    for (let layer = 0; layer < 3; layer++) {
      const vxlan = new Uint8Array(8 + frame.length);
      vxlan[0] = 0x08;
      vxlan.set(frame, 8);
      frame = ethernet(ipv4({ src: `10.0.${layer}.1`, dst: `10.0.${layer}.2`, proto: 17 }, udpDatagram(40000 + layer, 4789, vxlan)));
    }
    const deep = await runCapture(pcap([{ ts: T, data: frame }]), { max_tunnel_depth: 3 });
    expect(flows(deep.events).map((f) => [f.dst_ip, f.dst_port, f.service])).toEqual([
      ['10.0.2.2', 4789, 'vxlan'], ['10.0.1.2', 4789, 'vxlan'], ['10.0.0.2', 4789, 'vxlan'], ['10.9.9.2', 53, undefined],
    ]);
    // Zeek's Tunnel::max_depth is 4: three layers are followed by default.
    expect(flows((await runCapture(pcap([{ ts: T, data: frame }]))).events)).toHaveLength(4);
    const capped = await runCapture(pcap([{ ts: T, data: frame }]), { max_tunnel_depth: 1 });
    // As Zeek (max-depth-exceeded): the connection carrying the layer too deep names no tunnel and gains X.
    expect(flows(capped.events).map((f) => [f.dst_ip, f.service, f.history])).toEqual([['10.0.2.2', 'vxlan', 'D'], ['10.0.1.2', undefined, 'DX']]);
    expect(capped.health.anomalies.count('decode.tunnel_depth_exceeded')).toBe(1);
  });

  it('marks a connection whose tunnels change more than max_tunnel_changes times with X (Zeek tunnel_changed limit)', async () => {
    // Each direction of the inner conversation rides its own VXLAN connection: every packet changes the tunnel.
    const inner = (from: string, to: string, sport: number, dport: number) => ethernet(ipv4({ src: from, dst: to, proto: 17 }, udpDatagram(sport, dport, 'x')));
    const wrapped = (i: number) => {
      const frame = i % 2 === 0 ? inner('10.9.9.1', '10.9.9.2', 5000, 6000) : inner('10.9.9.2', '10.9.9.1', 6000, 5000);
      const vxlan = new Uint8Array(8 + frame.length);
      vxlan[0] = 0x08;
      vxlan.set(frame, 8);
      const [src, dst] = i % 2 === 0 ? ['10.0.0.1', '10.0.0.2'] : ['10.0.0.2', '10.0.0.1'];
      return { ts: T + i, data: ethernet(ipv4({ src, dst, proto: 17 }, udpDatagram(40000 + (i % 2), 4789, vxlan))) };
    };
    const records = Array.from({ length: 8 }, (_, i) => wrapped(i));
    const innerFlow = async (options = {}) => {
      const { events, health } = await runCapture(pcap(records), options);
      return { flow: flows(events).find((f) => f.dst_port === 6000), health };
    };
    const { flow, health } = await innerFlow();
    expect(flow?.history).toBe('DdX'); // 7 changes: the 6th is past the limit of 5
    expect(health.anomalies.count('flow.tunnel_changes_exceeded')).toBe(1);
    expect((await innerFlow({ max_tunnel_changes: 7 })).flow?.history).toBe('Dd');
  });

  it('decapsulates GRE in UDP (RFC 8086) and, as Zeek, names no service for the outer connection', async () => {
    const innerPacket = ipv4({ src: '10.9.9.1', dst: '10.9.9.2', proto: 17 }, udpDatagram(5000, 53, 'query'));
    const gre = Uint8Array.from([0, 0, 0x08, 0x00, ...innerPacket]);
    const frame = ethernet(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, udpDatagram(40000, 4754, gre)));
    const { events } = await runCapture(pcap([{ ts: T, data: frame }]));
    expect(flows(events).map((f) => [f.dst_ip, f.dst_port, f.service])).toEqual([['10.0.0.2', 4754, undefined], ['10.9.9.2', 53, undefined]]);
  });

  it.skipIf(!hasSharedData)('follows Teredo through a relay port and confirms it only once both directions carried it (Zeek Teredo.pcap)', async () => {
    const { events } = await runCapture(readFileSync(sharedPath('zeek', 'testing', 'btest', 'Traces', 'tunnels', 'Teredo.pcap')), {}, APP_PROTOCOLS);
    const byPeer = new Map(flows(events).map((f) => [`${f.dst_ip}|${f.dst_port}`, f]));
    // The server at .81 only answered: Zeek leaves such a connection unconfirmed (Tunnel::delay_teredo_confirmation).
    expect(byPeer.get('65.55.158.81|3544')?.service).toBeUndefined();
    expect(byPeer.get('65.55.158.80|3544')?.service).toBe('teredo');
    expect(byPeer.get('83.170.1.38|32900')?.service).toBe('teredo');
    expect(byPeer.get('2001:4860:0:2001::68|80')).toMatchObject({ service: 'http', bytes_out: 1675, bytes_in: 10467, conn_state: 'S1' });
    expect(events.filter((e) => e.kind === 'http' && e.dst_ip === '2001:4860:0:2001::68').map((e) => e.kind === 'http' && e.uri)).toEqual(['/', '/search?hl=en&q=Wireshark+!&btnG=Google+Search']);
    // The DNS conversation silent for 16 s is two connections, as after Zeek's dns_session_timeout (10 s).
    expect(flows(events).filter((f) => f.dst_port === 53 && f.dst_ip === '192.168.2.1').map((f) => [f.pkts_out, f.pkts_in, f.service])).toEqual([[2, 2, 'dns'], [3, 3, 'dns']]);
    // Bubbles (IPv6 with no next header) are not connections.
    expect(flows(events).filter((f) => f.proto !== 'tcp' && f.proto !== 'udp' && f.proto !== 'icmp')).toEqual([]);
    const undelayed = await runCapture(readFileSync(sharedPath('zeek', 'testing', 'btest', 'Traces', 'tunnels', 'Teredo.pcap')), { delay_teredo_confirmation: false });
    expect(flows(undelayed.events).find((f) => f.dst_ip === '65.55.158.81')?.service).toBe('teredo');
  });
});

describe('frames carried beside each other', () => {
  it.skipIf(!hasSharedData)('counts every 802.11 A-MSDU subframe of an Aruba GRE tunnel (Zeek gre-aruba-amsdu.pcap)', async () => {
    const { events } = await runCapture(readFileSync(sharedPath('zeek', 'testing', 'btest', 'Traces', 'tunnels', 'gre-aruba-amsdu.pcap')), { likely_server_ports: [] });
    expect(flows(events).map((f) => [f.src_ip, f.src_port, f.dst_ip, f.dst_port, f.pkts_out, f.ip_bytes_out, f.history, f.duration])).toEqual([
      ['157.240.18.16', 443, '149.159.130.184', 49392, 2, 356, 'D', 0],
    ]);
  });
});

describe('connection key', () => {
  it.skipIf(!hasSharedData)('tells the same five-tuple apart by VLAN tags with conn_key vlan-five-tuple (Zeek vlan-collisions.pcap)', async () => {
    const capture = readFileSync(sharedPath('zeek', 'testing', 'btest', 'Traces', 'vlan-collisions.pcap'));
    // Three overlapping connections on one five-tuple, untagged, in VLAN 42 and in VLANs 10/20.
    const merged = flows((await runCapture(capture)).events);
    expect(merged.map((f) => [f.pkts_out, f.pkts_in])).toEqual([[21, 21]]);
    const apart = flows((await runCapture(capture, { conn_key: 'vlan-five-tuple' })).events);
    expect(apart.map((f) => [f.src_port, f.dst_port, f.pkts_out, f.pkts_in, f.conn_state])).toEqual([
      [59856, 80, 7, 7, 'SF'], [59856, 80, 7, 7, 'SF'], [59856, 80, 7, 7, 'SF'],
    ]);
  });
});

describe('exfilscope logs', () => {
  it('writes conn.log in Zeek TSV and JSON from a capture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exfilscope-logs-'));
    writeFileSync(join(dir, 'c.pcap'), pcap(tcpConversation({ request: 'abc', response: 'defg' })));
    expect(await main(['node', 'exfilscope', 'logs', join(dir, 'c.pcap'), '-o', join(dir, 'tsv'), '-q'])).toBe(0);
    const tsv = readFileSync(join(dir, 'tsv', 'conn.log'), 'utf8').split('\n');
    expect(tsv[0]).toBe('#separator \\x09');
    expect(tsv.find((l) => !l.startsWith('#'))?.split('\t').slice(2, 14)).toEqual(['10.0.0.1', '40000', '10.0.0.2', '80', 'tcp', '-', '0.600000', '3', '4', 'SF', '0', 'ShADdFf']);
    expect(tsv.at(-2)).toMatch(/^#close\t/);
    expect(await main(['node', 'exfilscope', 'logs', join(dir, 'c.pcap'), '-o', join(dir, 'json'), '--format', 'zeek-json', '-q'])).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'json', 'conn.log'), 'utf8'))).toMatchObject({ 'id.resp_p': 80, conn_state: 'SF', orig_bytes: 3 });
  });
});

describe('roles decided by an analyzer', () => {
  it.skipIf(!hasSharedData)('turns a DNS conversation round when it starts with a response (Zeek dns53.pcap, both ports 53)', async () => {
    const { events } = await runCapture(readFileSync(sharedPath('zeek', 'testing', 'btest', 'Traces', 'dns53.pcap')), {}, APP_PROTOCOLS);
    const dns = events.filter((e) => e.kind === 'dns');
    expect(dns.map((e) => [e.src_ip, e.dst_ip, e.kind === 'dns' && e.query])).toEqual([['10.20.1.31', '207.158.192.40', 'us.v27.distributed.net']]);
    // As in Zeek, the response was counted, and its history letter written, for the originator before the DNS
    // analyzer turned the roles: they stay the originator's (Zeek's misordered-ntp baseline shows the same).
    expect(flows(events).map((f) => [f.src_ip, f.dst_ip, f.pkts_out, f.pkts_in, f.history])).toEqual([['10.20.1.31', '207.158.192.40', 1, 0, 'D^']]);
  });

  it('does not turn a TCP connection whose streams are already being reassembled', async () => {
    // A DNS response (id 1, one question for "a", no answers) sent by the originator over TCP.
    const response = Uint8Array.from([0, 19, 0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1]);
    const up = (seq: number, flags: string, payload?: Uint8Array) => tcpFrame({ sport: 40000, dport: 53, seq, ack: 5001, flags, payload });
    const records: CaptureRecord[] = [
      { ts: T, data: up(1000, 'S') },
      { ts: T + 0.1, data: tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 53, dport: 40000, seq: 5000, ack: 1001, flags: 'SA' }) },
      { ts: T + 0.2, data: up(1001, 'PA', response) },
    ];
    const { events } = await runCapture(pcap(records), {}, APP_PROTOCOLS);
    expect(events.filter((e) => e.kind === 'dns').map((e) => [e.src_ip, e.kind === 'dns' && e.query])).toEqual([['10.0.0.1', 'a']]);
    expect(flows(events).map((f) => [f.src_ip, f.history])).toEqual([['10.0.0.1', 'ShD']]);
  });
});

describe('NFLOG captures', () => {
  it('reads TLV fields in the byte order of the file that holds them, as libpcap does', async () => {
    const ip = ipv4({ src: '10.0.2.15', dst: '93.184.216.34', proto: 17 }, udpDatagram(5353, 53, 'q'));
    const record = (bigEndian: boolean) => {
      const out = new Uint8Array(8 + ip.length);
      const view = new DataView(out.buffer);
      out.set([2, 0, 0, 42]);
      view.setUint16(4, 4 + ip.length, !bigEndian);
      view.setUint16(6, 9, !bigEndian);
      out.set(ip, 8);
      return out;
    };
    for (const bigEndian of [false, true]) {
      const { events } = await runCapture(pcap([{ ts: T, data: record(bigEndian) }], { linktype: 239, bigEndian }));
      expect(flows(events).map((f) => [f.src_ip, f.dst_port])).toEqual([['10.0.2.15', 53]]);
    }
  });
});

describe('checksums (RELIABILITY B14)', () => {
  const good = () => fillChecksums(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6 }, tcpSegmentFor('S')));
  function tcpSegmentFor(flags: string): Uint8Array {
    return tcpFrame({ sport: 1, dport: 2, seq: 10, flags }).subarray(14 + 20);
  }

  it('ignores checksums by default (offloading) and, when verifying, notes a corrupt packet as Zeek does', async () => {
    const bad = good();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0x01;
    const records = [{ ts: T, data: ethernet(bad) }];
    expect(flows((await runCapture(pcap(records))).events)[0]).toMatchObject({ history: 'S', pkts_out: 1, conn_state: 'S0' });
    const verified = await runCapture(pcap(records), { checksums: 'verify' });
    expect(flows(verified.events)[0]).toMatchObject({ history: 'C', pkts_out: 0, conn_state: 'OTH' });
    expect(verified.health.anomalies.count('decode.bad_checksum')).toBe(1);
    const fine = await runCapture(pcap([{ ts: T, data: ethernet(good()) }]), { checksums: 'verify' });
    expect(flows(fine.events)[0]).toMatchObject({ history: 'S', pkts_out: 1 });
  });
});
