import { describe, expect, it } from 'vitest';
import type { DatagramAnalyzer } from '../analyzer.js';
import { RecordingContext } from '../common/test-context.js';
import { icmpProtocol } from './icmp.js';

// The flow table names an echo conversation as Zeek does: orig_p = request type, resp_p = reply type.
const conn = { uid: 'Cicmp', proto: 'icmp' as const, src_ip: '10.0.0.1', src_port: 8, dst_ip: '198.51.100.7', dst_port: 0 };
const data = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text));

describe('icmp echo analyzer', () => {
  it('reports echo payload sizes each way and samples the echo data per direction', () => {
    const ctx = new RecordingContext(conn);
    const icmp = icmpProtocol().create(ctx) as DatagramAnalyzer;
    icmp.datagram('orig', data('U2FsdGVkX1+secret'), 1);
    icmp.datagram('resp', data('U2FsdGVkX1+secret'), 1.1);
    icmp.datagram('orig', data('more'), 2);
    icmp.end(5);
    expect(ctx.of('icmp').map((e) => [e.icmp_type, e.payload_len, e.src_ip])).toEqual([
      [8, 17, '10.0.0.1'], [0, 17, '198.51.100.7'], [8, 4, '10.0.0.1'],
    ]);
    const payloads = ctx.of('payload');
    expect(payloads.map((p) => [p.context, p.direction, p.sample.total])).toEqual([['icmp.echo', 'out', 21], ['icmp.echo', 'in', 17]]);
    expect(Buffer.from(payloads[0]!.sample.bytes).toString()).toBe('U2FsdGVkX1+secretmore');
  });

  it('takes ICMPv4 and ICMPv6 echo conversations only', () => {
    const proto = icmpProtocol();
    expect(proto.matches(conn, new Uint8Array(0), 'orig')).toBe(true);
    expect(proto.matches({ ...conn, src_ip: 'fe80::1', dst_ip: 'fe80::2', src_port: 128, dst_port: 129 }, new Uint8Array(0), 'orig')).toBe(true);
    expect(proto.matches({ ...conn, src_port: 3, dst_port: 1 }, new Uint8Array(0), 'orig')).toBe(false);
  });
});
