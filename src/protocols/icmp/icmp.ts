// ICMP echo analyzer (RFC 792 echo/echo reply, RFC 4443 §4 ICMPv6 echo): one `icmp` event per echo
// message with its payload size, and per direction one `payload` event (`icmp.echo`) sampling the echo
// data, where ping tunnels carry what they exfiltrate. The flow table delivers the data after the ICMP
// header and, as Zeek does, names the conversation by type: orig_p is the request type, resp_p the reply's.
import type { IcmpEvent } from '../../core/events.js';
import type { AnalyzerContext, AppProtocol, DatagramAnalyzer, Direction } from '../analyzer.js';
import { ByteSampler, emitPayload } from '../common/payload.js';

export interface IcmpLimits {
  /** Echo data bytes kept per direction as the sample for content analysis. */
  max_sample_bytes: number;
}

export const DEFAULT_ICMP_LIMITS: IcmpLimits = { max_sample_bytes: 65_536 };

const ECHO_TYPES_V4 = new Set([0, 8]);
const ECHO_TYPES_V6 = new Set([128, 129]);

class IcmpEchoAnalyzer implements DatagramAnalyzer {
  private readonly samplers: Record<Direction, ByteSampler>;
  private lastTs = 0;

  constructor(private readonly ctx: AnalyzerContext, limits: IcmpLimits) {
    this.samplers = { orig: new ByteSampler(limits.max_sample_bytes), resp: new ByteSampler(limits.max_sample_bytes) };
  }

  datagram(dir: Direction, bytes: Uint8Array, ts: number): void {
    const { src_ip, dst_ip, src_port, dst_port } = this.ctx.conn;
    this.lastTs = ts;
    const event: IcmpEvent = {
      kind: 'icmp', ts, host: src_ip, source: this.ctx.source(),
      src_ip: dir === 'orig' ? src_ip : dst_ip, dst_ip: dir === 'orig' ? dst_ip : src_ip,
      // Echo messages always carry code 0 (RFC 792, RFC 4443 §4.1–4.2).
      icmp_type: dir === 'orig' ? src_port : dst_port, icmp_code: 0, payload_len: bytes.length,
    };
    this.ctx.emit(event);
    this.samplers[dir].add(bytes);
  }

  end(ts: number): void {
    for (const dir of ['orig', 'resp'] as const) {
      const sampler = this.samplers[dir];
      if (sampler.total > 0) emitPayload(this.ctx, Math.max(ts, this.lastTs), dir, { protocol: 'icmp', context: 'icmp.echo' }, sampler.sample());
    }
  }
}

export function icmpProtocol(limits: IcmpLimits = DEFAULT_ICMP_LIMITS): AppProtocol {
  return {
    name: 'icmp',
    transport: 'icmp',
    matches: (conn) => (conn.src_ip.includes(':') ? ECHO_TYPES_V6 : ECHO_TYPES_V4).has(conn.src_port),
    create: (ctx) => new IcmpEchoAnalyzer(ctx, limits),
  };
}
