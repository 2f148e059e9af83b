import { describe, expect, it } from 'vitest';
import { AnomalyCounter } from '../../core/anomalies.js';
import type { Event, FirewallEvent, FlowEvent } from '../../core/events.js';
import type { Finding } from '../../core/findings.js';
import { flowAsymmetry } from './index.js';

const DAY = 86400;
const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z, a multiple of a day

function flow(i: number, ts: number, out: number, inb: number, dst = '203.0.113.9'): FlowEvent {
  return {
    kind: 'flow', ts, host: '10.0.0.5', source: { reader: 'test', path: 'conn.log', line: i + 1 }, proto: 'tcp',
    src_ip: '10.0.0.5', src_port: 40000 + i, dst_ip: dst, dst_port: 443, bytes_out: out, bytes_in: inb,
  };
}

function runDetector(events: Event[], overrides: Record<string, unknown> = {}, limits = new AnomalyCounter()): Finding[] {
  const detector = flowAsymmetry.create(flowAsymmetry.options.parse(overrides), limits);
  const findings: Finding[] = [];
  for (const e of events) detector.onEvent(e, (f) => findings.push(f));
  detector.flush((f) => findings.push(f));
  return findings;
}

describe('flow-asymmetry', () => {
  it('adds up many small uploads over a day that no single hour shows (low and slow)', () => {
    const events = Array.from({ length: 200 }, (_, i) => flow(i, T0 + i * 420, 64 * 1024, 200));
    const findings = runDetector(events);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.details?.window_seconds).toBe(DAY);
    expect(f!.details?.connections).toBe(200);
    expect(f!.bytes_out).toBe(200 * 64 * 1024);
    expect(f!.risk).toBe(5 + 1 /* ratio ≥ 100 */ + 1 /* low and slow */);
    expect(f!.reason).toContain('many small uploads');
    expect(f!.evidence).toHaveLength(5);
    expect(f!.evidence[0]!.line).toBe(1);
  });

  it('reports a one-hour burst in both the hour and the day window, with distinct deterministic IDs', () => {
    const events = [flow(0, T0 + 100, 50 * 1024 * 1024, 4096)];
    const a = runDetector(events);
    const b = runDetector(events);
    expect(a.map((f) => f.details?.window_seconds)).toEqual([3600, DAY]);
    expect(new Set(a.map((f) => f.id)).size).toBe(2);
    expect(a.map((f) => f.id)).toEqual(b.map((f) => f.id));
  });

  it('ignores downloads, small volumes and internal destinations', () => {
    expect(runDetector([flow(0, T0, 50 * 1024 * 1024, 400 * 1024 * 1024)])).toEqual([]);
    expect(runDetector([flow(0, T0, 1024 * 1024, 10)])).toEqual([]);
    expect(runDetector([flow(0, T0, 50 * 1024 * 1024, 10, '10.1.2.3')])).toEqual([]);
  });

  it('counts firewall records that carry bytes, and skips those that do not', () => {
    const fw = (i: number, out?: number): FirewallEvent => ({
      kind: 'firewall', ts: T0 + i, host: 'fw1', source: { reader: 'test', path: 'fw.log', line: i + 1 }, proto: 'tcp',
      src_ip: '10.0.0.7', dst_ip: '198.51.100.20', dst_port: 21, bytes_out: out, bytes_in: out === undefined ? undefined : 100,
    });
    const findings = runDetector([fw(0, 3 * 1024 * 1024), fw(1), fw(2, 3 * 1024 * 1024)], { window_seconds: [3600] });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.details?.connections).toBe(2);
    expect(findings[0]!.dst_port).toBe(21);
  });

  it('closes a window when the same pair moves to the next one', () => {
    const events = [flow(0, T0 + 10, 8 * 1024 * 1024, 10), flow(1, T0 + 3600 + 10, 8 * 1024 * 1024, 10)];
    const findings = runDetector(events, { window_seconds: [3600] });
    expect(findings.map((f) => f.details?.window_start)).toEqual([T0, T0 + 3600]);
  });

  it('bounds its state: beyond max_entries the oldest window is evaluated, evicted and counted', () => {
    const events = ['203.0.113.1', '203.0.113.2', '203.0.113.3'].map((dst, i) => flow(i, T0 + i, 8 * 1024 * 1024, 10, dst));
    const limits = new AnomalyCounter();
    const findings = runDetector(events, { window_seconds: [3600], max_entries: 2 }, limits);
    expect(findings).toHaveLength(3);
    const evicted = findings.find((f) => f.dst_ip === '203.0.113.1')!;
    expect(evicted.reason).toContain('cut short by the state cap');
    expect(limits.count('flow-asymmetry.max_entries')).toBe(1);
  });
});
