import { describe, expect, it } from 'vitest';
import type { PayloadEvent } from '../../core/events.js';
import { ethernet, flows, ipv4, pcap, runCapture, tcpConversation, tcpFrame, udpDatagram, udpFrame, type CaptureRecord } from '../../../test/packets.js';
import type { AppProtocol, Direction } from '../analyzer.js';

const T = 1_700_000_000;

/** A stream analyzer for tests: records what it is given and confirms its service on the first bytes. */
function recorder(name: string, port: number, log: string[]): AppProtocol {
  return {
    name,
    transport: 'tcp',
    matches: (conn) => conn.dst_port === port,
    create(ctx) {
      let confirmed = false;
      return {
        data(dir: Direction, bytes: Uint8Array) {
          if (!confirmed) ctx.confirm(name);
          confirmed = true;
          log.push(`${dir}:${Buffer.from(bytes).toString('latin1')}`);
        },
        gap(dir: Direction, length: number) {
          log.push(`${dir}:gap ${length}`);
        },
        end() {
          log.push('end');
        },
      };
    },
  };
}

/** Client data segments at given relative offsets (1-based stream positions) after a handshake. */
function stream(segments: [number, string][], opts: { isn?: number; ack?: boolean } = {}): CaptureRecord[] {
  const isn = opts.isn ?? 1000;
  const base = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 7 };
  const back = { src: '10.0.0.2', dst: '10.0.0.1', sport: 7, dport: 40000 };
  const records: CaptureRecord[] = [
    { ts: T, data: tcpFrame({ ...base, seq: isn, flags: 'S' }) },
    { ts: T + 0.01, data: tcpFrame({ ...back, seq: 9000, ack: isn + 1, flags: 'SA' }) },
    { ts: T + 0.02, data: tcpFrame({ ...base, seq: isn + 1, ack: 9001, flags: 'A' }) },
  ];
  let t = T + 0.03;
  let end = 0;
  for (const [offset, text] of segments) {
    records.push({ ts: (t += 0.01), data: tcpFrame({ ...base, seq: isn + offset, ack: 9001, flags: 'PA', payload: text }) });
    end = Math.max(end, offset + text.length);
  }
  if (opts.ack !== false) records.push({ ts: (t += 0.01), data: tcpFrame({ ...back, seq: 9001, ack: isn + end, flags: 'A' }) });
  return records;
}

describe('connections with Zeek conn.log semantics', () => {
  it('reports a complete conversation as SF with Zeek history, byte and packet counts', async () => {
    const [flow] = flows((await runCapture(pcap(tcpConversation({ request: 'hello', response: 'world!' })))).events);
    expect(flow).toMatchObject({
      src_ip: '10.0.0.1', src_port: 40000, dst_ip: '10.0.0.2', dst_port: 80, proto: 'tcp', conn_state: 'SF', history: 'ShADdFf',
      bytes_out: 5, bytes_in: 6, pkts_out: 5, pkts_in: 3, ip_bytes_out: 5 * 40 + 5, ip_bytes_in: 3 * 40 + 6, missed_bytes: 0,
    });
    // The last ACK after both FINs does not extend the connection (Zeek stops updating its last time then).
    expect(flow?.duration).toBeCloseTo(0.6, 6);
  });

  it('reports a rejected SYN as REJ and an unanswered one as S0', async () => {
    const rej = pcap([
      { ts: T, data: tcpFrame({ sport: 1, dport: 2, seq: 10, flags: 'S' }) },
      { ts: T + 0.1, data: tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 2, dport: 1, seq: 0, ack: 11, flags: 'RA' }) },
    ]);
    expect(flows((await runCapture(rej)).events)[0]).toMatchObject({ conn_state: 'REJ', history: 'Sr' });
    const s0 = pcap([{ ts: T, data: tcpFrame({ sport: 1, dport: 2, seq: 10, flags: 'S' }) }, { ts: T + 1, data: tcpFrame({ sport: 1, dport: 2, seq: 10, flags: 'S' }) }]);
    expect(flows((await runCapture(s0)).events)).toMatchObject([{ conn_state: 'S0', history: 'S', pkts_out: 2 }]);
  });

  it('reports an originator reset after its SYN alone as RSTOS0, and a lone reset as OTH (Zeek\'s history pattern)', async () => {
    const synReset = pcap([
      { ts: T, data: tcpFrame({ sport: 1, dport: 2, seq: 10, flags: 'S' }) },
      { ts: T + 0.1, data: tcpFrame({ sport: 1, dport: 2, seq: 11, flags: 'R' }) },
    ]);
    expect(flows((await runCapture(synReset)).events)[0]).toMatchObject({ conn_state: 'RSTOS0', history: 'SR' });
    const loneReset = pcap([{ ts: T, data: tcpFrame({ sport: 1576, dport: 2, seq: 11, flags: 'R' }) }]);
    expect(flows((await runCapture(loneReset)).events)[0]).toMatchObject({ conn_state: 'OTH', history: 'R' });
  });

  it('makes a connection from a TCP header cut before its options and counts nothing else of it (Zeek vntag_vlan_sandwich_clean.pcap)', async () => {
    const synAck = tcpFrame({ src: '10.10.10.1', dst: '10.10.10.2', sport: 443, dport: 56960, seq: 1, ack: 1, flags: 'SA', options: new Array(20).fill(1) });
    const [flow] = flows((await runCapture(pcap([{ ts: T, data: synAck.subarray(0, synAck.length - 18), wire: synAck.length }]), { likely_server_ports: [] })).events);
    expect(flow).toMatchObject({ src_ip: '10.10.10.1', src_port: 443, dst_port: 56960, history: '', conn_state: 'OTH', pkts_out: 0, pkts_in: 0, ip_bytes_out: 0, bytes_out: 0 });
  });

  it('turns the roles on a SYN answering a SYN-ACK, keeping the history letters as written (Zeek\'s FlipRoles)', async () => {
    const [flow] = flows((await runCapture(pcap([
      { ts: T, data: tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 40001, seq: 100, ack: 501, flags: 'SA' }) },
      { ts: T + 0.1, data: tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 40001, dport: 40000, seq: 500, flags: 'S' }) },
    ]))).events);
    expect(flow).toMatchObject({ src_ip: '10.0.0.2', src_port: 40001, dst_ip: '10.0.0.1', history: 'Hs^', pkts_out: 1, pkts_in: 1 });
  });

  it('keeps a datagram conversation\'s counts with the roles when its analyzer turns them on the first message', async () => {
    const turning: AppProtocol = {
      name: 'ntp', transport: 'udp', matches: () => true,
      create: (ctx) => {
        let first = true;
        return { datagram() { if (first) ctx.flip(); first = false; }, end() {} };
      },
    };
    // Zeek's misordered-ntp.pcap in shape: a server reply first, then the client's request.
    const records = [
      { ts: T, data: udpFrame('17.253.4.253', '192.168.1.95', 123, 123, 'reply') },
      { ts: T + 1, data: udpFrame('192.168.1.95', '17.253.4.253', 123, 123, 'query') },
    ];
    const [flow] = flows((await runCapture(pcap(records), {}, [turning])).events);
    expect(flow).toMatchObject({ src_ip: '192.168.1.95', dst_ip: '17.253.4.253', history: 'D^', pkts_out: 2, pkts_in: 0, bytes_out: 10, conn_state: 'S0' });
  });

  it('takes the SYN-ACK sender from a likely server port as the responder (history ^h)', async () => {
    const records = tcpConversation({}).slice(1);
    const [flow] = flows((await runCapture(pcap(records))).events);
    expect(flow).toMatchObject({ src_ip: '10.0.0.1', dst_port: 80, history: '^hADdFf' });
  });

  it('counts bytes from sequence numbers across a gap and reports the missing bytes', async () => {
    const log: string[] = [];
    const records = stream([[1, 'a'.repeat(100)], [201, 'c'.repeat(100)]]);
    const { events } = await runCapture(pcap(records), {}, [recorder('echo', 7, log)]);
    expect(flows(events)[0]).toMatchObject({ bytes_out: 300, missed_bytes: 100, service: 'echo' });
    expect(flows(events)[0]?.history).toContain('G');
    expect(log).toEqual(['orig:' + 'a'.repeat(100), 'orig:gap 100', 'orig:' + 'c'.repeat(100), 'end']);
  });

  it('names no service for a connection first seen mid-stream (Zeek skips partial connections), yet analyzes it', async () => {
    const log: string[] = [];
    const midStream = stream([[1, 'hello']]).slice(2);
    const { events } = await runCapture(pcap(midStream), {}, [recorder('echo', 7, log)]);
    expect(flows(events)[0]?.service).toBeUndefined();
    expect(log).toEqual(['orig:hello', 'end']);
    // The same bytes after the handshake name the service (the SYN-ACK alone also starts a connection properly).
    expect(flows((await runCapture(pcap(stream([[1, 'hello']])), {}, [recorder('echo', 7, [])])).events)[0]?.service).toBe('echo');
    expect(flows((await runCapture(pcap(tcpConversation({}).slice(1)), {}, [recorder('echo', 80, [])])).events)[0]?.service).toBe('echo');
  });

  it('keeps exact byte counts and stream order across 32-bit sequence wraparound', async () => {
    const log: string[] = [];
    const segments: [number, string][] = [];
    for (let i = 0; i < 6; i++) segments.push([1 + i * 1000, String(i).repeat(1000)]);
    const { events } = await runCapture(pcap(stream(segments, { isn: 0xfffff000 })), {}, [recorder('echo', 7, log)]);
    expect(flows(events)[0]).toMatchObject({ bytes_out: 6000, missed_bytes: 0 });
    expect(log.filter((l) => l.startsWith('orig:')).map((l) => l.slice(5)).join('')).toBe(segments.map(([, s]) => s).join(''));
  });

  it('keeps the first copy of overlapping TCP data and counts tcp.overlap_diff_data (GOOD then EVIL)', async () => {
    const log: string[] = [];
    const { events, health } = await runCapture(pcap(stream([[1, 'GOOD'], [1, 'EVIL'], [5, '!']])), {}, [recorder('echo', 7, log)]);
    expect(health.anomalies.count('tcp.overlap_diff_data')).toBe(1);
    expect(log.slice(0, 2)).toEqual(['orig:GOOD', 'orig:!']);
    expect(flows(events)[0]?.history).toContain('T');
  });

  it('buffers out-of-order data and delivers it in order', async () => {
    const log: string[] = [];
    await runCapture(pcap(stream([[4, 'DEF'], [1, 'ABC']])), {}, [recorder('echo', 7, log)]);
    expect(log.slice(0, 2)).toEqual(['orig:ABC', 'orig:DEF']);
  });

  it('stops buffering above a hole at max_buffered_bytes (tcp.reassembly_overflow) and still counts volume', async () => {
    const log: string[] = [];
    const segments: [number, string][] = [];
    for (let i = 1; i <= 10; i++) segments.push([1 + i * 100, 'x'.repeat(100)]);
    const { events, health } = await runCapture(pcap(stream(segments, { ack: false })), { max_buffered_bytes: 250 }, [recorder('echo', 7, log)]);
    expect(health.anomalies.count('tcp.reassembly_overflow')).toBeGreaterThan(0);
    // The hole below the buffered data was given up: delivery resumed above it.
    expect(log.filter((l) => l.startsWith('orig:x')).join('').length).toBe(1000 + 'orig:'.length * 10);
    expect(flows(events)[0]?.bytes_out).toBe(1100);
  });

  it('stops feeding an analyzer at inspect_depth (tcp.inspect_depth_reached) while counting every byte', async () => {
    const log: string[] = [];
    const { events, health } = await runCapture(pcap(stream([[1, 'a'.repeat(60)], [61, 'b'.repeat(60)]])), { inspect_depth: 100 }, [recorder('echo', 7, log)]);
    expect(health.anomalies.count('tcp.inspect_depth_reached')).toBe(1);
    expect(log.filter((l) => l.startsWith('orig:')).join('').length).toBe(100 + 'orig:'.length * 2);
    expect(flows(events)[0]?.bytes_out).toBe(120);
  });

  it('hands an expected connection (an FTP data channel) to the announced analyzer', async () => {
    const log: string[] = [];
    const control: AppProtocol = {
      name: 'ctl',
      transport: 'tcp',
      matches: (conn) => conn.dst_port === 7,
      create(ctx) {
        return {
          data() {
            ctx.confirm('ctl');
            ctx.expect({ dst_ip: '10.0.0.2', dst_port: 2000, until: T + 60 }, (dataCtx) => recorder('ctl-data', 0, log).create(dataCtx));
          },
          gap() {},
          end() {},
        };
      },
    };
    const data = tcpConversation({ sport: 41000, dport: 2000, request: 'file-bytes', t0: T + 1 });
    const { events } = await runCapture(pcap([...stream([[1, 'PASV']]), ...data]), {}, [control]);
    const dataFlow = flows(events).find((f) => f.dst_port === 2000);
    expect(dataFlow?.service).toBe('ctl-data');
    expect(log).toContain('orig:file-bytes');
  });

  it('drops the oldest expectation beyond max_expected (flow.expected_dropped)', async () => {
    let n = 0;
    const control: AppProtocol = {
      name: 'ctl', transport: 'tcp', matches: () => true,
      create: (ctx) => ({
        data: () => {
          for (let i = 0; i < 5; i++) ctx.expect({ dst_ip: '10.0.0.9', dst_port: 3000 + n++, until: T + 60 }, () => ({ data() {}, gap() {}, end() {} }));
        },
        gap() {},
        end() {},
      }),
    };
    const { health } = await runCapture(pcap(stream([[1, 'x']])), { max_expected: 2 }, [control]);
    expect(health.anomalies.count('flow.expected_dropped')).toBe(3);
  });

  it('emits payload samples and totals for connections no analyzer takes', async () => {
    const { events } = await runCapture(pcap(tcpConversation({ request: 'x'.repeat(300), response: 'y'.repeat(50) })), { payload_sample_bytes: 100 });
    const payloads = events.filter((e): e is PayloadEvent => e.kind === 'payload');
    expect(payloads.map((p) => [p.direction, p.sample.bytes.length, p.sample.total, p.context])).toEqual([
      ['out', 100, 300, 'tcp.stream'],
      ['in', 50, 50, 'tcp.stream'],
    ]);
  });

  it('tells one five-tuple apart by its VLAN IDs, outer and inner, with conn_key vlan-five-tuple', async () => {
    const datagram = udpDatagram(5000, 6000, 'abc');
    const inVlans = (ids: number[]) => ethernet(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, datagram), 0x0800, ids.map(() => 0x8100), ids);
    const records = [[], [42], [10, 20], [20, 10], [42]].map((ids, i) => ({ ts: T + i, data: inVlans(ids) }));
    const count = async (conn_key: 'five-tuple' | 'vlan-five-tuple') => flows((await runCapture(pcap(records), { conn_key })).events).map((f) => f.pkts_out);
    expect(await count('five-tuple')).toEqual([5]);
    expect((await count('vlan-five-tuple')).sort()).toEqual([1, 1, 1, 2]);
  });

  it('splits UDP conversations idle longer than udp_inactivity_timeout', async () => {
    const records = [0, 30, 100].map((dt) => ({ ts: T + dt, data: udpFrame('10.0.0.1', '10.0.0.2', 5000, 6000, 'abc') }));
    const result = flows((await runCapture(pcap(records))).events);
    expect(result.map((f) => [f.pkts_out, f.bytes_out, f.conn_state, f.history])).toEqual([[2, 6, 'S0', 'D'], [1, 3, 'S0', 'D']]);
  });

  it('ends a conversation whose analyzer has a session timeout as Zeek\'s DNS timer does: checked every timeout from the start', async () => {
    const sessions: AppProtocol = {
      name: 'dns', transport: 'udp', matches: (conn) => conn.dst_port === 53, sessionTimeout: 10,
      create: () => ({ datagram() {}, end() {} }),
    };
    const split = async (times: number[], protocols = [sessions]) => {
      const records = times.map((dt) => ({ ts: T + dt, data: udpFrame('10.0.0.1', '10.0.0.2', 5000, 53, 'q') }));
      return flows((await runCapture(pcap(records), {}, protocols)).events).map((f) => f.pkts_out);
    };
    // At 10 s the conversation had been silent 9.5 s of the 9 allowed (the timeout less Zeek's one-second grace).
    expect(await split([0, 0.5, 19])).toEqual([2, 1]);
    // Silent for 9 s at the 10 s check: ended, though the next packet comes only 9.2 s after the last.
    expect(await split([0, 1, 10.2])).toEqual([2, 1]);
    // Active at 10 s (last packet at 9.2), so next checked at 20 s: a packet at 10.5 still belongs to it.
    expect(await split([0, 9.2, 10.5, 21])).toEqual([3, 1]);
    // Without a session timeout, only udp_inactivity_timeout (60 s) ends it.
    expect(await split([0, 0.5, 19], [])).toEqual([3]);
  });

  it('evicts the least recently active connection beyond max_flows, still measuring the big active flow', async () => {
    const records: CaptureRecord[] = [];
    const big = stream([]);
    records.push(...big);
    let seq = 1001;
    for (let i = 0; i < 50; i++) {
      records.push({ ts: T + 1 + i * 0.01, data: udpFrame('10.9.0.1', '10.9.0.2', 10000 + i, 53, 'q') });
      records.push({ ts: T + 1 + i * 0.01 + 0.005, data: tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 7, seq, ack: 9001, flags: 'PA', payload: 'z'.repeat(1000) }) });
      seq += 1000;
    }
    const { events, health } = await runCapture(pcap(records), { max_flows: 5 });
    expect(health.anomalies.count('flow.evicted')).toBe(46);
    const bigFlow = flows(events).find((f) => f.dst_port === 7);
    expect(bigFlow?.bytes_out).toBe(50_000);
  });

  it('keeps network time monotonic: a packet from the past is counted, not a mass expiry', async () => {
    const records = [
      { ts: T, data: udpFrame('10.0.0.1', '10.0.0.2', 1, 2, 'a') },
      { ts: T + 10, data: udpFrame('10.0.0.1', '10.0.0.2', 1, 2, 'a') },
      { ts: T - 86_400, data: udpFrame('10.0.0.1', '10.0.0.2', 1, 2, 'a') },
      { ts: T + 20, data: udpFrame('10.0.0.1', '10.0.0.2', 1, 2, 'a') },
    ];
    const { events, health } = await runCapture(pcap(records));
    expect(health.anomalies.count('pcap.ts_non_monotonic')).toBe(1);
    expect(flows(events)).toHaveLength(1);
    expect(flows(events)[0]?.pkts_out).toBe(4);
  });

  it('starts a new connection when a SYN reuses the endpoints of a closed one', async () => {
    const first = tcpConversation({ isn: 100 });
    const second = tcpConversation({ isn: 900_000, t0: T + 2 });
    const result = flows((await runCapture(pcap([...first, ...second]))).events);
    expect(result.map((f) => f.conn_state)).toEqual(['SF', 'SF']);
  });
});

describe('timers and datagram analyzers', () => {
  const syn = (ts: number) => ({ ts, data: tcpFrame({ sport: 1, dport: 2, seq: 10, flags: 'S' }) });

  it('ends an unanswered SYN after tcp_attempt_delay, as Zeek does', async () => {
    const records = [syn(T), syn(T + 3), syn(T + 9)];
    expect(flows((await runCapture(pcap(records))).events).map((f) => f.pkts_out)).toEqual([2, 1]);
    expect(flows((await runCapture(pcap(records), { tcp_attempt_delay: 10 })).events).map((f) => f.pkts_out)).toEqual([3]);
  });

  it('splits an established connection idle longer than tcp_inactivity_timeout', async () => {
    const records = stream([[1, 'a']]);
    const later = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 7, seq: 1002, ack: 9001, flags: 'PA', payload: 'b' });
    const result = flows((await runCapture(pcap([...records, { ts: T + 400, data: later }]))).events);
    expect(result.map((f) => f.conn_state)).toEqual(['S1', 'OTH']);
    expect(flows((await runCapture(pcap([...records, { ts: T + 400, data: later }]), { tcp_inactivity_timeout: 600 })).events)).toHaveLength(1);
  });

  it('hands ICMP conversations to an icmp analyzer (data after the header), keyed like Zeek (type, counterpart)', async () => {
    const seen: string[] = [];
    const echo: AppProtocol = {
      name: 'icmp-echo', transport: 'icmp', matches: (conn) => conn.src_port === 8,
      create: (ctx) => ({
        datagram(dir, bytes) {
          seen.push(`${dir}:${bytes.length}`);
          ctx.confirm('icmp-echo');
        },
        end() {},
      }),
    };
    const icmp = (src: string, dst: string, type: number) => {
      const message = new Uint8Array(8 + 56);
      message[0] = type;
      return { src, dst, message };
    };
    const records = [icmp('10.0.0.1', '10.0.0.2', 8), icmp('10.0.0.2', '10.0.0.1', 0)].map((m, i) => ({
      ts: T + i, data: ethernet(ipv4({ src: m.src, dst: m.dst, proto: 1 }, m.message)),
    }));
    const { events } = await runCapture(pcap(records), {}, [echo]);
    expect(seen).toEqual(['orig:56', 'resp:56']);
    expect(flows(events)[0]).toMatchObject({ proto: 'icmp', src_port: 8, dst_port: 0, bytes_out: 56, bytes_in: 56, service: 'icmp-echo', conn_state: 'OTH' });
  });
});

describe('limits and protocol violations reported by analyzers', () => {
  /** Confirms on its first bytes; `LIMIT` reaches a limit, `BAD` is a violation (whose outcome it records). */
  function strict(log: string[]): AppProtocol {
    return {
      name: 'strict', transport: 'tcp', matches: (conn) => conn.dst_port === 7,
      create(ctx) {
        return {
          data(dir: Direction, bytes: Uint8Array) {
            const text = Buffer.from(bytes).toString('latin1');
            log.push(`${dir}:${text}`);
            ctx.confirm('strict');
            if (text === 'LIMIT') ctx.limitReached('strict.limit');
            if (text === 'BAD') log.push(`removed ${ctx.violation('strict', 'strict.violation')}`);
          },
          gap() {},
          end() {
            log.push('end');
          },
        };
      },
    };
  }

  it('marks the history with X once, where the limit was reached', async () => {
    const { events, health } = await runCapture(pcap(stream([[1, 'LIMIT'], [6, 'LIMIT']])), {}, [strict([])]);
    expect(flows(events)[0]).toMatchObject({ history: 'ShADXa', service: 'strict' });
    expect(health.anomalies.count('strict.limit')).toBe(2);
  });

  it('removes the analyzer on a violation: no more bytes, its end still comes, its service is withdrawn', async () => {
    const log: string[] = [];
    const { events, health } = await runCapture(pcap(stream([[1, 'hello'], [6, 'BAD'], [9, 'more']])), {}, [strict(log)]);
    expect(log).toEqual(['orig:hello', 'orig:BAD', 'removed true', 'end']);
    expect(flows(events)[0]?.service).toBeUndefined();
    // The rest of the stream is still sampled for content analysis.
    const payload = events.find((e): e is PayloadEvent => e.kind === 'payload');
    expect(payload && Buffer.from(payload.sample.bytes).toString()).toBe('more');
    expect(health.anomalies.count('strict.violation')).toBe(1);
  });

  it('keeps the removed service followed by -service with track_removed_services', async () => {
    const { events } = await runCapture(pcap(stream([[1, 'hello'], [6, 'BAD']])), { track_removed_services: true }, [strict([])]);
    expect(flows(events)[0]?.service).toBe('strict,-strict');
  });

  it('ignores a violation past ignore_violations_after bytes of the connection', async () => {
    const log: string[] = [];
    const { events } = await runCapture(pcap(stream([[1, 'hello'], [6, 'BAD'], [9, 'more']])), { ignore_violations_after: 4 }, [strict(log)]);
    expect(log).toEqual(['orig:hello', 'orig:BAD', 'removed false', 'orig:more', 'end']);
    expect(flows(events)[0]?.service).toBe('strict');
  });

  it('keeps the letters of the history as they were when an analyzer turns the roles round (Zeek FlipRoles)', async () => {
    const turner: AppProtocol = {
      name: 'turner', transport: 'udp', matches: () => true,
      create: (ctx) => ({ datagram: () => ctx.flip(), end() {} }),
    };
    const records = [{ ts: T, data: udpFrame('10.0.0.1', '10.0.0.2', 40000, 40001, 'answer') }];
    const { events } = await runCapture(pcap(records), {}, [turner]);
    expect(flows(events)[0]).toMatchObject({ src_ip: '10.0.0.2', src_port: 40001, history: 'D^' });
  });
});
