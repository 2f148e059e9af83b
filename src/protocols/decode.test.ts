import { describe, expect, it } from 'vitest';
import { AnomalyCounter } from '../core/anomalies.js';
import { ethernet, ipv4, ipv6, tcpSegment, udpDatagram } from '../../test/packets.js';
import { decodeLink, LINKTYPE_AMSDU_SUBFRAMES, withVlanTag, type DecodeContext } from './decode.js';
import { FragmentReassembler } from './fragments.js';

function context(limits = { max_trackers: 100, timeout: 60, max_fragments: 64 }): DecodeContext {
  const anomalies = new AnomalyCounter();
  return { anomalies, fragments: new FragmentReassembler(limits, anomalies), now: 0 };
}

const segment = tcpSegment({ sport: 1234, dport: 80, seq: 7, ack: 9, flags: 'PA', payload: 'abc' });
const ip = ipv4({ src: '10.1.2.3', dst: '10.4.5.6', proto: 6 }, segment);
const v6src = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]);
const v6dst = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 2]);

describe('link layers', () => {
  const sll = new Uint8Array(16 + ip.length);
  sll.set([0x08, 0x00], 14);
  sll.set(ip, 16);
  const sll2 = new Uint8Array(20 + ip.length);
  sll2.set([0x08, 0x00], 0);
  sll2.set(ip, 20);
  const nullLe = new Uint8Array(4 + ip.length);
  nullLe.set([2, 0, 0, 0]);
  nullLe.set(ip, 4);
  const loop = new Uint8Array(4 + ip.length);
  loop.set([0, 0, 0, 2]);
  loop.set(ip, 4);
  it.each([
    ['Ethernet', 1, ethernet(ip)],
    ['802.1Q', 1, ethernet(ip, 0x0800, [0x8100])],
    ['QinQ', 1, ethernet(ip, 0x0800, [0x88a8, 0x8100])],
    ['Linux SLL', 113, sll],
    ['Linux SLL2', 276, sll2],
    ['BSD NULL', 0, nullLe],
    ['OpenBSD LOOP', 108, loop],
    ['raw (101)', 101, ip],
    ['raw (12)', 12, ip],
    ['raw (14)', 14, ip],
    ['IPv4 (228)', 228, ip],
  ])('decodes TCP over %s', (_name, linktype, frame) => {
    const packet = decodeLink(linktype, frame, context());
    expect(packet).toMatchObject({ src: '10.1.2.3', dst: '10.4.5.6', proto: 6, sport: 1234, dport: 80, seq: 7, ack: 9, flags: 0x18, payloadLength: 3, ipLength: 43 });
    expect(Buffer.from(packet!.payload).toString()).toBe('abc');
  });

  it('decodes IP behind an 802.3 length and LLC/SNAP header, and skips other LLC frames (Zeek\'s Traces/snap-tcp.pcap)', () => {
    const syn = Uint8Array.from(Buffer.from('66778899aabb0011223344550030aaaa03000000080045000028000100004006f77bc0a80101c0a8010230390050000000640000000050022000dba10000', 'hex'));
    const ctx = context();
    expect(decodeLink(1, syn, ctx)).toMatchObject({ src: '192.168.1.1', dst: '192.168.1.2', proto: 6, sport: 12345, dport: 80, flags: 0x02 });
    const stp = syn.slice();
    stp.set([0x42, 0x42, 0x03], 14);
    expect(decodeLink(1, stp, ctx)).toBeUndefined();
    expect(ctx.anomalies.total).toBe(0);
  });

  it('decodes IPv6 (229) through hop-by-hop and destination options to UDP', () => {
    const packet = decodeLink(229, ipv6(v6src, v6dst, 17, udpDatagram(53, 5353, 'q'), [[0, new Uint8Array(6)], [60, new Uint8Array(14)]]), context());
    expect(packet).toMatchObject({ src: '2001:db8::1', dst: '2001:db8::2', proto: 17, sport: 53, dport: 5353, payloadLength: 1 });
  });

  it('keeps the outer and inner VLAN IDs for the connection key, a third tag overwriting the inner as in Zeek', () => {
    const tagsOf = (vlans: number[], ids: number[]) => decodeLink(1, ethernet(ip, 0x0800, vlans, ids), context())!.vlanTags;
    expect(tagsOf([], [])).toBe(0);
    expect(tagsOf([0x8100], [42])).toBe(withVlanTag(0, 42));
    expect(tagsOf([0x88a8, 0x8100], [10, 20])).toBe(withVlanTag(withVlanTag(0, 10), 20));
    expect(tagsOf([0x88a8, 0x8100, 0x8100], [10, 30, 20])).toBe(tagsOf([0x88a8, 0x8100], [10, 20]));
    // Outer 10 / inner 20 is not outer 20 / inner 10, nor a lone tag 10; VLAN 0 is a tag too.
    const keys = [tagsOf([0x8100], [10]), tagsOf([0x88a8, 0x8100], [10, 20]), tagsOf([0x88a8, 0x8100], [20, 10]), tagsOf([0x8100], [0]), 0];
    expect(new Set(keys).size).toBe(keys.length);
    // The TCI's priority and DEI bits are not part of the ID.
    const prioritised = ethernet(ip, 0x0800, [0x8100], [42]);
    prioritised[14]! |= 0xf0;
    expect(decodeLink(1, prioritised, context())!.vlanTags).toBe(withVlanTag(0, 42));
  });

  it('stops at the layer cap on 200 stacked VLAN tags and counts it', () => {
    const ctx = context();
    expect(decodeLink(1, ethernet(ip, 0x0800, new Array(200).fill(0x8100)), ctx)).toBeUndefined();
    expect(ctx.anomalies.count('decode.too_many_layers')).toBe(1);
  });

  it('counts a 5-byte Ethernet frame, an unknown link type, IHL < 5 and a bad IP version', () => {
    const ctx = context();
    decodeLink(1, new Uint8Array(5), ctx);
    decodeLink(65000, ip, ctx);
    const badIhl = ip.slice();
    badIhl[0] = 0x44;
    decodeLink(101, badIhl, ctx);
    const v7 = ip.slice();
    v7[0] = 0x75;
    decodeLink(101, v7, ctx);
    expect([...ctx.anomalies.entries()].map((e) => e.code)).toEqual([
      'decode.eth_too_small', 'decode.ipv4_invalid_header_size', 'decode.unknown_ip_version', 'decode.unsupported_linktype',
    ]);
  });

  it('uses the captured length for a TSO packet whose IPv4 total length is 0', () => {
    const ctx = context();
    const tso = ipv4({ src: '10.1.2.3', dst: '10.4.5.6', proto: 6, totalLength: 0 }, segment);
    expect(decodeLink(101, tso, ctx)?.payloadLength).toBe(3);
    expect(ctx.anomalies.count('decode.ipv4_zero_length')).toBe(1);
  });
});

describe('transport headers', () => {
  it('walks TCP options whose length byte is 0 or 1 without looping, and counts them', () => {
    for (const options of [[2, 0, 5, 0], [8, 1, 1, 1]]) {
      const ctx = context();
      const seg = tcpSegment({ sport: 1, dport: 2, seq: 1, flags: 'S', options });
      expect(decodeLink(101, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 6 }, seg), ctx)?.flags).toBe(2);
      expect(ctx.anomalies.count('decode.tcp_bad_option')).toBe(1);
    }
  });

  it('counts a TCP data offset below 5 and beyond the segment, keeping the fixed header of the latter as Zeek does', () => {
    const ctx = context();
    const small = segment.slice();
    small[12] = 0x40;
    const big = segment.slice();
    big[12] = 0xf0;
    expect(decodeLink(101, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 6 }, small), ctx)).toBeUndefined();
    const truncated = decodeLink(101, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 6 }, big), ctx);
    expect(truncated).toMatchObject({ headerTruncated: true, sport: 1234, dport: 80, flags: 0x18, payloadLength: 0 });
    expect(truncated!.payload.length).toBe(0);
    expect(ctx.anomalies.count('decode.tcp_invalid_data_offset')).toBe(1);
    expect(ctx.anomalies.count('decode.tcp_truncated_header')).toBe(1);
  });

  it('clamps a UDP length field below 8 or past the datagram, and counts it', () => {
    const ctx = context();
    const p1 = decodeLink(101, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 17 }, udpDatagram(1, 2, 'abcd', 4)), ctx);
    const p2 = decodeLink(101, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 17 }, udpDatagram(1, 2, 'abcd', 4000)), ctx);
    expect([p1?.payloadLength, p2?.payloadLength]).toEqual([4, 4]);
    expect(ctx.anomalies.count('decode.udp_bad_length')).toBe(2);
  });
});

describe('IPv4 and IPv6 fragments', () => {
  const whole = udpDatagram(1000, 2000, 'x'.repeat(40));
  const frag = (offset: number, more: boolean, body: Uint8Array, id = 7) =>
    ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id, fragOffset: offset, more }, body);

  it('reassembles fragments arriving out of order', () => {
    const ctx = context();
    expect(decodeLink(101, frag(24, false, whole.subarray(24)), ctx)).toBeUndefined();
    const packet = decodeLink(101, frag(0, true, whole.subarray(0, 24)), ctx);
    expect(packet).toMatchObject({ sport: 1000, dport: 2000, payloadLength: 40, ipLength: 68 });
  });

  it('keeps the first copy of overlapping bytes and counts overlaps carrying different data', () => {
    const ctx = context();
    decodeLink(101, frag(0, true, whole.subarray(0, 24)), ctx);
    const evil = whole.slice(16);
    evil[4] = evil[4]! ^ 0xff;
    const packet = decodeLink(101, frag(16, false, evil), ctx);
    expect(ctx.anomalies.count('defrag.overlap_diff_data')).toBe(1);
    expect(Buffer.from(packet!.payload).equals(Buffer.from(whole.subarray(8)))).toBe(true);
  });

  it('never builds a datagram beyond 65 535 bytes', () => {
    const ctx = context();
    expect(decodeLink(101, frag(65528, false, new Uint8Array(16)), ctx)).toBeUndefined();
    expect(ctx.anomalies.count('defrag.too_large')).toBe(1);
  });

  it('evicts the oldest tracker beyond max_trackers and expires trackers after the timeout', () => {
    const ctx = context({ max_trackers: 3, timeout: 60, max_fragments: 64 });
    for (let id = 0; id < 5; id++) decodeLink(101, frag(0, true, whole.subarray(0, 8), id), ctx);
    expect(ctx.anomalies.count('defrag.trackers_evicted')).toBe(2);
    expect(ctx.fragments.size).toBe(3);
    ctx.now = 1000;
    decodeLink(101, frag(0, true, whole.subarray(0, 8), 99), ctx);
    expect(ctx.anomalies.count('defrag.timeout')).toBe(3);
    expect(ctx.fragments.size).toBe(1);
  });

  it('drops a datagram with more fragments than max_fragments', () => {
    const ctx = context({ max_trackers: 3, timeout: 60, max_fragments: 2 });
    for (let i = 0; i < 3; i++) decodeLink(101, frag(i * 8, true, whole.subarray(i * 8, i * 8 + 8)), ctx);
    expect(ctx.anomalies.count('defrag.too_many_fragments')).toBe(1);
  });

  it('reassembles IPv6 fragments (RFC 8200 §4.5)', () => {
    const ctx = context();
    const fragHeader = (offset: number, more: boolean) => {
      const body = new Uint8Array(6);
      new DataView(body.buffer).setUint16(0, offset | (more ? 1 : 0));
      new DataView(body.buffer).setUint32(2, 42);
      return body;
    };
    expect(decodeLink(229, ipv6(v6src, v6dst, 17, whole.subarray(0, 16), [[44, fragHeader(0, true)]]), ctx)).toBeUndefined();
    const packet = decodeLink(229, ipv6(v6src, v6dst, 17, whole.subarray(16), [[44, fragHeader(16, false)]]), ctx);
    expect(packet).toMatchObject({ proto: 17, sport: 1000, payloadLength: 40 });
  });
});

describe('Teredo (RFC 4380), on real datagrams of Zeek\'s Traces/tunnels/Teredo.pcap and teredo_bubble_with_payload.pcap', () => {
  const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
  // A router solicitation behind an authentication header (frame 6), the advertisement answering it behind
  // authentication and origin indication (frame 7), a bubble behind an origin indication (frame 31).
  const solicitation = hex('00010000cd5669400b22df88006000000000183afffe800000000000008000fffffffffffdff0200000000000000000000000000028500a91d0000000001020000000000008000f12ab9c82815');
  const advertisement = hex('00010000cd5669400b22df88000000f12ab9c828156000000000303afffe800000000000008000f227bec861affe800000000000008000fffffffffffd86001f570000000000000000000007d003044040ffffffffffffffff000000002001000041379e500000000000000000');
  const originBubble = hex('00007f7bac55fed96000000000003b00fe80000000000000708dfe834114a5122001000041379e508000f12ab9c82815');
  // Sent to a relay on port 32900: an echo reply and a SYN with no Teredo header at all (frames 33, 34).
  const echoReply = hex('60000000000c3a3a200148600000200100000000000000682001000041379e508000f12ab9c828158100c47cd373b69b53aa0126');
  const syn = hex('60000000001806802001000041379e508000f12ab9c8281520014860000020010000000000000068050600507c7b6b46000000006002400090a20000020404c4');
  // A bubble carrying 4 stray bytes ("1234").
  const bubbleWithPayload = hex('6000000000003b152001000041379e508000f12ab9c828152001486000002001000000000000006831323334');
  const outer = (sport: number, dport: number, payload: Uint8Array) =>
    ipv4({ src: '192.168.2.16', dst: '83.170.1.38', proto: 17 }, udpDatagram(sport, dport, payload));

  it('peels authentication and origin-indication headers on port 3544', () => {
    const ctx = context();
    for (const [payload, src, type] of [[solicitation, 'fe80::8000:ffff:ffff:fffd', 133], [advertisement, 'fe80::8000:f227:bec8:61af', 134]] as const) {
      const packet = decodeLink(101, outer(3797, 3544, payload), ctx);
      expect(packet?.tunnel).toBe('teredo');
      expect(decodeLink(packet!.inner!.linktype, packet!.inner!.data, ctx)).toMatchObject({ src, proto: 58, sport: type });
    }
    expect(ctx.anomalies.total).toBe(0);
  });

  it('recognises Teredo on any other UDP port, as Zeek does for relays', () => {
    const ctx = context();
    const reply = decodeLink(101, outer(32900, 3797, echoReply), ctx);
    expect(reply?.tunnel).toBe('teredo');
    expect(decodeLink(101, reply!.inner!.data, ctx)).toMatchObject({ src: '2001:4860:0:2001::68', proto: 58, sport: 129 });
    const handshake = decodeLink(101, outer(3797, 32900, syn), ctx);
    expect(decodeLink(101, handshake!.inner!.data, ctx)).toMatchObject({ proto: 6, sport: 1286, dport: 80, flags: 0x02 });
    // With no Teredo address and no origin indication, IPv6 in UDP is left alone.
    const plain = syn.slice();
    plain.fill(0, 8, 40);
    expect(decodeLink(101, outer(3797, 32900, plain), ctx)?.tunnel).toBeUndefined();
  });

  it('makes no connection of a bubble (no next header) and counts one carrying stray bytes', () => {
    const ctx = context();
    for (const [payload, port] of [[originBubble, 3544], [bubbleWithPayload, 32900]] as const) {
      const packet = decodeLink(101, outer(3797, port, payload), ctx);
      expect(packet?.tunnel).toBe('teredo');
      expect(decodeLink(101, packet!.inner!.data, ctx)).toBeUndefined();
    }
    expect([...ctx.anomalies.entries()].map((e) => [e.code, e.count])).toEqual([['decode.teredo_bubble_with_payload', 1]]);
  });

  it('rejects an IPv6 length that does not fill the datagram exactly, counting it only on port 3544', () => {
    const ctx = context();
    for (const payload of [syn.subarray(0, syn.length - 1), Uint8Array.from([...syn, 0])]) {
      expect(decodeLink(101, outer(3797, 32900, payload), ctx)?.inner).toBeUndefined();
      expect(decodeLink(101, outer(3797, 3544, payload), ctx)?.inner).toBeUndefined();
    }
    expect(decodeLink(101, outer(3797, 3544, solicitation.subarray(0, 30)), ctx)?.inner).toBeUndefined();
    expect([...ctx.anomalies.entries()].map((e) => [e.code, e.count])).toEqual([['decode.teredo_length_mismatch', 2], ['decode.teredo_malformed', 1]]);
  });
});

describe('Aruba GRE carrying 802.11 A-MSDU frames (as in Zeek\'s Traces/tunnels/gre-aruba-amsdu.pcap)', () => {
  const llcSnapIp = (payload: string) => Uint8Array.from([
    0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00,
    ...ipv4({ src: '157.240.18.16', dst: '149.159.130.184', proto: 6 }, tcpSegment({ sport: 443, dport: 49392, seq: 1, ack: 1, flags: 'PA', payload })),
  ]);
  const subframe = (body: Uint8Array) => Uint8Array.from([...new Array(12).fill(2), body.length >> 8, body.length & 0xff, ...body]);
  // QoS data from the DS (24-byte header), QoS control with the A-MSDU bit; subframe bodies of 49 and 50 bytes
  // (8 LLC/SNAP + 40 IP/TCP + payload) need 1 and 0 bytes of padding to a multiple of 4 (IEEE 802.11 §9.3.2.2.2).
  const wlan = Uint8Array.from([
    0x88, 0x02, 0, 0, ...new Array(18).fill(1), 0, 0, 0x80, 0x00,
    ...subframe(llcSnapIp('a')), 0, ...subframe(llcSnapIp('ab')), ...subframe(llcSnapIp('xyz')),
  ]);
  const gre = (proto: number) => ipv4({ src: '10.226.22.9', dst: '10.102.16.187', proto: 47 }, Uint8Array.from([0, 0, proto >> 8, proto & 0xff, ...wlan]));

  it('hands the 802.11 frame of an Aruba protocol type on, and reads every A-MSDU subframe in turn', () => {
    const ctx = context();
    const outer = decodeLink(101, gre(0x8240), ctx)!;
    expect(outer.encapsulationOnly).toBe(true);
    expect(outer.inner?.linktype).toBe(105);
    const payloads: string[] = [];
    for (let frame = outer.inner; frame !== undefined;) {
      const packet = decodeLink(frame.linktype, frame.data, ctx)!;
      expect(packet).toMatchObject({ src: '157.240.18.16', sport: 443, dport: 49392 });
      payloads.push(Buffer.from(packet.payload).toString());
      frame = packet.alongside;
      if (frame !== undefined) expect(frame.linktype).toBe(LINKTYPE_AMSDU_SUBFRAMES);
    }
    expect(payloads).toEqual(['a', 'ab', 'xyz']);
    expect(ctx.anomalies.total).toBe(0);
    expect(decodeLink(101, gre(0x9000), ctx)?.inner?.linktype).toBe(105);
    expect(decodeLink(101, gre(0x8241), ctx)).toBeUndefined();
  });

  it('counts a subframe cut short and reads nothing of it', () => {
    const ctx = context();
    const cut = decodeLink(105, wlan.subarray(0, 26 + 14 + 30), ctx);
    expect(cut).toBeUndefined();
    expect(ctx.anomalies.count('decode.wlan_amsdu_truncated')).toBe(1);
  });
});

describe('NFLOG (LINKTYPE 239), on real records of Zeek\'s Traces/nflog-http.pcap and nflog-bad-tlv-len.pcap', () => {
  // The SYN of the HTTP connection: header, then TLVs 1 (packet header), 5, 11, 14 and 9 (the IPv4 packet).
  const syn = Uint8Array.from(Buffer.from('0200002a080001000000030005000a0000000000080005000000000208000b000000000008000e0000000000400009004500003ce8ef400040060fe30a00020f5db8d822c26200503f32bad100000000a002721042180000020405b40402080a0027523e0000000001030307', 'hex'));
  const tlvStarts = [4, 12, 20, 28, 36, 44];

  it('walks the TLVs to the payload, in the byte order of the capturing host', () => {
    const expected = { src: '10.0.2.15', dst: '93.184.216.34', proto: 6, sport: 49762, dport: 80, flags: 0x02 };
    expect(decodeLink(239, syn, context())).toMatchObject(expected);
    const swapped = syn.slice();
    for (const at of tlvStarts) for (const field of [at, at + 2]) [swapped[field], swapped[field + 1]] = [swapped[field + 1]!, swapped[field]!];
    expect(decodeLink(239, swapped, { ...context(), bigEndianHost: true })).toMatchObject(expected);
    expect(decodeLink(239, swapped, context())).toBeUndefined();
  });

  it('counts a TLV length below 4 or past the record, a missing payload and an unknown version', () => {
    const ctx = context();
    const zero = syn.slice();
    zero[12] = 0;
    zero[13] = 0;
    decodeLink(239, zero, ctx);
    decodeLink(239, Uint8Array.from(Buffer.from('020000000001010000000000', 'hex')), ctx); // TLV of 256 bytes in 8
    decodeLink(239, syn.subarray(0, 44), ctx);
    const v1 = syn.slice();
    v1[1] = 1;
    decodeLink(239, v1, ctx);
    expect([...ctx.anomalies.entries()].map((e) => [e.code, e.count])).toEqual([
      ['decode.nflog_bad_tlv_length', 2], ['decode.nflog_no_payload', 1], ['decode.nflog_unknown_version', 1],
    ]);
  });
});
