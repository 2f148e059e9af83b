import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWith } from '../../../test/harness.js';
import { newInputHealth } from '../../core/health.js';
import { options, winEventJsonReader } from './index.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'testdata', name), 'utf8');
const read = (input: string, raw: unknown = {}, chunkSize?: number, limits?: { max_consecutive_bad_lines: number }) =>
  readWith(winEventJsonReader, input, { readerOptions: options.parse(raw), chunkSize, limits });
const flat = (fields: Record<string, unknown>): string =>
  JSON.stringify({ SourceName: 'Microsoft-Windows-Sysmon', Hostname: 'H', '@timestamp': '2024-01-01T00:00:00Z', EventID: 1, Image: 'x.exe', ...fields });

async function records(text: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const ctx = { path: 'x', health: newInputHealth('x'), limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: 10 }, options: options.parse({}) };
  async function* one(): AsyncIterable<Uint8Array> {
    yield Buffer.from(text);
  }
  for await (const batch of winEventJsonReader.records!(one(), ctx)) out.push(...batch);
  return out;
}

describe('winevent-json sniff', () => {
  it('takes the three shapes and leaves other JSON alone', () => {
    const sniff = (t: string): boolean => winEventJsonReader.sniff(Buffer.from(t));
    expect(sniff(fixture('winlogbeat.ndjson'))).toBe(true);
    expect(sniff(fixture('evtx-dump-pretty.json'))).toBe(true);
    expect(sniff(fixture('mordor-flat.json'))).toBe(true);
    expect(sniff('{"ts":1.5,"uid":"C1","id.orig_h":"10.0.0.1"}')).toBe(false);
    expect(sniff('<Event><System/></Event>')).toBe(false);
  });
});

describe('winevent-json shapes', () => {
  it('reads Winlogbeat/ECS lines (string or numeric event_id, host from winlog.computer_name)', async () => {
    const { events, health } = await read(fixture('winlogbeat.ndjson'));
    expect(health.records).toBe(3);
    expect(events.map((e) => [e.kind, e.source.line])).toEqual([['process', 1], ['file', 2], ['dns', 3]]);
    expect(events[0]).toMatchObject({ host: 'ws02.corp.example', process: { pid: 7001, command_line: expect.stringContaining('openssl.exe enc -aes-256-cbc') }, parent: { pid: 7000 } });
    expect(events[2]).toMatchObject({ query: 'drop.evil.example', answers: ['203.0.113.77'], process: { image: 'C:\\Windows\\System32\\curl.exe' } });
  });

  it('reads pretty-printed evtx_dump objects back to back, #text event IDs, and keeps a record ID above 2^53 exact', async () => {
    const { events } = await read(fixture('evtx-dump-pretty.json'));
    expect(events.map((e) => [e.kind, e.source.line])).toEqual([['process', 1], ['file', 32]]);
    expect(events[0]).toMatchObject({ host: 'SRV03', process: { pid: 42, command_line: 'certutil -encodehex C:\\x.bin C:\\x.hex', user: 'CORP\\dave' } });
    expect(events[0]!.ts).toBeCloseTo(Date.UTC(2024, 4, 6, 13) / 1000 + 0.123456, 6);
    const recs = await records(fixture('evtx-dump-pretty.json'));
    expect(recs[0]).toMatchObject({ EventRecordID: '18446744073709551615', EventID: 4688, Provider: 'Microsoft-Windows-Security-Auditing', Channel: 'Security' });
    expect(recs[1]).toMatchObject({ EventID: 23, EventData: { TargetFilename: 'C:\\x.bin', ProcessId: '42' } });
  });

  it('reads a JSON array of flattened OTRF records', async () => {
    const { events } = await read(fixture('mordor-flat.json'));
    expect(events.map((e) => e.kind)).toEqual(['process', 'net_conn']);
    expect(events[1]).toMatchObject({ src_ip: '172.18.39.5', dst_ip: '198.51.100.99', dst_port: 443, outbound: true, process: { pid: 3344 } });
  });

  it('gives the same events whatever the chunk boundaries', async () => {
    for (const name of ['winlogbeat.ndjson', 'evtx-dump-pretty.json', 'mordor-flat.json']) {
      expect((await read(fixture(name), {}, 5)).events, name).toEqual((await read(fixture(name))).events);
    }
  });
});

describe('winevent-json hostile input', () => {
  it('drops __proto__ and constructor keys without polluting prototypes', async () => {
    const { events } = await read(flat({ __proto__: { polluted: 1 }, constructor: { prototype: { polluted: 2 } }, CommandLine: 'gpg -c x' }).replace('"Image"', '"__proto__":{"polluted":1},"Image"'));
    expect(events).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('resynchronises after a cut JSON line and counts it', async () => {
    const cut = flat({ CommandLine: 'a' }).slice(0, 60);
    const { events, health } = await read(`${flat({})}\n${cut}\n${flat({ Image: 'after.exe' })}\n`);
    expect(events.map((e) => e.kind === 'process' && e.process.image)).toEqual(['x.exe', 'after.exe']);
    expect(health.anomalies.count('winevent-json.bad_json')).toBe(1);
  });

  it('counts junk between objects, non-Windows objects and bad times', async () => {
    const { events, health } = await read(`garbage here\n${flat({})}\n{"hello":"world"}\n${flat({ '@timestamp': 'never' })}\n`);
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('winevent-json.junk')).toBe(1);
    expect(health.anomalies.count('winevent-json.not_windows')).toBe(1);
    expect(health.anomalies.count('winevent-json.bad_time')).toBe(1);
  });

  it('trips the depth cap on deeply nested records without recursion', async () => {
    const deep = '{"EventID":1,"x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const { events, health } = await read(`${deep}\n${flat({})}\n`, { max_record_length: 1 << 20 });
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('winevent-json.too_deep')).toBe(1);
  });

  it('trips the record-length cap and reads the next record', async () => {
    const { events, health } = await read(`${flat({ CommandLine: 'A'.repeat(10_000) })}\n${flat({})}\n`, { max_record_length: 4096 }, 1000);
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('winevent-json.record_too_long')).toBe(1);
  });

  it('trips the field cap', async () => {
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`F${i}`, 'v']));
    const { health } = await read(flat(fields), { max_fields: 8 });
    expect(health.anomalies.count('winevent-json.too_many_fields')).toBe(13); // Image and F0…F19, 8 kept
  });

  it('stops with an InputError after too many bad records in a row, naming the line', async () => {
    const { error } = await read('{"a":1}\n'.repeat(20) + flat({}), {}, undefined, { max_consecutive_bad_lines: 5 });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain('line 5');
  });
});
