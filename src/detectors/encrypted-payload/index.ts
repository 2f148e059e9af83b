// encrypted-payload: ciphertext inside a protocol that is normally plaintext — HTTP request bodies and URIs,
// FTP uploads, SMTP bodies and attachments, ICMP echo data (all `payload` events), and data chunked across DNS
// query names. Content is classified by analysis/inspect (statistics, magic numbers, cipher fingerprints,
// encoding layers); a flow with ciphertext becomes one T1048.001 finding stating protocol, direction, bytes,
// entropy, chi-square, layers and fingerprint.
//
// Depth vs volume: each flow inspects up to `flow_inspect_depth` bytes in full; after that every further
// sample is still inspected, but only its first `sample_after_depth` bytes, and every byte is still counted.
// So ciphertext sent after 1 MiB of benign data in the same flow is found — provided the capture side emits a
// `payload` sample for that later data (one per HTTP body / MIME part / FTP transfer, or per window of a long
// raw stream), which is what the pcap analyzers do.
import { z } from 'zod';
import type { ByteSample, DnsEvent, Event, HttpEvent, PayloadEvent } from '../../core/events.js';
import type { Evidence, Finding } from '../../core/findings.js';
import { findingId } from '../../core/findings.js';
import type { AnomalyCounter } from '../../core/anomalies.js';
import { CappedMap } from '../state/capped-map.js';
import { newDnsEntity, type DnsEntity } from '../../analysis/dns-chunks.js';
import { splitName } from '../../analysis/domain.js';
import { inspectionShape, toInspectOptions } from '../../analysis/inspect-options.js';
import { describeInspection, inspect, inspectionDetails, type Inspection, type InspectOptions } from '../../analysis/inspect.js';
import { inspectSample } from '../../analysis/sample-inspection.js';
import { subTechnique } from '../../analysis/technique.js';
import type { DetectorSpec, Emit } from '../detector.js';

const ID = 'encrypted-payload';

const options = z.object({
  enabled: z.boolean().default(true),
  /** Directions inspected: `out` is what the connection's originator sent (requests, uploads). */
  directions: z.array(z.enum(['out', 'in'])).default(['out']),
  /** Payload contexts skipped, by prefix: DNS content is judged from reassembled query names instead. */
  ignore_contexts: z.array(z.string()).default(['dns.']),
  /** Bytes of one sample inspected while the flow is under its inspection depth. */
  sample_bytes: z.number().int().positive().default(256 * 1024),
  /** Bytes inspected in full per flow; later samples are inspected `sample_after_depth` bytes deep. */
  flow_inspect_depth: z.number().int().nonnegative().default(1024 * 1024),
  sample_after_depth: z.number().int().positive().default(4096),
  /** Flows tracked at once; the oldest is reported and dropped when a new one would exceed it. */
  max_flows: z.number().int().positive().default(20_000),
  /** Inspect HTTP request URIs. */
  inspect_uri: z.boolean().default(true),
  /** DNS: (client, registered domain) pairs reassembled at once, characters and names kept per pair. */
  max_dns_entities: z.number().int().positive().default(5_000),
  dns_max_chars: z.number().int().positive().default(64 * 1024),
  dns_max_names: z.number().int().positive().default(4_096),
  /** Body/stream size above which a ciphertext finding is rated 9 (the seed analytic's 10000-byte tier). */
  large_bytes: z.number().int().positive().default(10_000),
  ...inspectionShape,
});

type Options = z.infer<typeof options>;

/** One sample's inspection signature, so an HTTP body seen both on the `http` event and as a `payload` is judged once. */
const MAX_SIGNATURES = 32;
const MAX_EVIDENCE = 3;

interface FlowState {
  protocol: string;
  direction: 'out' | 'in';
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  host?: string;
  uid?: string;
  tsStart: number;
  tsEnd: number;
  bytes: number;
  inspected: number;
  samples: number;
  /** Samples cut short by the inspection depth. */
  shallow: number;
  best?: { found: Inspection; context: string; name?: string };
  evidence: Evidence[];
  signatures: Set<string>;
}


class EncryptedPayload {
  private readonly flows: CappedMap<string, FlowState>;
  private readonly dns: CappedMap<string, DnsEntity>;
  private readonly inspectOptions: InspectOptions;
  /** Times a cap was reached, reported on findings so a reader of the output knows. */

  constructor(private readonly o: Options, limits: AnomalyCounter) {
    this.flows = new CappedMap(o.max_flows, limits, 'encrypted-payload.max_flows');
    this.dns = new CappedMap(o.max_dns_entities, limits, 'encrypted-payload.max_dns_entities');
    this.inspectOptions = toInspectOptions(o);
  }

  onEvent(event: Event, emit: Emit): void {
    if (event.kind === 'payload') this.payload(event, emit);
    else if (event.kind === 'http') this.http(event, emit);
    else if (event.kind === 'dns') this.dnsQuery(event, emit);
  }

  flush(emit: Emit): void {
    for (const [, flow] of this.flows.drain()) this.report(flow, emit);
    for (const [, state] of this.dns.drain()) this.reportDns(state, emit);
  }

  private payload(event: PayloadEvent, emit: Emit): void {
    if (!this.o.directions.includes(event.direction)) return;
    if (this.o.ignore_contexts.some((prefix) => event.context.startsWith(prefix))) return;
    const flow = this.flow(event, event.protocol, event.direction, emit);
    this.observe(flow, event, event.context, event.name, event.sample, false);
  }

  private http(event: HttpEvent, emit: Emit): void {
    if (!this.o.directions.includes('out')) return;
    const flow = this.flow(event, 'http', 'out', emit);
    if (this.o.inspect_uri && event.uri !== undefined && event.uri.length >= this.o.min_run) {
      const uri = new Uint8Array(Buffer.from(event.uri, 'latin1'));
      this.observe(flow, event, 'http.uri', undefined, { bytes: uri, total: uri.length }, true);
    }
    if (event.request_body !== undefined) {
      this.observe(flow, event, 'http.request_body', undefined, event.request_body, false);
    }
  }

  private flow(event: PayloadEvent | HttpEvent, protocol: string, direction: 'out' | 'in', emit: Emit): FlowState {
    const key = `${event.uid ?? `${event.src_ip}|${event.src_port}|${event.dst_ip}|${event.dst_port}`}|${direction}`;
    const evict = (_key: string, oldest: FlowState): void => {
      this.report(oldest, emit);
    };
    const flow = this.flows.upsert(key, () => {
      const created: FlowState = {
        protocol, direction, src_ip: event.src_ip, src_port: event.src_port, dst_ip: event.dst_ip, dst_port: event.dst_port,
        tsStart: event.ts, tsEnd: event.ts, bytes: 0, inspected: 0, samples: 0, shallow: 0, evidence: [], signatures: new Set(),
      };
      if (event.host !== undefined) created.host = event.host;
      if (event.uid !== undefined) created.uid = event.uid;
      return created;
    }, evict);
    return flow;
  }

  private observe(
    flow: FlowState, event: Event, context: string, name: string | undefined, sample: ByteSample, uri: boolean,
  ): void {
    const { bytes, total } = sample;
    const signature = `${total}:${sampleHash(bytes)}`;
    if (flow.signatures.has(signature)) return;
    if (flow.signatures.size < MAX_SIGNATURES) flow.signatures.add(signature);
    flow.tsEnd = Math.max(flow.tsEnd, event.ts);
    flow.bytes += total;
    flow.samples++;
    const underDepth = flow.inspected < this.o.flow_inspect_depth;
    const limit = underDepth ? this.o.sample_bytes : this.o.sample_after_depth;
    if (!underDepth) flow.shallow++;
    flow.inspected += Math.min(bytes.length, limit);
    const found = inspectSample(sample, limit, this.inspectOptions, { uri });
    if (found.verdict !== 'ciphertext') return;
    if (flow.best === undefined || found.bytes > flow.best.found.bytes || (found.fingerprint && !flow.best.found.fingerprint)) {
      flow.best = { found, context, ...(name !== undefined ? { name } : {}) };
    }
    if (flow.evidence.length < MAX_EVIDENCE) flow.evidence.push({ ...event.source, note: `${context}: ${describeInspection(found)}` });
  }

  private report(flow: FlowState, emit: Emit): void {
    const best = flow.best;
    if (best === undefined) return;
    const { found } = best;
    const risk = Math.min(10, (found.fingerprint !== undefined || flow.bytes > this.o.large_bytes ? 9 : 8) - (flow.bytes < 512 ? 1 : 0));
    const where = `${flow.src_ip}:${flow.src_port} → ${flow.dst_ip}:${flow.dst_port}`;
    const finding: Finding = {
      id: findingId(ID, [flow.uid, flow.src_ip, flow.src_port, flow.dst_ip, flow.dst_port, flow.direction], flow.tsStart),
      technique: subTechnique({ encryptedTransport: false, content: found.verdict }),
      analytic: ID,
      risk,
      ts_start: flow.tsStart,
      ts_end: flow.tsEnd,
      src_ip: flow.src_ip,
      dst_ip: flow.dst_ip,
      dst_port: flow.dst_port,
      proto: flow.protocol === 'icmp' ? 'icmp' : 'tcp',
      reason: `${describeInspection(found)} in ${flow.protocol.toUpperCase()} ${best.context} ${flow.direction === 'out' ? 'sent' : 'received'} ${where}, ${flow.bytes} bytes`,
      evidence: flow.evidence,
      details: {
        protocol: flow.protocol,
        context: best.context,
        direction: flow.direction,
        bytes: flow.bytes,
        samples: flow.samples,
        samples_past_depth: flow.shallow,
        ...inspectionDetails(found),
        ...(best.name !== undefined ? { name: best.name } : {}),
        ...(this.flows.evictions > 0 ? { flows_evicted_so_far: this.flows.evictions } : {}),
      },
    };
    if (flow.host !== undefined) finding.host = flow.host;
    if (flow.direction === 'out') finding.bytes_out = flow.bytes;
    else finding.bytes_in = flow.bytes;
    emit(finding);
  }

  private dnsQuery(event: DnsEvent, emit: Emit): void {
    const { registered, subdomain } = splitName(event.query);
    if (subdomain === '') return;
    const key = `${event.src_ip}|${registered}`;
    const evict = (_key: string, oldest: DnsEntity): void => {
      this.reportDns(oldest, emit);
    };
    const limits = { maxChars: this.o.dns_max_chars, maxNames: this.o.dns_max_names };
    const state = this.dns.upsert(key, () => newDnsEntity(event, registered, limits), evict);
    state.queries++;
    state.tsEnd = Math.max(state.tsEnd, event.ts);
    if (state.assembler.add(subdomain) && state.evidence.length < MAX_EVIDENCE) state.evidence.push({ ...event.source, note: `query ${event.query}` });
  }

  private reportDns(state: DnsEntity, emit: Emit): void {
    // Reputation lookups (one digest per name) are random by construction; dns-tunnel reports their volume.
    if (state.assembler.length < this.o.min_run || state.assembler.hashLookupShaped) return;
    const text = new Uint8Array(Buffer.from(state.assembler.text(), 'latin1'));
    const found = inspect(text, text.length, this.inspectOptions);
    if (found.verdict !== 'ciphertext') return;
    const finding: Finding = {
      id: findingId(ID, ['dns', state.client, state.registered], state.tsStart),
      technique: subTechnique({ encryptedTransport: false, content: found.verdict }),
      analytic: ID,
      risk: found.bytes > this.o.large_bytes ? 9 : 8,
      ts_start: state.tsStart,
      ts_end: state.tsEnd,
      src_ip: state.client,
      dst_ip: state.resolver,
      dst_port: 53,
      proto: 'udp',
      reason: `${describeInspection(found)} chunked across ${state.assembler.count} DNS query names under ${state.registered} from ${state.client}, ${state.assembler.length} characters`,
      evidence: state.evidence,
      details: {
        protocol: 'dns',
        context: 'dns.qname',
        direction: 'out',
        registered_domain: state.registered,
        queries: state.queries,
        chunks: state.assembler.count,
        bytes: state.assembler.length,
        chunks_dropped: state.assembler.dropped,
        ...inspectionDetails(found),
        ...(this.dns.evictions > 0 ? { dns_entities_evicted_so_far: this.dns.evictions } : {}),
      },
    };
    if (state.host !== undefined) finding.host = state.host;
    finding.bytes_out = state.assembler.length;
    emit(finding);
  }
}

/** FNV-1a over the first 256 bytes: cheap identity for "the same sample seen twice". */
function sampleHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  const n = Math.min(bytes.length, 256);
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}

export const encryptedPayload: DetectorSpec<Options> = {
  id: ID,
  description: 'Ciphertext inside normally plaintext protocols (HTTP, FTP, SMTP, ICMP payloads; DNS query names)',
  consumes: ['payload', 'http', 'dns'],
  options,
  create: (o, limits) => new EncryptedPayload(o, limits),
};
