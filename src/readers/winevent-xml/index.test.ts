import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWith } from '../../../test/harness.js';
import { options, winEventXmlReader } from './index.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'testdata', name), 'utf8');
const read = (input: string, raw: unknown = {}, chunkSize?: number) => readWith(winEventXmlReader, input, { readerOptions: options.parse(raw), chunkSize });

const EVENT = (id: number, data: string, extra = ''): string =>
  `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>${id}</EventID><TimeCreated SystemTime="2024-01-01T00:00:00.000Z"/><Computer>H</Computer>${extra}</System><EventData>${data}</EventData></Event>\n`;

describe('winevent-xml sniff', () => {
  it('takes wevtutil output, <Events> exports and declarations, and nothing else', () => {
    const sniff = (t: string): boolean => winEventXmlReader.sniff(Buffer.from(t));
    expect(sniff(fixture('sysmon-wevtutil.xml'))).toBe(true);
    expect(sniff(fixture('security-events-wrapper.xml'))).toBe(true);
    expect(sniff('\uFEFF  ' + EVENT(1, ''))).toBe(true);
    expect(sniff('<html><body>Event System</body></html>')).toBe(false);
    expect(sniff('{"Event": {"System": {}}}')).toBe(false);
  });
});

describe('winevent-xml events', () => {
  it('normalises a wevtutil export with no root element, with line numbers as evidence', async () => {
    const { events, health, error } = await read(fixture('sysmon-wevtutil.xml'));
    expect(error).toBeUndefined();
    expect(health.records).toBe(3);
    expect(events.map((e) => e.kind)).toEqual(['process', 'file', 'net_conn']);
    const [proc, file, conn] = events;
    expect(proc).toMatchObject({
      host: 'WS01.corp.example',
      source: { reader: 'winevent-xml', line: 1 },
      process: { pid: 4242, guid: '{11111111-2222-3333-4444-555555555555}', command_line: '"C:\\Program Files\\7-Zip\\7z.exe" a -p"Sup3r S3cret" -mhe=on C:\\Users\\bob\\Documents\\exfil\\q3.7z C:\\Users\\bob\\Documents\\Finance', user: 'CORP\\bob' },
      parent: { pid: 1000, image: 'C:\\Windows\\System32\\cmd.exe' },
    });
    expect(proc!.ts).toBeCloseTo(Date.UTC(2024, 4, 6, 10, 0, 1) / 1000 + 0.12, 6);
    expect(file).toMatchObject({ action: 'create', path: 'C:\\Users\\bob\\Documents\\exfil\\q3.7z', source: { line: 2 } });
    expect(conn).toMatchObject({ dst_ip: '203.0.113.50', dst_port: 21, outbound: true });
  });

  it('reads <Events> wrappers after an XML declaration and UserData fields in the record view', async () => {
    const { events } = await read(fixture('security-events-wrapper.xml'));
    expect(events.map((e) => e.kind)).toEqual(['process', 'file', 'net_conn']);
    const records: unknown[] = [];
    const ctx = { path: 'x', health: (await read('')).health, limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: 10 }, options: options.parse({}) };
    async function* one(): AsyncIterable<Uint8Array> {
      yield Buffer.from(fixture('security-events-wrapper.xml'));
    }
    for await (const batch of winEventXmlReader.records!(one(), ctx)) records.push(...batch);
    expect(records).toHaveLength(4);
    expect(records[3]).toMatchObject({ EventID: 1102, EventRecordID: '90004', Provider: 'Microsoft-Windows-Eventlog', Channel: 'Security', TimeCreated: '2024-05-06T11:00:04.000Z', EventData: { SubjectUserName: 'alice', SubjectDomainName: 'CORP' } });
  });

  it('gives the same events whatever the chunk boundaries', async () => {
    const whole = await read(fixture('sysmon-wevtutil.xml'));
    const bytewise = await read(fixture('sysmon-wevtutil.xml'), {}, 7);
    expect(bytewise.events).toEqual(whole.events);
  });

  it('skips and counts an event cut short by the next one, and a truncated last event', async () => {
    const cut = EVENT(1, '<Data Name="Image">a.exe</Data>').slice(0, 150);
    const { events, health } = await read(cut + EVENT(1, '<Data Name="Image">b.exe</Data>') + EVENT(1, '<Data Name="Image">c.exe</Data>').slice(0, 200));
    expect(events.map((e) => e.kind === 'process' && e.process.image)).toEqual(['b.exe']);
    expect(health.anomalies.count('winevent-xml.truncated_event')).toBe(2);
  });

  it('counts bad event IDs and times', async () => {
    const { events, health } = await read(EVENT(1, '').replace('<EventID>1</EventID>', '<EventID>one</EventID>') + EVENT(1, '').replace('2024-01-01T00:00:00.000Z', 'soon') + EVENT(1, '<Data Name="Image">ok</Data>'));
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('winevent-xml.bad_event_id')).toBe(1);
    expect(health.anomalies.count('winevent-xml.bad_time')).toBe(1);
  });

  it('does not expand entities or DTDs', async () => {
    const doc = `<!DOCTYPE Event [<!ENTITY x "boom">]>\n` + EVENT(1, '<Data Name="Image">&x;</Data><Data Name="CommandLine">a &amp; b</Data>');
    const { events, health } = await read(doc + EVENT(1, '<Data Name="Image">ok</Data>'));
    expect(JSON.stringify(events)).not.toContain('boom');
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('winevent-xml.malformed_xml')).toBe(1);
  });

  it('trips the depth cap', async () => {
    const deep = '<a>'.repeat(40) + '</a>'.repeat(40);
    const { events, health } = await read(EVENT(1, `<Data Name="Image">x</Data>${deep}`) + EVENT(1, '<Data Name="Image">y</Data>'), { max_depth: 16 });
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('winevent-xml.too_deep')).toBe(1);
    expect((await read(EVENT(1, `<Data Name="Image">x</Data>${deep}`), { max_depth: 64 })).events).toHaveLength(1);
  });

  it('trips the text-length cap and keeps the first part', async () => {
    const { events, health } = await read(EVENT(1, `<Data Name="CommandLine">${'A'.repeat(2000)}</Data>`), { max_text_length: 1000 });
    expect(events[0]!.kind === 'process' && events[0].process.command_line!.length).toBe(1000);
    expect(health.anomalies.count('winevent-xml.text_too_long')).toBe(1);
  });

  it('skips an event longer than max_event_length and reads the next', async () => {
    const { events, health } = await read(EVENT(1, `<Data Name="CommandLine">${'A'.repeat(10_000)}</Data>`) + EVENT(1, '<Data Name="Image">y</Data>'), { max_event_length: 4096 }, 1000);
    expect(events).toHaveLength(1);
    expect(health.anomalies.count('winevent-xml.event_too_long')).toBe(1);
  });

  it('trips the field cap', async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `<Data Name="F${i}">v</Data>`).join('');
    const { health } = await read(EVENT(1, fields), { max_fields: 8 });
    expect(health.anomalies.count('winevent-xml.too_many_fields')).toBe(12);
  });

  it('refuses XML that holds no readable event', async () => {
    const { error } = await read('<Event><System><<<<');
    expect(error?.name).toBe('InputError');
  });

  it('survives hostile field names', async () => {
    const { events } = await read(EVENT(1, '<Data Name="__proto__">x</Data><Data Name="constructor">y</Data><Data Name="Image">z</Data>'));
    expect(events).toHaveLength(1);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
