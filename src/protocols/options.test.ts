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

  it('rejects unknown keys', () => {
    expect(() => parseConfig({ readers: { pcap: { protocols: { http: { max_header: 2 } } } } })).toThrow(/max_header/);
  });
});
