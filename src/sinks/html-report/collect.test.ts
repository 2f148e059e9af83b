import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/events.js';
import { ReportCollector } from './collect.js';

const source = { reader: 'test', path: 'x', line: 1 };

function flow(ts: number, src: string, dst: string, out: number, inb = 0, port = 53): Event {
  return { kind: 'flow', ts, source, src_ip: src, src_port: 1000, dst_ip: dst, dst_port: port, proto: 'udp', bytes_out: out, bytes_in: inb };
}

describe('ReportCollector', () => {
  it('sums bytes per pair and destination and ranks them', () => {
    const c = new ReportCollector();
    c.add([flow(10, 'a', 'x', 100, 5), flow(20, 'a', 'x', 50, 5, 21), flow(15, 'b', 'x', 7), flow(30, 'a', 'y', 1000)]);
    c.add([{ kind: 'firewall', ts: 40, source, proto: 'tcp', src_ip: 'c', dst_ip: 'z', length: 60 }]);
    const s = c.snapshot();
    expect(s.pairs.map((p) => [p.src, p.dst, p.out, p.in, p.conns])).toEqual([['a', 'y', 1000, 0, 1], ['a', 'x', 150, 10, 2], ['c', 'z', 60, 0, 1], ['b', 'x', 7, 0, 1]]);
    const x = s.destinations.find((d) => d.dst === 'x')!;
    expect([x.out, x.conns, x.first, x.last, x.ports, x.sources]).toEqual([157, 3, 10, 20, [21, 53], 2]);
    expect(s.newestDestinations.map((d) => d.dst)).toEqual(['z', 'y', 'x']);
    expect(s.volumeEvents).toBe(5);
  });

  it('folds the smallest pairs and destinations past max_pairs / max_destinations, keeping totals', () => {
    const c = new ReportCollector({ max_pairs: 10, max_destinations: 10 });
    const events = Array.from({ length: 100 }, (_, i) => flow(i, `h${i}`, `d${i}`, i + 1));
    c.add(events);
    const s = c.snapshot();
    expect(s.pairsFolded.entries).toBeGreaterThan(0);
    expect(s.destinationsFolded.entries).toBeGreaterThan(0);
    expect(s.pairs.length + s.pairsFolded.entries).toBe(100);
    const total = s.destinations.reduce((n, d) => n + d.out, 0) + s.destinationsFolded.out;
    expect(total).toBe((100 * 101) / 2);
    expect(s.destinations[0]!.dst).toBe('d99');
  });

  it('widens time buckets so a long run fits max_time_buckets, without losing bytes', () => {
    const c = new ReportCollector({ max_time_buckets: 8 });
    c.add(Array.from({ length: 1000 }, (_, i) => flow(1_700_000_000 + i, 'a', i % 2 ? 'x' : 'y', 10)));
    const { series } = c.snapshot();
    expect(series.starts.length).toBeLessThanOrEqual(8);
    expect(series.bucketSeconds).toBe(128);
    expect(series.destinations.sort()).toEqual(['x', 'y']);
    expect(series.values.flat().reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('keeps at most max_payload_points payload points, deterministically', () => {
    const payloads = (): Event[] => Array.from({ length: 200 }, (_, i) => ({
      kind: 'payload', ts: i, source, src_ip: 'a', src_port: 1, dst_ip: `d${i}`, dst_port: 53, protocol: 'dns',
      context: 'dns.qname', direction: 'out', sample: { bytes: new Uint8Array([i, i + 1, i + 2]), total: 3 },
    }));
    const first = new ReportCollector({ max_payload_points: 20 });
    const second = new ReportCollector({ max_payload_points: 20 });
    first.add(payloads());
    second.add(payloads());
    const a = first.snapshot();
    expect(a.payloads).toHaveLength(20);
    expect(a.payloadsSeen).toBe(200);
    expect(a.payloads.some((p) => Number(p.dst.slice(1)) >= 20)).toBe(true);
    expect(second.snapshot().payloads).toEqual(a.payloads);
  });
});
