import { describe, expect, it } from 'vitest';
import { keystream } from '../../analysis/testdata/random.js';
import { icmpEvent, payloadEvent, runDetector } from '../../../test/events.js';
import { classifyEchoData, icmpExfil } from './index.js';

const echo = (data: Uint8Array) => payloadEvent(data, { uid: undefined, protocol: 'icmp', context: 'icmp.echo', src_port: 0, dst_port: 0 });

/** Linux iputils data: 16 bytes of timeval, then each byte equals its offset. */
function linuxData(size = 56, pattern?: Uint8Array): Uint8Array {
  const d = new Uint8Array(size);
  for (let i = 0; i < size; i++) d[i] = pattern ? pattern[i % pattern.length]! : i & 0xff;
  d.set(keystream(16, `ts${size}`), 0);
  return d;
}

describe('echo data classification', () => {
  it('knows the OS defaults', () => {
    expect(classifyEchoData(linuxData()).kind).toBe('os-default');
    expect(classifyEchoData(linuxData(1400)).kind).toBe('os-default');
    expect(classifyEchoData(new Uint8Array(Buffer.from('abcdefghijklmnopqrstuvwabcdefghi'))).kind).toBe('os-default');
    expect(classifyEchoData(new Uint8Array(64)).kind).toBe('fill');
    expect(classifyEchoData(new Uint8Array(0)).kind).toBe('empty');
  });

  it('extracts a ping -p pattern unit, aligned as given on the command line', () => {
    const r = classifyEchoData(linuxData(56, Uint8Array.from([0xde, 0xad, 0xbe])));
    expect(r.kind).toBe('pattern');
    expect(Buffer.from(r.unit!).toString('hex')).toBe('deadbe');
    expect(classifyEchoData(keystream(64)).kind).toBe('custom');
  });
});

describe('icmp-exfil', () => {
  it('finds ciphertext in custom echo payloads, with request/reply counts', () => {
    const events = [];
    for (let i = 0; i < 10; i++) {
      events.push(icmpEvent({ seq: i, payload_len: 500 }), echo(keystream(500, `p${i}`)));
    }
    events.push(icmpEvent({ icmp_type: 0, src_ip: '203.0.113.7', dst_ip: '10.1.1.10', payload_len: 500 }));
    const [f] = runDetector(icmpExfil, events);
    expect(f).toMatchObject({ technique: 'T1048.001', proto: 'icmp', details: { echo_requests: 10, echo_replies: 1, unanswered_requests: 9, data_packets: 10, data_bytes: 5000, content: 'ciphertext', carrier: 'payload' } });
  });

  it('reassembles data sent 16 bytes at a time with ping -p', () => {
    const secret = keystream(320);
    const events = [];
    for (let i = 0; i < secret.length; i += 16) events.push(echo(linuxData(56, secret.subarray(i, i + 16))));
    const [f] = runDetector(icmpExfil, events);
    expect(f).toMatchObject({ technique: 'T1048.001', details: { carrier: 'ping-pattern', data_packets: 20, data_bytes: 320, inspected_bytes: 320 } });
  });

  it('calls readable data T1048.003', () => {
    const lines = Buffer.from('user=alice password=Winter2024! host=db01\n'.repeat(20));
    const events = [];
    for (let i = 0; i < lines.length; i += 200) events.push(echo(new Uint8Array(lines.subarray(i, i + 200))));
    expect(runDetector(icmpExfil, events)[0]).toMatchObject({ technique: 'T1048.003', details: { content: 'text' } });
  });

  it('stays quiet for OS pings, MTU probes, a fixed -p test pattern and a couple of odd packets', () => {
    const events = [
      ...Array.from({ length: 50 }, () => echo(linuxData())),
      ...Array.from({ length: 5 }, () => echo(linuxData(1472))),
      ...Array.from({ length: 20 }, () => echo(new Uint8Array(Buffer.from('abcdefghijklmnopqrstuvwabcdefghi')))),
      ...Array.from({ length: 20 }, () => echo(linuxData(56, Uint8Array.from([0xff, 0x00])))),
      echo(keystream(64, 'odd1')),
      echo(keystream(64, 'odd2')),
    ];
    expect(runDetector(icmpExfil, events)).toEqual([]);
  });

  it('bounds pairs and kept content', () => {
    const events = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].flatMap((ip) => Array.from({ length: 4 }, (_, i) => ({ ...echo(keystream(200, `${ip}${i}`)), src_ip: ip })));
    const findings = runDetector(icmpExfil, events, { max_pairs: 2 });
    expect(findings).toHaveLength(3);
    const [f] = runDetector(icmpExfil, events.slice(0, 4), { max_content_bytes: 400 });
    expect(f!.details).toMatchObject({ data_bytes: 800, inspected_bytes: 400 });
  });
});

describe('icmp-exfil on conversation samples', () => {
  it('cuts a conversation sample back into packets with the request sizes', () => {
    // What a capture emits: icmp events per packet, then one payload with the conversation's data.
    const secret = keystream(160);
    const datas = Array.from({ length: 10 }, (_, i) => linuxData(56, secret.subarray(i * 16, i * 16 + 16)));
    const pings = Array.from({ length: 10 }, () => linuxData());
    const exfil = [...datas.map(() => icmpEvent({ payload_len: 56 })), echo(new Uint8Array(Buffer.concat(datas)))];
    expect(runDetector(icmpExfil, exfil)[0]).toMatchObject({ details: { carrier: 'ping-pattern', data_packets: 10, data_bytes: 160 } });
    const benign = [...pings.map(() => icmpEvent({ payload_len: 56 })), echo(new Uint8Array(Buffer.concat(pings)))];
    expect(runDetector(icmpExfil, benign)).toEqual([]);
  });
});
