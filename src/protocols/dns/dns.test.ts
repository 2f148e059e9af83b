import { describe, expect, it } from 'vitest';
import type { DatagramAnalyzer, StreamAnalyzer } from '../analyzer.js';
import { RecordingContext } from '../common/test-context.js';
import { dnsProtocols } from './dns.js';
import { formatIpv6 } from '../../core/ip.js';
import { DEFAULT_DNS_LIMITS, parseDnsMessage } from './message.js';

/** Wire-format name from dotted text. */
function name(text: string): number[] {
  const out: number[] = [];
  for (const label of text.split('.').filter((l) => l !== '')) out.push(label.length, ...Buffer.from(label, 'latin1'));
  return [...out, 0];
}
const u16 = (n: number): number[] => [n >> 8, n & 0xff];
const u32 = (n: number): number[] => [...u16(n >>> 16), ...u16(n & 0xffff)];

function message(id: number, flags: number, counts: [number, number], body: number[]): Uint8Array {
  return Uint8Array.from([...u16(id), ...u16(flags), ...u16(counts[0]), ...u16(counts[1]), 0, 0, 0, 0, ...body]);
}
const question = (q: string, type = 1): number[] => [...name(q), ...u16(type), ...u16(1)];
const rr = (owner: number[], type: number, ttl: number, rdata: number[]): number[] => [...owner, ...u16(type), 0, 1, ...u32(ttl), ...u16(rdata.length), ...rdata];
const POINTER_TO_QNAME = [0xc0, 12];

const conn = { uid: 'Cdns', proto: 'udp' as const, src_ip: '10.0.0.1', src_port: 5000, dst_ip: '10.0.0.53', dst_port: 53 };

function udp(): { ctx: RecordingContext; dns: DatagramAnalyzer } {
  const ctx = new RecordingContext(conn);
  return { ctx, dns: dnsProtocols()[0]!.create(ctx) as DatagramAnalyzer };
}

describe('dns analyzer', () => {
  it('renders LOC and NAPTR answers as Zeek does (responses of Zeek\'s Traces/dns/loc-29-trunc.pcap and naptr.pcap)', () => {
    const loc = Buffer.from(
      '820f840000010002000000010873756e6e2d707431026573036e65740000ff0001c00c001d0001000002580010001215138805025065d2d400009896'
      + '80c00c002e000100000258007a001d0e03000002585fced1875fa7397f7f2a026573036e6574009778824d12effb20c5bd16db06025c34c6bc034559'
      + '8fbd77f3b9e18a58fdf08982f069f51839762c138c5c0f149a6c8f2422004faeb6595110905fd6c291cad2f04fbad0711851ad1cf7049d45a120547d'
      + '6a6e7315bf68e3d3cb87cc5309e305000029100000008000001c000a0018bc31985b673b6cb8010000005fa886fa4d7134934d3ca9c4',
      'hex',
    );
    const naptr = Buffer.from(
      '51ea818000010001000000001666702d64652d636172726965722d766f6461666f6e65037263730974656c6570686f6e7904676f6f670000230001c0'
      + '0c00230001000000a8004600640064017308534950532b44325400055f73697073045f7463701666702d64652d636172726965722d766f6461666f6e'
      + '65037263730974656c6570686f6e7904676f6f6700',
      'hex',
    );
    const { ctx, dns } = udp();
    dns.datagram('resp', loc, 1);
    dns.datagram('resp', naptr, 2);
    expect(ctx.of('dns').map((e) => e.answers)).toEqual([
      ['LOC:  18 21 19', 'RRSIG 29 es.net'],
      ['NAPTR 100 100 s SIPS+D2T _sips._tcp.fp-de-carrier-vodafone.rcs.telephony.goog'],
    ]);
    // A character-string running past the record leaves the answer out rather than reading beyond it.
    const cut = Uint8Array.from(naptr);
    cut[cut.length - 66] = 0xff;
    const broken = udp();
    broken.dns.datagram('resp', cut, 3);
    expect(broken.ctx.of('dns')[0]?.answers).toBeUndefined();
  });

  it('asks for the roles to be flipped when the first message is a response from the originator, as Zeek does', () => {
    const response = message(25701, 0x8580, [1, 1], [...question('us.v27.distributed.net'), ...rr(POINTER_TO_QNAME, 1, 900, [206, 109, 64, 186])]);
    const flipped = udp();
    flipped.dns.datagram('orig', response, 1);
    flipped.dns.datagram('orig', response, 2);
    expect(flipped.ctx.flips).toBe(1);
    const ordinary = udp();
    ordinary.dns.datagram('orig', message(25701, 0x0100, [1, 0], question('us.v27.distributed.net')), 1);
    ordinary.dns.datagram('resp', response, 2);
    ordinary.dns.datagram('orig', response, 3);
    expect(ordinary.ctx.flips).toBe(0);
  });

  it('pairs a query with its response and renders answers as Zeek does', () => {
    const { ctx, dns } = udp();
    dns.datagram('orig', message(0x1234, 0x0100, [1, 0], question('WWW.Example.COM')), 1);
    const answers = [
      ...rr(POINTER_TO_QNAME, 5, 300, name('edge.example.net')),
      ...rr(POINTER_TO_QNAME, 1, 60, [192, 0, 2, 7]),
      ...rr(POINTER_TO_QNAME, 28, 60, [0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      ...rr(POINTER_TO_QNAME, 16, 10, [3, 0x61, 0x62, 0x63, 2, 0x64, 0x65]),
    ];
    dns.datagram('resp', message(0x1234, 0x8180, [1, 4], [...question('WWW.Example.COM'), ...answers]), 2);
    dns.end(3);
    expect(ctx.of('dns')).toEqual([expect.objectContaining({
      ts: 1, trans_id: 0x1234, query: 'www.example.com', qtype: 1, qtype_name: 'A', rcode: 0, rcode_name: 'NOERROR',
      answers: ['edge.example.net', '192.0.2.7', '2001:db8::1', 'TXT 3 abc TXT 2 de'], ttls: [300, 60, 60, 10], proto: 'udp',
    })]);
    // The response repeats the query's name, which is sampled once; its TXT strings are sampled.
    expect(ctx.of('payload').map((p) => [p.context, p.direction])).toEqual([['dns.qname', 'out'], ['dns.txt', 'in'], ['dns.txt', 'in']]);
  });

  it('logs unanswered queries at the end and responses without a query', () => {
    const { ctx, dns } = udp();
    dns.datagram('orig', message(1, 0x0100, [1, 0], question('a.test', 28)), 1);
    dns.datagram('resp', message(2, 0x8183, [1, 0], question('b.test')), 2);
    dns.end(3);
    // As in Zeek, a response seen without its query gives the name but not the query type.
    expect(ctx.of('dns').map((e) => [e.query, e.qtype_name, e.rcode_name])).toEqual([['b.test', undefined, 'NXDOMAIN'], ['a.test', 'AAAA', undefined]]);
    // The name of a response without its query is sampled from the response.
    expect(ctx.of('payload').map((p) => [p.context, p.direction, p.sample.total])).toEqual([['dns.qname', 'out', 6], ['dns.qname', 'in', 6]]);
  });

  it('names a question-less response by its first answer, and skips records Zeek does not log', () => {
    const { ctx, dns } = udp();
    const answers = [...rr(name('printer.local'), 1, 120, [192, 168, 0, 2]), ...rr([0xc0, 12], 11, 120, [1, 2, 3, 4, 6])];
    dns.datagram('resp', message(0, 0x8400, [0, 2], answers), 1);
    expect(ctx.of('dns')[0]).toMatchObject({ query: 'printer.local', answers: ['192.168.0.2'], ttls: [120] });
  });

  it('does not pair an answer for another name with a pending query of the same id (mDNS)', () => {
    const { ctx, dns } = udp();
    dns.datagram('orig', message(0, 0x0000, [1, 0], question('initial-query-a.local')), 1);
    dns.datagram('orig', message(0, 0x8400, [0, 1], rr(name('unrelated-reply-a.local'), 1, 120, [192, 168, 0, 2])), 2);
    dns.end(3);
    expect(ctx.of('dns').map((e) => [e.query, e.qtype_name, e.answers])).toEqual([
      ['unrelated-reply-a.local', undefined, ['192.168.0.2']], ['initial-query-a.local', 'A', undefined],
    ]);
  });

  it('pairs responses with queries of the same id by name in any order, and bounds them oldest first', () => {
    const ctx = new RecordingContext(conn);
    const dns = dnsProtocols({ ...DEFAULT_DNS_LIMITS, max_pending_queries: 3 })[0]!.create(ctx) as DatagramAnalyzer;
    const ask = (id: number, q: string, ts: number) => dns.datagram('orig', message(id, 0x0100, [1, 0], question(q)), ts);
    const answer = (id: number, q: string, ts: number) => dns.datagram('resp', message(id, 0x8180, [1, 0], question(q)), ts);
    ask(7, 'a.test', 1);
    ask(7, 'b.test', 2);
    ask(8, 'c.test', 3);
    answer(7, 'b.test', 4); // the second query of id 7
    ask(7, 'd.test', 5);
    ask(9, 'e.test', 6); // a fourth pending query: a.test, the oldest, is logged unanswered
    answer(7, 'd.test', 7);
    answer(7, 'a.test', 8); // no longer pending: a response alone
    dns.end(9);
    expect(ctx.of('dns').map((e) => [e.ts, e.query, e.qtype_name, e.rcode_name])).toEqual([
      [2, 'b.test', 'A', 'NOERROR'], [1, 'a.test', 'A', undefined], [5, 'd.test', 'A', 'NOERROR'], [8, 'a.test', undefined, 'NOERROR'],
      [3, 'c.test', 'A', undefined], [6, 'e.test', 'A', undefined],
    ]);
    expect(ctx.count('dns.too_many_pending')).toBe(1);
  });

  it('decodes NetBIOS name service names as Zeek does', () => {
    const ctx = new RecordingContext({ ...conn, src_port: 137, dst_port: 137 });
    const dns = dnsProtocols()[0]!.create(ctx) as DatagramAnalyzer;
    const encoded = [...Buffer.from('WORKGROUP      \x1d', 'latin1')].flatMap((b) => [0x41 + (b >> 4), 0x41 + (b & 15)]);
    dns.datagram('orig', message(5, 0x0110, [1, 0], [32, ...encoded, 0, 0, 32, 0, 1]), 1);
    dns.end(2);
    expect(ctx.of('dns')[0]).toMatchObject({ query: 'workgroup'.toUpperCase(), qtype_name: 'NIMLOC' });
  });

  it('keeps __proto__ as an ordinary label and key', () => {
    const { ctx, dns } = udp();
    dns.datagram('orig', message(7, 0x0100, [1, 0], question('__proto__.constructor')), 1);
    dns.datagram('resp', message(7, 0x8180, [1, 0], question('__proto__.constructor')), 2);
    expect(ctx.of('dns')[0]!.query).toBe('__proto__.constructor');
  });

  it('reads length-prefixed messages over TCP split at every byte boundary', () => {
    const query = message(9, 0x0100, [1, 0], question('t.example'));
    const response = message(9, 0x8180, [1, 1], [...question('t.example'), ...rr(POINTER_TO_QNAME, 1, 5, [1, 2, 3, 4])]);
    const stream = Uint8Array.from([...u16(query.length), ...query]);
    const reply = Uint8Array.from([...u16(response.length), ...response]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const ctx = new RecordingContext({ ...conn, proto: 'tcp' });
      const dns = dnsProtocols()[1]!.create(ctx) as StreamAnalyzer;
      dns.data('orig', stream.subarray(0, cut), 1);
      dns.data('orig', stream.subarray(cut), 1);
      dns.data('resp', reply.subarray(0, cut), 2);
      dns.data('resp', reply.subarray(cut), 2);
      dns.end(3);
      expect(ctx.of('dns').map((e) => [e.query, e.answers])).toEqual([['t.example', ['1.2.3.4']]]);
    }
  });

  it('stops reading a TCP direction after a gap, where message boundaries are lost', () => {
    const ctx = new RecordingContext({ ...conn, proto: 'tcp' });
    const dns = dnsProtocols()[1]!.create(ctx) as StreamAnalyzer;
    const query = message(3, 0x0100, [1, 0], question('a.example'));
    dns.data('orig', Uint8Array.from([...u16(query.length), ...query.subarray(0, 5)]), 1);
    dns.gap('orig', 10, 2);
    dns.data('orig', Uint8Array.from([...u16(query.length), ...query]), 3);
    dns.end(4);
    expect(ctx.count('dns.content_gap')).toBe(1);
    expect(ctx.of('dns')).toHaveLength(0);
  });

  it('formats IPv6 addresses as RFC 5952 / inet_ntop do', () => {
    const addr = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
    expect(formatIpv6(addr('fe800000000000000200deff fead beef'.replace(/ /g, '')))).toBe('fe80::200:deff:fead:beef');
    expect(formatIpv6(addr('00000000000000000000ffffc0000201'))).toBe('::ffff:192.0.2.1');
    expect(formatIpv6(addr('20010db8000000010000000000000001'))).toBe('2001:db8:0:1::1');
    expect(formatIpv6(addr('00000000000000000000000000000000'))).toBe('::');
  });

  describe('hostile messages (RELIABILITY D23, D31)', () => {
    const anomalies = (msg: Uint8Array): { codes: string[]; parsed: ReturnType<typeof parseDnsMessage> } => {
      const codes: string[] = [];
      const parsed = parseDnsMessage(msg, DEFAULT_DNS_LIMITS, { anomaly: (c) => codes.push(c), limitReached: (c) => codes.push(c) });
      return { codes, parsed };
    };

    it('stops a compression pointer to itself', () => {
      const { codes, parsed } = anomalies(message(1, 0x8180, [1, 0], [0xc0, 12, 0, 1, 0, 1]));
      expect(codes).toContain('dns.name_loop');
      expect(parsed?.question?.name).toBe('');
    });

    it('stops a ping-pong pair of pointers', () => {
      // Question: label "a" then pointer to offset 17, where an answer name points back to 12.
      const body = [1, 0x61, 0xc0, 17, 0, 1, 0, 1, 1, 0x62, 0xc0, 12];
      const { codes } = anomalies(message(1, 0x8180, [1, 0], body));
      expect(codes).toContain('dns.name_loop');
    });

    it('cuts a name of 300 labels at the name cap', () => {
      const labels = Array.from({ length: 300 }, () => 'x').join('.');
      const { codes, parsed } = anomalies(message(1, 0x0100, [1, 0], question(labels)));
      expect(codes).toContain('dns.name_too_long');
      expect(parsed!.question!.name.length).toBeLessThanOrEqual(255);
      expect(parsed!.question!.qtype).toBe(1);
    });

    it('bounds work by bytes when qdcount and ancount say 65535', () => {
      const codes: string[] = [];
      const report = { anomaly: (c: string) => codes.push(c), limitReached: (c: string) => codes.push(c) };
      const parsed = parseDnsMessage(message(1, 0x8180, [65_535, 65_535], question('one.test')), { ...DEFAULT_DNS_LIMITS, max_questions: 65_535 }, report);
      expect(parsed!.question!.name).toBe('one.test');
      expect(codes).toEqual(['dns.truncated']);
    });

    it('reads no question of a message declaring more than max_questions (the traffic is not DNS)', () => {
      const { codes, parsed } = anomalies(message(1, 0x0100, [26, 0], question('one.test')));
      expect(parsed!.questions).toBe(26);
      expect(parsed!.question).toBeUndefined();
      expect(codes).toEqual([]);
    });

    it('cuts a name reached through more than max_compression_depth pointers', () => {
      // A CNAME target `c` → pointer to the A record's owner `b` → pointer to the question's `a`: two pointers.
      const body = [...question('a'), ...rr([1, 0x62, ...POINTER_TO_QNAME], 1, 60, [1, 2, 3, 4]), ...rr(POINTER_TO_QNAME, 5, 60, [1, 0x63, 0xc0, 19])];
      const msg = message(1, 0x8180, [1, 2], body);
      expect(anomalies(msg)).toMatchObject({ codes: [], parsed: { answers: ['1.2.3.4', 'c.b.a'] } });
      const codes: string[] = [];
      const limits: string[] = [];
      const parsed = parseDnsMessage(msg, { ...DEFAULT_DNS_LIMITS, max_compression_depth: 1 }, { anomaly: (c) => codes.push(c), limitReached: (c, detail) => limits.push(`${c} ${detail}`) });
      expect(parsed!.answers).toEqual(['1.2.3.4', 'c.b']);
      expect(codes).toEqual([]);
      expect(limits).toEqual(['dns.compression_depth_exceeded 2']);
    });

    it('takes a message declaring more than max_questions for a protocol violation and stops (X, no service)', () => {
      const { ctx, dns } = udp();
      dns.datagram('orig', message(1, 0x0100, [26, 0], question('one.test')), 1);
      dns.datagram('orig', message(2, 0x0100, [1, 0], question('two.test')), 2);
      dns.end(3);
      expect(ctx.limits).toEqual(['dns.too_many_questions']);
      expect(ctx.violations).toEqual(['dns']);
      expect(ctx.services).toEqual([]);
      expect(ctx.events).toEqual([]);
    });

    it('rejects reserved label types and short headers', () => {
      expect(anomalies(message(1, 0x0100, [1, 0], [0x41, 0, 0, 1, 0, 1])).codes).toContain('dns.bad_label');
      expect(anomalies(Uint8Array.from([1, 2, 3])).codes).toEqual(['dns.truncated']);
    });

    it('bounds pending queries per connection', () => {
      const ctx = new RecordingContext(conn);
      const dns = dnsProtocols({ ...DEFAULT_DNS_LIMITS, max_pending_queries: 3 })[0]!.create(ctx) as DatagramAnalyzer;
      for (let id = 0; id < 10; id++) dns.datagram('orig', message(id, 0x0100, [1, 0], question(`q${id}.test`)), id);
      expect(ctx.count('dns.too_many_pending')).toBe(7);
      expect(ctx.of('dns').map((e) => e.trans_id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      dns.end(20);
      expect(ctx.of('dns')).toHaveLength(10);
    });
  });
});
