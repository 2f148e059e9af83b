import { describe, expect, it } from 'vitest';
import { AnomalyCounter } from '../../core/anomalies.js';
import type { FlowEvent } from '../../core/events.js';
import type { Finding } from '../../core/findings.js';
import { prng as prngForTests } from '../../../test/prng.js';
import { beaconing } from './index.js';

const T0 = 1_767_225_600;

function flows(times: number[], bytes = 400): FlowEvent[] {
  return times.map((ts, i) => ({
    kind: 'flow', ts, source: { reader: 'test', path: 'conn.log', line: i + 1 }, proto: 'tcp',
    src_ip: '10.0.0.5', src_port: 50000 + i, dst_ip: '192.0.2.66', dst_port: 443, bytes_out: bytes, bytes_in: 900,
  }));
}

function detect(events: FlowEvent[], overrides: Record<string, unknown> = {}, limits = new AnomalyCounter()): Finding[] {
  const d = beaconing.create(beaconing.options.parse(overrides), limits);
  const out: Finding[] = [];
  for (const e of events) d.onEvent(e, (f) => out.push(f));
  d.flush((f) => out.push(f));
  return out;
}

describe('beaconing', () => {
  const rand = prngForTests(11);
  const jittered = Array.from({ length: 30 }, (_, i) => T0 + i * 60 + (rand() - 0.5) * 12); // 60 s ± 10 %

  it('reports a 60-second heartbeat with 10 % jitter as T1041', () => {
    const [f] = detect(flows(jittered));
    expect(f?.technique).toBe('T1041');
    expect(f!.details?.connections).toBe(30);
    expect(Number(f!.details?.interval_seconds)).toBeCloseTo(60, 0);
  });

  it('ignores irregular connections, large transfers and a flow seen twice', () => {
    const irregular = Array.from({ length: 30 }, () => T0 + rand() * 3600).sort((a, b) => a - b);
    expect(detect(flows(irregular))).toEqual([]);
    expect(detect(flows(jittered, 5_000_000))).toEqual([]);
    const doubled = flows(jittered.slice(0, 14)).flatMap((f) => [f, { ...f, ts: f.ts + 0.2 }]);
    expect(detect(doubled)[0]!.details?.connections).toBe(14);
  });

  it('keeps at most max_samples connections per pair and max_pairs pairs', () => {
    expect(detect(flows(jittered), { max_samples: 12 })[0]!.details?.connections).toBe(12);
    const many = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].flatMap((dst) => flows(jittered.slice(0, 14)).map((f) => ({ ...f, dst_ip: dst })));
    const limits = new AnomalyCounter();
    expect(detect(many, { max_pairs: 1 }, limits)).toHaveLength(3); // evicted pairs are evaluated, not lost
    expect(limits.count('beaconing.max_pairs')).toBe(2);
  });
});
