// ICMP echo analyzer (RFC 792 echo/echo reply, RFC 4443 §4 ICMPv6 echo): one `icmp` event per echo
// message with its payload size, and per direction one `payload` event (`icmp.echo`) sampling the echo
// data, where ping tunnels carry what they exfiltrate.
import type { IcmpEvent } from '../../core/events.js';
import type { AnalyzerContext, AppProtocol, DatagramAnalyzer, Direction } from '../analyzer.js';
import { ByteSampler, emitPayload } from '../common/payload.js';

export interface IcmpLimits {
  /** Echo data bytes kept per direction as the sample for content analysis. */
  max_sample_bytes: number;
}

export const DEFAULT_ICMP_LIMITS: IcmpLimits = { max_sample_bytes: 65_536 };

const ECHO_HEADER = 8;
const ECHO_TYPES_V4 = new Set([0, 8]);
const ECHO_TYPES_V6 = new Set([128, 129]);

class IcmpEchoAnalyzer implements DatagramAnalyzer {
  private readonly samplers: Record<Direction, ByteSampler>;
  private readonly echoTypes: Set<number>;
  private lastTs = 0;

  constructor(private readonly ctx: AnalyzerContext, limits: IcmpLimits) {
    this.samplers = { orig: new ByteSampler(limits.max_sample_bytes), resp: new ByteSampler(limits.max_sample_bytes) };
    this.echoTypes = ctx.conn.src_ip.includes(':') ? ECHO_TYPES_V6 : ECHO_TYPES_V4;
  }

  datagram(dir: Direction, bytes: Uint8Array, ts: number): void {
    if (bytes.length < ECHO_HEADER) {
      this.ctx.anomaly('icmp.truncated');
      return;
    }
    const type = bytes[0]!;
    if (!this.echoTypes.has(type)) return;
    this.lastTs = ts;
    const [src_ip, dst_ip] = dir === 'orig' ? [this.ctx.conn.src_ip, this.ctx.conn.dst_ip] : [this.ctx.conn.dst_ip, this.ctx.conn.src_ip];
    const event: IcmpEvent = {
      kind: 'icmp', ts, host: this.ctx.conn.src_ip, source: this.ctx.source(), src_ip, dst_ip,
      icmp_type: type, icmp_code: bytes[1]!, id: (bytes[4]! << 8) | bytes[5]!, seq: (bytes[6]! << 8) | bytes[7]!,
      payload_len: bytes.length - ECHO_HEADER,
    };
    this.ctx.emit(event);
    this.samplers[dir].add(bytes, ECHO_HEADER);
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
    matches: (_conn, firstBytes) => firstBytes.length > 0 && (ECHO_TYPES_V4.has(firstBytes[0]!) || ECHO_TYPES_V6.has(firstBytes[0]!)),
    create: (ctx) => new IcmpEchoAnalyzer(ctx, limits),
  };
}
