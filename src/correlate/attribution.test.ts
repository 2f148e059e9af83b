// Process attribution: flows joined to host-side connections on the endpoints within a time tolerance.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetConnEvent } from '../core/events.js';
import { Observations } from '../store/observations.js';
import { Store } from '../store/store.js';
import { defaultCorrelateOptions } from './options.js';

const dir = mkdtempSync(join(tmpdir(), 'exfilscope-attr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function conn(ts: number, srcPort: number, image: string, host = 'WS01'): NetConnEvent {
  return { kind: 'net_conn', ts, host, source: { reader: 'sysmon', path: 's.evtx', line: 1 }, proto: 'tcp', src_ip: '10.0.0.5', src_port: srcPort, dst_ip: '203.0.113.9', dst_port: 21, process: { pid: srcPort, image } };
}

describe('process attribution', () => {
  const store = Store.open(join(dir, 'state.db'));
  const o = new Observations(defaultCorrelateOptions());
  [conn(1000, 41000, 'curl'), conn(1003, 41001, 'ftp'), conn(5000, 41000, 'scp', 'WS09')].forEach((e) => o.observe(e));
  store.commitInput(undefined, 'hunt', [], o);
  const flow = { src_ip: '10.0.0.5', dst_ip: '203.0.113.9', dst_port: 21 };

  it('joins on the full 5-tuple when the flow has its source port', () => {
    expect(store.attribute({ ...flow, src_port: 41001, ts: 1000.5 }, 5)?.process?.image).toBe('ftp');
  });
  it('takes the closest connection in time when the source port is unknown', () => {
    expect(store.attribute({ ...flow, ts: 1002.5 }, 5)?.process?.image).toBe('ftp');
    expect(store.attribute({ ...flow, ts: 999 }, 5)?.process?.image).toBe('curl');
  });
  it('attributes nothing outside the tolerance, or to other endpoints', () => {
    expect(store.attribute({ ...flow, ts: 1010 }, 5)).toBeUndefined();
    expect(store.attribute({ ...flow, dst_port: 22, ts: 1000 }, 5)).toBeUndefined();
    expect(store.attribute({ ...flow, src_ip: '10.0.0.6', ts: 1000 }, 5)).toBeUndefined();
  });
  it('matches a host record without a source address (auditd connect) on destination and time, exact sources first', () => {
    const audit = new Observations(defaultCorrelateOptions());
    audit.observe({ ...conn(9000, 0, '/usr/bin/curl', 'web-01'), src_ip: '0.0.0.0' });
    audit.observe({ ...conn(20000, 0, '/usr/bin/wget', 'web-01'), src_ip: '0.0.0.0' });
    audit.observe(conn(20001, 41009, 'ftp'));
    store.commitInput(undefined, 'hunt', [], audit);
    const attributed = store.attribute({ ...flow, src_ip: '10.0.0.77', src_port: 50000, ts: 9001 }, 5);
    expect([attributed?.host, attributed?.process?.image]).toEqual(['web-01', '/usr/bin/curl']);
    expect(store.attribute({ ...flow, ts: 20000 }, 5)?.process?.image).toBe('ftp');
  });

  it('maps an address to the host name reported closest in time (addresses move with DHCP)', () => {
    expect(store.hostForIp('10.0.0.5', 1100)).toBe('WS01');
    expect(store.hostForIp('10.0.0.5', 4900)).toBe('WS09');
    expect(store.hostForIp('10.9.9.9', 1000)).toBeUndefined();
  });
});
