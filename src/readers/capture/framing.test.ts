import { describe, expect, it } from 'vitest';
import { concat, epb, flows, idb, pcap, pcapngBlock, runCapture, shb, spb, tcpConversation, udpFrame } from '../../../test/packets.js';

const udp = udpFrame('192.0.2.1', '192.0.2.2', 5000, 6000, 'payload');

describe('pcap framing', () => {
  it.each([
    ['little-endian µs', { bigEndian: false, nanos: false }],
    ['big-endian µs', { bigEndian: true, nanos: false }],
    ['little-endian ns', { bigEndian: false, nanos: true }],
    ['big-endian ns', { bigEndian: true, nanos: true }],
  ])('reads %s captures with exact timestamps', async (_name, options) => {
    const { events, health } = await runCapture(pcap([{ ts: 1_600_000_000.25, data: udp }, { ts: 1_600_000_001.5, data: udp }], options));
    expect(health.error).toBeUndefined();
    expect(health.records).toBe(2);
    const [flow] = flows(events);
    expect(flow?.ts).toBeCloseTo(1_600_000_000.25, 6);
    expect(flow?.duration).toBeCloseTo(1.25, 6);
    expect(flow?.pkts_out).toBe(2);
  });

  it('stops with an error naming the offset when a record length exceeds 256 KiB, keeping earlier packets', async () => {
    const file = pcap([{ ts: 1, data: udp }, { ts: 2, data: udp }]);
    new DataView(file.buffer).setUint32(24 + 16 + udp.length + 8, 0x7fffffff, true);
    const { events, health } = await runCapture(file);
    expect(health.error).toContain(`at byte ${24 + 16 + udp.length}: invalid packet capture length 2147483647`);
    expect(flows(events)).toHaveLength(1);
  });

  it('keeps every complete record of a file cut mid-record and notes the truncation', async () => {
    const file = pcap([{ ts: 1, data: udp }, { ts: 2, data: udp }]);
    const { events, health } = await runCapture(file.subarray(0, file.length - 7));
    expect(health.error).toBeUndefined();
    expect(health.anomalies.count('pcap.truncated_file')).toBe(1);
    expect(health.notes.join()).toMatch(/truncated after 1 records/);
    expect(flows(events)[0]?.pkts_out).toBe(1);
  });

  it('rejects an empty input and a truncated global header with a clear error', async () => {
    expect((await runCapture(pcap([]).subarray(0, 10))).health.error).toMatch(/truncated pcap global header: only 10 of 24 bytes/);
  });

  it('skips and counts records with caplen 0 or caplen > len', async () => {
    const file = pcap([{ ts: 1, data: udp, wire: 10 }, { ts: 2, data: new Uint8Array(0) }, { ts: 3, data: udp }]);
    const { events, health } = await runCapture(file);
    expect(health.anomalies.count('pcap.invalid_record_header')).toBe(2);
    expect(flows(events)[0]?.pkts_out).toBe(1);
  });
});

describe('pcapng framing', () => {
  it('reads several sections of both byte orders, each with its own interfaces, link types and resolutions', async () => {
    const raw = udp.subarray(14); // the same datagram as LINKTYPE_RAW
    const file = concat([
      shb(true),
      idb(1, true), // µs
      idb(101, true, 9), // ns
      epb(0, 1_600_000_000_000_000n, udp, true),
      epb(1, 1_600_000_000_500_000_000n, raw, true),
      pcapngBlock(4, new Uint8Array(8), true), // name resolution: ignored
      pcapngBlock(5, new Uint8Array(8), true), // interface statistics: ignored
      shb(false),
      idb(101, false, 3), // ms
      epb(0, 1_600_000_001_000n, raw, false),
      spb(raw, false),
    ]);
    const { events, health } = await runCapture(file);
    expect(health.error).toBeUndefined();
    expect(health.records).toBe(4);
    const [flow] = flows(events);
    expect(flow?.pkts_out).toBe(4);
    expect(flow?.ts).toBeCloseTo(1_600_000_000, 6);
    // The SPB has no timestamp (0): network time does not run backwards, and it is counted.
    expect(health.anomalies.count('pcap.ts_non_monotonic')).toBe(1);
  });

  it('counts packets on an undefined interface and stops on a block length that is not a multiple of 4', async () => {
    const good = concat([shb(), idb(1), epb(3, 1n, udp)]);
    expect((await runCapture(good)).health.anomalies.count('pcapng.undefined_interface')).toBe(1);
    const bad = concat([shb(), idb(1)]);
    new DataView(bad.buffer).setUint32(bad.length - 20 + 4, 21, true);
    expect((await runCapture(bad)).health.error).toMatch(/block length 21 is invalid/);
  });

  it('never allocates from a 2 GiB block length: clear error instead', async () => {
    const file = concat([shb(), idb(1)]);
    new DataView(file.buffer).setUint32(4, 0x7ffffff0, true);
    const { health } = await runCapture(file);
    expect(health.error).toMatch(/at byte 0: pcapng block length 2147483632 is invalid/);
  });

  it('reads a whole TCP conversation split into odd-sized chunks identically', async () => {
    const file = pcap(tcpConversation({}));
    const a = flows((await runCapture(file, {}, [], 3)).events);
    const b = flows((await runCapture(file, {}, [], 1 << 20)).events);
    expect(a).toEqual(b);
    expect(a[0]?.conn_state).toBe('SF');
  });
});
