import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/events.js';
import { newInputHealth } from '../../core/health.js';
import { InputError } from '../../core/errors.js';
import { exfilscopeEventsReader } from './index.js';

const flow = { kind: 'flow', ts: 1, source: { reader: 'zeek', path: 'conn.log', line: 9 }, proto: 'tcp', src_ip: '10.0.0.1', src_port: 5, dst_ip: '203.0.113.1', dst_port: 21, bytes_out: 10 };

async function read(text: string, maxBad = 1000) {
  const health = newInputHealth('events.jsonl');
  async function* stream() {
    yield new TextEncoder().encode(text);
  }
  const events: Event[] = [];
  let error: unknown;
  try {
    for await (const batch of exfilscopeEventsReader.events(stream(), { path: 'events.jsonl', health, limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: maxBad }, options: undefined })) events.push(...batch);
  } catch (err) {
    error = err;
  }
  return { events, health, error };
}

describe('exfilscope-events reader', () => {
  it('recognises its own lines only', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(exfilscopeEventsReader.sniff(enc(JSON.stringify(flow) + '\n'))).toBe(true);
    expect(exfilscopeEventsReader.sniff(enc('{"ts":1,"uid":"C1","id.orig_h":"10.0.0.1"}\n'))).toBe(false); // Zeek JSON
    expect(exfilscopeEventsReader.sniff(enc('#separator \\x09\n'))).toBe(false);
  });

  it('keeps the original source as evidence and restores byte samples', async () => {
    const payload = { kind: 'payload', ts: 2, source: { reader: 'pcap', path: 'x.pcap', offset: 40 }, src_ip: 'a', src_port: 1, dst_ip: 'b', dst_port: 2, protocol: 'http', context: 'http.request_body', direction: 'out', sample: { bytes: { base64: 'AAEC' }, total: 3 } };
    const { events } = await read([flow, payload].map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(events[0]!.source).toEqual({ reader: 'zeek', path: 'conn.log', line: 9 });
    const sample = (events[1] as Extract<Event, { kind: 'payload' }>).sample;
    expect(sample.bytes).toBeInstanceOf(Uint8Array);
    expect([...sample.bytes]).toEqual([0, 1, 2]);
  });

  it('skips and counts damaged lines, drops prototype keys, and gives up on a file that is not events', async () => {
    const lines = [
      JSON.stringify(flow),
      '{"kind":"flow","ts":"yesterday"}',
      '{not json',
      JSON.stringify({ ...flow, dst_port: undefined }),
      '{"kind":"process","ts":3,"source":{"reader":"r","path":"p"},"process":{"image":"x"},"__proto__":{"polluted":true}}',
    ];
    const { events, health } = await read(lines.join('\n'));
    expect(events).toHaveLength(2);
    expect(health.anomalies.count('events.bad_event')).toBe(2);
    expect(health.anomalies.count('events.bad_json')).toBe(1);
    expect(Object.hasOwn(events[1]!, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const { error } = await read('junk\n'.repeat(5), 3);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).located).toBe('line 3: 3 bad lines in a row: not exfilscope events');
  });
});
