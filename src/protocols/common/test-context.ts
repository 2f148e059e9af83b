// A recording AnalyzerContext for the protocol unit tests: collects emitted events, anomalies, confirmed
// services, limits reached, violations and expected connections, and feeds byte streams in pieces of any size.
import type { AnomalyCode } from '../../core/anomalies.js';
import type { Event, EventKind, EventOf, Source } from '../../core/events.js';
import type { AnalyzerContext, AnalyzerFactory, ConnectionInfo, Direction, StreamAnalyzer } from '../analyzer.js';

export interface Expectation {
  src_ip?: string;
  dst_ip: string;
  dst_port: number;
  until: number;
  create: AnalyzerFactory;
}

export class RecordingContext implements AnalyzerContext {
  readonly events: Event[] = [];
  readonly anomalies = new Map<AnomalyCode, number>();
  readonly services: string[] = [];
  /** Limits reached and services violated, in order. */
  readonly limits: AnomalyCode[] = [];
  readonly violations: string[] = [];
  readonly expected: Expectation[] = [];
  flips = 0;

  constructor(readonly conn: ConnectionInfo = TEST_CONN) {}

  emit(event: Event): void {
    this.events.push(event);
  }
  anomaly(code: AnomalyCode): void {
    this.anomalies.set(code, (this.anomalies.get(code) ?? 0) + 1);
  }
  source(): Source {
    return { reader: 'test', path: 'memory' };
  }
  confirm(service: string): void {
    this.services.push(service);
  }
  limitReached(code: AnomalyCode): void {
    this.limits.push(code);
    this.anomaly(code);
  }
  violation(service: string, code: AnomalyCode): boolean {
    this.violations.push(service);
    this.anomaly(code);
    return true;
  }
  flip(): void {
    this.flips++;
  }
  expect(expected: Omit<Expectation, 'create'>, create: AnalyzerFactory): void {
    this.expected.push({ ...expected, create });
  }

  of<K extends EventKind>(kind: K): EventOf<K>[] {
    return this.events.filter((e): e is EventOf<K> => e.kind === kind);
  }
  count(code: AnomalyCode): number {
    return this.anomalies.get(code) ?? 0;
  }
}

const TEST_CONN: ConnectionInfo = {
  uid: 'Ctest', proto: 'tcp', src_ip: '10.0.0.1', src_port: 40000, dst_ip: '192.0.2.9', dst_port: 80,
};

export const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** Feeds `segments` (direction and text) to a stream analyzer, each cut into pieces of `step` bytes. */
export function feed(analyzer: StreamAnalyzer, segments: readonly [Direction, string | Uint8Array][], step = Infinity, end = true): void {
  let ts = 1000;
  for (const [dir, data] of segments) {
    const all = typeof data === 'string' ? bytes(data) : data;
    const size = Number.isFinite(step) ? step : all.length;
    for (let i = 0; i < all.length; i += size) analyzer.data(dir, all.subarray(i, Math.min(all.length, i + size)), ts++);
  }
  if (end) analyzer.end(ts);
}

/** Feeds one direction's bytes split in two at `cut`, exercising every split point of a message. */
export function feedSplitAt(analyzer: StreamAnalyzer, dir: Direction, data: Uint8Array, cut: number): void {
  analyzer.data(dir, data.subarray(0, cut), 1);
  analyzer.data(dir, data.subarray(cut), 2);
}
