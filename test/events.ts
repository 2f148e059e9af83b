// Hand-built events for detector tests: the fields a reader would fill, with overridable defaults.
import { AnomalyCounter } from '../src/core/anomalies.js';
import type { DnsEvent, HttpEvent, IcmpEvent, PayloadEvent } from '../src/core/events.js';
import type { Detector, DetectorSpec } from '../src/detectors/detector.js';
import type { Event } from '../src/core/events.js';
import type { Finding } from '../src/core/findings.js';

const source = (line: number) => ({ reader: 'test', path: 'hand-built', line });
let line = 0;

export const CLIENT = '10.1.1.10';
export const SERVER = '203.0.113.7';

export function payloadEvent(bytes: Uint8Array, over: Partial<PayloadEvent> = {}): PayloadEvent {
  return {
    kind: 'payload', ts: 1_700_000_000 + line, source: source(++line), uid: 'C1', src_ip: CLIENT, src_port: 40000, dst_ip: SERVER, dst_port: 80,
    protocol: 'http', context: 'http.request_body', direction: 'out', sample: { bytes, total: bytes.length }, ...over,
  };
}

export function httpEvent(over: Partial<HttpEvent> = {}): HttpEvent {
  return { kind: 'http', ts: 1_700_000_000 + line, source: source(++line), uid: 'C1', src_ip: CLIENT, src_port: 40000, dst_ip: SERVER, dst_port: 80, method: 'GET', uri: '/', ...over };
}

export function dnsEvent(query: string, over: Partial<DnsEvent> = {}): DnsEvent {
  return {
    kind: 'dns', ts: 1_700_000_000 + line, source: source(++line), src_ip: CLIENT, src_port: 53000, dst_ip: '10.1.1.1', dst_port: 53,
    proto: 'udp', query, qtype: 1, qtype_name: 'A', ...over,
  };
}

export function icmpEvent(over: Partial<IcmpEvent> = {}): IcmpEvent {
  return { kind: 'icmp', ts: 1_700_000_000 + line, source: source(++line), src_ip: CLIENT, dst_ip: SERVER, icmp_type: 8, icmp_code: 0, id: 1, seq: 1, payload_len: 56, ...over };
}

/** Runs a detector over events with its default options (plus overrides) and returns the findings. */
export function runDetector<O extends { enabled: boolean }>(spec: DetectorSpec<O>, events: Iterable<Event>, overrides: Partial<O> = {}): Finding[] {
  const options = { ...spec.options.parse({}), ...overrides };
  const detector: Detector = spec.create(options, new AnomalyCounter());
  const findings: Finding[] = [];
  const emit = (f: Finding): void => void findings.push(f);
  for (const e of events) if (spec.consumes.includes(e.kind)) detector.onEvent(e, emit);
  detector.flush(emit);
  return findings;
}
