import { describe, expect, it } from 'vitest';
import type { DatagramAnalyzer } from '../analyzer.js';
import { RecordingContext } from '../common/test-context.js';
import { icmpProtocol } from './icmp.js';

const conn = { uid: 'Cicmp', proto: 'icmp' as const, src_ip: '10.0.0.1', src_port: 8, dst_ip: '198.51.100.7', dst_port: 0 };
const echo = (type: number, id: number, seq: number, data: string): Uint8Array =>
  Uint8Array.from([type, 0, 0, 0, id >> 8, id & 0xff, seq >> 8, seq & 0xff, ...Buffer.from(data)]);

describe('icmp echo analyzer', () => {
  it('reports echo payload sizes each way and samples the echo data per direction', () => {
    const ctx = new RecordingContext(conn);
    const icmp = icmpProtocol().create(ctx) as DatagramAnalyzer;
    icmp.datagram('orig', echo(8, 0x1234, 1, 'U2FsdGVkX1+secret'), 1);
    icmp.datagram('resp', echo(0, 0x1234, 1, 'U2FsdGVkX1+secret'), 1.1);
    icmp.datagram('orig', echo(8, 0x1234, 2, 'more'), 2);
    icmp.datagram('orig', Uint8Array.of(8, 0, 0), 3);
    icmp.datagram('orig', echo(3, 0, 0, 'unreachable'), 4);
    icmp.end(5);
    expect(ctx.of('icmp').map((e) => [e.icmp_type, e.seq, e.payload_len, e.src_ip])).toEqual([
      [8, 1, 17, '10.0.0.1'], [0, 1, 17, '198.51.100.7'], [8, 2, 4, '10.0.0.1'],
    ]);
    expect(ctx.count('icmp.truncated')).toBe(1);
    const payloads = ctx.of('payload');
    expect(payloads.map((p) => [p.context, p.direction, p.sample.total])).toEqual([['icmp.echo', 'out', 21], ['icmp.echo', 'in', 17]]);
    expect(Buffer.from(payloads[0]!.sample.bytes).toString()).toBe('U2FsdGVkX1+secretmore');
  });

  it('recognises ICMPv4 and ICMPv6 echo by type', () => {
    const proto = icmpProtocol();
    expect(proto.matches(conn, Uint8Array.of(128, 0), 'orig')).toBe(true);
    expect(proto.matches(conn, Uint8Array.of(3, 1), 'orig')).toBe(false);
  });
});
