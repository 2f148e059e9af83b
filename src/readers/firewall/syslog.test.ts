import { describe, expect, it } from 'vitest';
import { parseSyslog } from './syslog.js';

describe('parseSyslog', () => {
  it('reads RFC 3164 with and without PRI, assuming the given year and UTC', () => {
    const plain = parseSyslog('Jun  8 14:34:33 sd-126005 kernel: [1.0] IN=eth0', 2024);
    expect(plain.header).toMatchObject({ timestamp: 'Jun  8 14:34:33', host: 'sd-126005', program: 'kernel', ts: Date.UTC(2024, 5, 8, 14, 34, 33) / 1000 });
    expect(plain.message).toBe('[1.0] IN=eth0');
    const pri = parseSyslog('<134>Sep 28 10:38:09 pfSense filterlog[4242]: 5,,,1000,em0', 2024);
    expect(pri.header).toMatchObject({ priority: 134, host: 'pfSense', program: 'filterlog', pid: '4242' });
    expect(pri.message).toBe('5,,,1000,em0');
  });

  it('reads RFC 5424 with structured data holding escaped brackets and quotes', () => {
    const line = '<134>1 2022-09-06T18:37:34+02:00 opnsense filterlog 69805 - [meta sequenceId="2633353" note="a\\]b \\"c\\""] 10,,,abc,re0';
    const { header, message } = parseSyslog(line, 2024);
    expect(header).toMatchObject({ priority: 134, version: 1, host: 'opnsense', program: 'filterlog', pid: '69805', ts: Date.UTC(2022, 8, 6, 16, 37, 34) / 1000 });
    expect(message).toBe('10,,,abc,re0');
    expect(parseSyslog('<14>1 - - - - - - hello', 2024)).toEqual({ header: { priority: 14, version: 1 }, message: 'hello' });
  });

  it('reads the ISO-timestamped rsyslog variant and leaves headerless lines whole', () => {
    const iso = parseSyslog('2024-05-01T10:00:00.5+00:00 fw01 kernel: IN=eth0', 2024);
    expect(iso.header).toMatchObject({ host: 'fw01', program: 'kernel', ts: Date.UTC(2024, 4, 1, 10, 0, 0) / 1000 + 0.5 });
    expect(parseSyslog('CEF:0|a|b|c|d|e|f|src=1', 2024)).toEqual({ header: {}, message: 'CEF:0|a|b|c|d|e|f|src=1' });
  });
});
