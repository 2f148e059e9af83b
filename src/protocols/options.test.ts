import { describe, expect, it } from 'vitest';
import { parseConfig } from '../pipeline/config.js';
import type { StreamAnalyzer } from './analyzer.js';
import { RecordingContext, feed } from './common/test-context.js';
import { DEFAULT_HTTP_LIMITS } from './http/http.js';
import { appProtocols } from './index.js';
import type { AppProtocolOptions } from './options.js';

describe('application protocol options', () => {
  it('default to the modules\' limits and are set from config section readers.pcap.protocols', () => {
    const defaults = (parseConfig({}).readers['pcap'] as { protocols: AppProtocolOptions }).protocols;
    expect(defaults.http).toEqual(DEFAULT_HTTP_LIMITS);
    const config = parseConfig({ readers: { pcap: { protocols: { http: { max_headers: 2 } } } } });
    const options = (config.readers['pcap'] as { protocols: AppProtocolOptions }).protocols;
    const ctx = new RecordingContext();
    const http = appProtocols(options)[0]!.create(ctx) as StreamAnalyzer;
    feed(http, [['orig', 'GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nHost: dropped\r\n\r\n']]);
    expect(ctx.count('http.too_many_headers')).toBe(1);
    expect(ctx.of('http')[0]!.host_header).toBeUndefined();
  });

  it('has Zeek\'s defaults for the limits Zeek marks with X, and rejects values out of range', () => {
    const pcap = parseConfig({}).readers['pcap'] as { protocols: AppProtocolOptions; max_tunnel_changes: number; ignore_violations_after: number; track_removed_services: boolean };
    expect([pcap.protocols.dns.max_questions, pcap.protocols.dns.max_compression_depth, pcap.protocols.ftp.max_command_length]).toEqual([25, 20, 100]);
    expect([pcap.max_tunnel_changes, pcap.ignore_violations_after, pcap.track_removed_services]).toEqual([5, 10_240, false]);
    expect(() => parseConfig({ readers: { pcap: { protocols: { dns: { max_questions: 0 } } } } })).toThrow(/max_questions/);
    expect(() => parseConfig({ readers: { pcap: { max_tunnel_changes: -1 } } })).toThrow(/max_tunnel_changes/);
    expect(() => parseConfig({ readers: { pcap: { track_removed_services: 'yes' } } })).toThrow(/track_removed_services/);
  });

  it('rejects unknown keys', () => {
    expect(() => parseConfig({ readers: { pcap: { protocols: { http: { max_header: 2 } } } } })).toThrow(/max_header/);
  });
});
