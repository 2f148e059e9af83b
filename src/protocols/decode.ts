// Packet decoding from the link layer to the transport header, iteratively and with a layer cap (16, as
// Suricata's max-layers). Link types follow the tcpdump.org LINKTYPE_ registry; Ethernet II (and 802.3 with
// LLC/SNAP) with 802.1Q / 802.1ad (QinQ) tags, MPLS label stacks (RFC 3032) and PPPoE sessions (RFC 2516); UDP
// tunnels Zeek decapsulates (VXLAN, Geneve, GTP-U, GRE-in-UDP, Teredo, AYIYA); IPv4 (RFC 791) with
// fragments; IPv6 (RFC 8200 §4) with extension headers and fragments; TCP (RFC 9293 §3.1), UDP (RFC 768),
// ICMP (RFC 792) and ICMPv6 (RFC 4443) headers. Checksums are not verified (captures are often taken with
// checksum offloading). Damage is counted under `decode.*` anomaly codes and the packet is skipped.
import type { AnomalyCode, AnomalyCounter } from '../core/anomalies.js';
import { formatIpv4, formatIpv6 } from '../core/ip.js';
import type { FragmentReassembler } from './fragments.js';

export const MAX_LAYERS = 16;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;
/** IPv6 No Next Header (RFC 8200 §4.7). */
export const IPPROTO_NONE = 59;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

/**
 * One packet reduced to what flows need. Addresses stay bytes in the captured frame (`addresses` at
 * `srcAt` and `dstAt`, `addressLength` bytes each): text is made only when asked for (`src`, `dst`).
 */
export class TransportPacket {
  /** Ports for TCP/UDP; ICMP type and code for ICMP. */
  sport = 0;
  dport = 0;
  /** TCP only. */
  flags = 0;
  seq = 0;
  ack = 0;
  window = 0;
  /** Transport payload length on the wire (from IP/UDP lengths, not the capture). */
  payloadLength = 0;
  /** The captured part of the payload (shorter than payloadLength under a small snaplen). */
  payload: Uint8Array = NO_PAYLOAD;
  /** A tunnel's inner frame, to be decoded next (iteratively, by the caller). */
  inner?: { linktype: number; data: Uint8Array };
  /** Frames carried beside this packet in the same one (the rest of an 802.11 A-MSDU), decoded next at the same depth. */
  alongside?: { linktype: number; data: Uint8Array };
  /** The tunnel protocol carried (conn.log service of the outer UDP connection). */
  tunnel?: string;
  /** True for encapsulations that are not connections themselves (GRE, IP-in-IP): only the inner packet counts. */
  encapsulationOnly?: boolean;
  /** The tunnels around this packet, one `type|endpoints;` per layer (set by the caller that peels them). */
  encapsulation?: string;
  /** The tunnel this packet carries lies past the decapsulation depth (Zeek's Tunnel::max_depth): not peeled. */
  tunnelCut?: boolean;
  /** The transport checksum was verified and is wrong (only when checksum verification is on). */
  badChecksum?: boolean;
  /**
   * A TCP header whose fixed 20 bytes were captured but not its options: Zeek makes the connection from it
   * and counts nothing else of the packet (`decode.tcp_truncated_header`).
   */
  headerTruncated?: boolean;
  /**
   * The frame's 802.1Q/802.1ad VLAN IDs as one number (`withVlanTag`): 0 when untagged. Zeek's VLAN-aware
   * connection key (policy/frameworks/conn_key/vlan_fivetuple) tells connections apart by them.
   */
  vlanTags = 0;

  constructor(
    readonly addresses: Uint8Array,
    readonly addressLength: 4 | 16,
    readonly srcAt: number,
    readonly dstAt: number,
    /** IP protocol number of the transport (6, 17, 1, 58 or other). */
    readonly proto: number,
    /** IP datagram length from its header (Zeek's ip_bytes). */
    readonly ipLength: number,
  ) {}

  get src(): string {
    return formatAddress(this.addresses, this.srcAt, this.addressLength);
  }

  get dst(): string {
    return formatAddress(this.addresses, this.dstAt, this.addressLength);
  }
}

const NO_PAYLOAD = new Uint8Array(0);

function formatAddress(bytes: Uint8Array, at: number, length: 4 | 16): string {
  return length === 4 ? formatIpv4(bytes, at) : formatIpv6(bytes, at);
}

/**
 * Adds a VLAN tag's ID to `tags` as Zeek's VLAN analyzer does: the first tag is the outer VLAN (bits 0–12,
 * ID + 1), any later one the inner VLAN (bits 13–25, the last tag winning, as Zeek overwrites it).
 */
export function withVlanTag(tags: number, id: number): number {
  return (tags & 0x1fff) === 0 ? tags | (id + 1) : (tags & 0x1fff) | ((id + 1) << 13);
}

function tagged(packet: TransportPacket | undefined, vlanTags: number): TransportPacket | undefined {
  if (packet !== undefined && vlanTags !== 0) packet.vlanTags = vlanTags;
  return packet;
}

/** Link type used for inner frames that are bare IP (version decided by the first nibble). */
export const LINKTYPE_RAW = 101;
export const LINKTYPE_ETHERNET = 1;
const LINKTYPE_IEEE802_11 = 105;
/** Not a tcpdump.org link type: the A-MSDU subframes left in an 802.11 frame (`alongside`), read by decodeLink too. */
export const LINKTYPE_AMSDU_SUBFRAMES = -105;

export interface DecodeContext {
  anomalies: AnomalyCounter;
  fragments: FragmentReassembler;
  now: number;
  /** Verify IPv4 header and TCP/UDP/ICMP checksums (off by default: offloading makes them wrong on the sender). */
  verifyChecksums?: boolean;
  /** The capturing host was big-endian (the capture file's byte order), for NFLOG's host-order TLV fields. */
  bigEndianHost?: boolean;
}

/** RFC 1071 one's-complement sum of 16-bit words, not yet folded. */
export function sum16(b: Uint8Array, from: number, to: number, initial = 0): number {
  let sum = initial;
  let i = from;
  for (; i + 1 < to; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < to) sum += b[i]! << 8;
  return sum;
}

function folded(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

/** Link types we decode; anything else is `decode.unsupported_linktype`. */
export function decodeLink(linktype: number, data: Uint8Array, ctx: DecodeContext): TransportPacket | undefined {
  const a = ctx.anomalies;
  let ethertype: number;
  let at: number;
  switch (linktype) {
    case 1: // Ethernet
      if (data.length < 14) return void a.add('decode.eth_too_small');
      ethertype = (data[12]! << 8) | data[13]!;
      at = 14;
      break;
    case 113: // Linux cooked SLL: protocol at 14
      if (data.length < 16) return void a.add('decode.sll_too_small');
      ethertype = (data[14]! << 8) | data[15]!;
      at = 16;
      break;
    case 276: // Linux cooked SLL2: protocol first
      if (data.length < 20) return void a.add('decode.sll_too_small');
      ethertype = (data[0]! << 8) | data[1]!;
      at = 20;
      break;
    case 0: // BSD NULL: address family in host byte order
    case 108: { // OpenBSD LOOP: network byte order
      if (data.length < 4) return void a.add('decode.null_too_small');
      const le = data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24);
      const be = (data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!;
      const family = linktype === 108 ? be : le < 256 ? le : be;
      if (family === 2) ethertype = ETHERTYPE_IPV4;
      else if (family === 24 || family === 28 || family === 30 || family === 10) ethertype = ETHERTYPE_IPV6;
      else return void a.add('decode.unknown_family');
      at = 4;
      break;
    }
    case 9: case 50: { // PPP and PPP-in-HDLC: optional address/control bytes, then the PPP protocol
      at = data.length >= 2 && data[0] === 0xff && data[1] === 0x03 ? 2 : 0;
      if (data.length < at + 2) return void a.add('decode.ppp_too_small');
      const ppp = (data[at]! << 8) | data[at + 1]!;
      if (ppp === 0x0021) return decodeIpv4(data, at + 2, ctx);
      if (ppp === 0x0057) return decodeIpv6(data, at + 2, ctx);
      return undefined;
    }
    case 127: { // radiotap: little-endian header length at offset 2, then an 802.11 frame
      if (data.length < 4) return void a.add('decode.radiotap_too_small');
      return decodeWlan(data, data[2]! | (data[3]! << 8), ctx);
    }
    case LINKTYPE_IEEE802_11:
      return decodeWlan(data, 0, ctx);
    case LINKTYPE_AMSDU_SUBFRAMES:
      return decodeAmsduSubframe(data, 0, ctx);
    case 101: case 12: case 14: // raw IP (LINKTYPE_RAW and the DLT_RAW numbers of some BSDs)
      return decodeIpByVersion(data, 0, ctx);
    case 239:
      return decodeNflog(data, ctx);
    case 228:
      return decodeIpv4(data, 0, ctx);
    case 229:
      return decodeIpv6(data, 0, ctx);
    default:
      return void a.add('decode.unsupported_linktype', { detail: String(linktype) });
  }
  let vlanTags = 0;
  for (let layer = 1; ; layer++) {
    if (layer >= MAX_LAYERS) return void a.add('decode.too_many_layers');
    switch (ethertype) {
      case ETHERTYPE_IPV4:
        return tagged(decodeIpv4(data, at, ctx), vlanTags);
      case ETHERTYPE_IPV6:
        return tagged(decodeIpv6(data, at, ctx), vlanTags);
      case 0x8100: case 0x88a8: case 0x9100: // 802.1Q / 802.1ad tags
        if (data.length < at + 4) return void a.add('decode.vlan_too_small');
        vlanTags = withVlanTag(vlanTags, ((data[at]! << 8) | data[at + 1]!) & 0xfff);
        ethertype = (data[at + 2]! << 8) | data[at + 3]!;
        at += 4;
        break;
      case 0x8926: // Cisco VN-Tag: 4 bytes of tag, then the next ethertype
        if (data.length < at + 6) return void a.add('decode.vlan_too_small');
        ethertype = (data[at + 4]! << 8) | data[at + 5]!;
        at += 6;
        break;
      case 0x8903: // Cisco FabricPath: 2-byte FTag/TTL, then the original Ethernet header
      case 0x88e7: { // 802.1ah PBB: 4-byte I-TAG, then the customer Ethernet header
        const tag = ethertype === 0x8903 ? 2 : 4;
        if (data.length < at + tag + 14) return void a.add('decode.encap_too_small');
        ethertype = (data[at + tag + 12]! << 8) | data[at + tag + 13]!;
        at += tag + 14;
        break;
      }
      case 0x8847: case 0x8848: { // MPLS: pop labels to the bottom of stack, then guess by IP version
        while (true) {
          if (data.length < at + 4) return void a.add('decode.mpls_too_small');
          const bottom = (data[at + 2]! & 1) === 1;
          at += 4;
          if (bottom) break;
          if (++layer >= MAX_LAYERS) return void a.add('decode.too_many_layers');
        }
        return tagged(decodeIpByVersion(data, at, ctx), vlanTags);
      }
      case 0x8864: { // PPPoE session: 6-byte header, then the PPP protocol
        if (data.length < at + 8) return void a.add('decode.pppoe_too_small');
        const ppp = (data[at + 6]! << 8) | data[at + 7]!;
        at += 8;
        if (ppp === 0x0021) ethertype = ETHERTYPE_IPV4;
        else if (ppp === 0x0057) ethertype = ETHERTYPE_IPV6;
        else return void a.add('decode.pppoe_not_ip');
        break;
      }
      default:
        // IEEE 802.3 frames carry a length (≤ 1500) instead of a type; IP follows an LLC/SNAP header
        // (RFC 1042: AA AA 03, a zero OUI, then the ethertype). Other LLC frames (STP…) are not IP.
        if (ethertype <= 1500 && data.length >= at + 8 && data[at] === 0xaa && data[at + 1] === 0xaa && data[at + 2] === 0x03) {
          ethertype = (data[at + 6]! << 8) | data[at + 7]!;
          at += 8;
          break;
        }
        // ARP, LLDP and other non-IP frames are normal traffic, not damage.
        return undefined;
    }
  }
}

/**
 * IEEE 802.11 data frames (§9.2.4.1): header by frame-control bits, then LLC/SNAP carrying an ethertype, or
 * A-MSDU subframes (§9.3.2.2.2) when the QoS control field says so.
 */
function decodeWlan(data: Uint8Array, at: number, ctx: DecodeContext): TransportPacket | undefined {
  if (data.length < at + 24) return void ctx.anomalies.add('decode.wlan_too_small');
  const fc0 = data[at]!;
  const fc1 = data[at + 1]!;
  if (((fc0 >> 2) & 0x03) !== 2 || (fc1 & 0x40) !== 0) return undefined; // not data, or protected
  let len = 24;
  if ((fc1 & 0x03) === 0x03) len += 6; // four-address frame
  const qos = (fc0 & 0x80) !== 0;
  const amsdu = qos && data.length > at + len && (data[at + len]! & 0x80) !== 0;
  if (qos) len += 2; // QoS control
  if ((fc1 & 0x80) !== 0 && qos) len += 4; // HT control (order bit on QoS frames)
  return amsdu ? decodeAmsduSubframe(data, at + len, ctx) : decodeLlcSnap(data, at + len, ctx);
}

/** An LLC/SNAP header (RFC 1042) at `llc` carrying IPv4 or IPv6. */
function decodeLlcSnap(data: Uint8Array, llc: number, ctx: DecodeContext): TransportPacket | undefined {
  if (data.length < llc + 8 || data[llc] !== 0xaa || data[llc + 1] !== 0xaa || data[llc + 2] !== 0x03) return undefined;
  const ethertype = (data[llc + 6]! << 8) | data[llc + 7]!;
  if (ethertype === ETHERTYPE_IPV4) return decodeIpv4(data, llc + 8, ctx);
  if (ethertype === ETHERTYPE_IPV6) return decodeIpv6(data, llc + 8, ctx);
  return undefined;
}

/**
 * One A-MSDU subframe at `at` (destination, source, length, then LLC/SNAP), the ones after it left `alongside`:
 * each but the last is padded to a multiple of 4 bytes. As in Zeek, a subframe that is cut short or carries no IP
 * ends the frame.
 */
function decodeAmsduSubframe(data: Uint8Array, at: number, ctx: DecodeContext): TransportPacket | undefined {
  if (data.length < at + 14) return void ctx.anomalies.add('decode.wlan_amsdu_truncated');
  const end = at + 14 + ((data[at + 12]! << 8) | data[at + 13]!);
  if (data.length < end) return void ctx.anomalies.add('decode.wlan_amsdu_truncated');
  const packet = decodeLlcSnap(data.subarray(0, end), at + 14, ctx);
  const next = end + ((4 - ((end - at) & 3)) & 3);
  if (packet !== undefined && next < data.length) packet.alongside = { linktype: LINKTYPE_AMSDU_SUBFRAMES, data: data.subarray(next) };
  return packet;
}

/**
 * LINKTYPE_NFLOG (tcpdump.org linktypes): address family, version 0 and resource id, then TLVs whose length
 * and type are in the capturing host's byte order, each padded to 4 bytes, up to NFULA_PAYLOAD (type 9), the
 * IP packet. Every TLV advances at least 4 bytes, so a hostile length cannot loop.
 */
function decodeNflog(data: Uint8Array, ctx: DecodeContext): TransportPacket | undefined {
  const a = ctx.anomalies;
  if (data.length <= 4) return void a.add('decode.nflog_too_small');
  if (data[1] !== 0) return void a.add('decode.nflog_unknown_version');
  const u16 = ctx.bigEndianHost === true ? (at: number) => (data[at]! << 8) | data[at + 1]! : (at: number) => data[at]! | (data[at + 1]! << 8);
  for (let at = 4; ; ) {
    if (data.length - at <= 4) return void a.add('decode.nflog_no_payload');
    if (u16(at + 2) === 9) {
      const family = data[0];
      return family === 2 || family === 10 ? decodeIpByVersion(data, at + 4, ctx) : undefined;
    }
    const length = u16(at);
    if (length < 4 || length > data.length - at) return void a.add('decode.nflog_bad_tlv_length');
    at += (length + 3) & ~3;
  }
}

function decodeIpByVersion(data: Uint8Array, at: number, ctx: DecodeContext): TransportPacket | undefined {
  if (data.length <= at) return void ctx.anomalies.add('decode.ip_too_small');
  const version = data[at]! >> 4;
  if (version === 4) return decodeIpv4(data, at, ctx);
  if (version === 6) return decodeIpv6(data, at, ctx);
  return void ctx.anomalies.add('decode.unknown_ip_version');
}

function decodeIpv4(data: Uint8Array, at: number, ctx: DecodeContext): TransportPacket | undefined {
  const a = ctx.anomalies;
  if (data.length < at + 20) return void a.add('decode.ipv4_truncated_header');
  if (data[at]! >> 4 !== 4) return void a.add('decode.unknown_ip_version');
  const hl = (data[at]! & 0x0f) * 4;
  if (hl < 20) return void a.add('decode.ipv4_invalid_header_size');
  if (data.length < at + hl) return void a.add('decode.ipv4_truncated_header');
  let total = (data[at + 2]! << 8) | data[at + 3]!;
  const captured = data.length - at;
  if (total === 0) {
    // TSO: the NIC fills the length later; the captured size is the best we have (Zeek does the same).
    a.add('decode.ipv4_zero_length');
    total = captured;
  }
  if (total < hl) return void a.add('decode.ipv4_invalid_total_length');
  if (ctx.verifyChecksums === true && folded(sum16(data, at, at + hl)) !== 0xffff) return void a.add('decode.bad_ip_checksum');
  const proto = data[at + 9]!;
  const fragField = (data[at + 6]! << 8) | data[at + 7]!;
  const more = (fragField & 0x2000) !== 0;
  const fragOffset = (fragField & 0x1fff) * 8;
  let segment = data;
  let from = at + hl;
  let to = at + Math.min(total, captured);
  if (more || fragOffset > 0) {
    if (total > captured) return void a.add('decode.fragment_truncated');
    const id = (data[at + 4]! << 8) | data[at + 5]!;
    const whole = ctx.fragments.add(`4|${formatIpv4(data, at + 12)}|${formatIpv4(data, at + 16)}|${proto}|${id}`, fragOffset, more, data.subarray(from, to), ctx.now);
    if (whole === undefined) return undefined;
    [segment, from, to] = [whole, 0, whole.length];
    total = hl + whole.length;
  }
  const pseudo = ctx.verifyChecksums === true ? sum16(data, at + 12, at + 20) : 0;
  return decodeTransport(new TransportPacket(data, 4, at + 12, at + 16, proto, total), segment, from, to, total - hl, ctx, pseudo);
}

function decodeIpv6(data: Uint8Array, at: number, ctx: DecodeContext): TransportPacket | undefined {
  const a = ctx.anomalies;
  if (data.length < at + 40) return void a.add('decode.ipv6_truncated_header');
  if (data[at]! >> 4 !== 6) return void a.add('decode.unknown_ip_version');
  const payloadLength = (data[at + 4]! << 8) | data[at + 5]!;
  let total = 40 + payloadLength;
  let next = data[at + 6]!;
  const end = at + Math.min(total, data.length - at);
  let pos = at + 40;
  let fragment: { offset: number; more: boolean; id: number } | undefined;
  for (let layer = 0; ; layer++) {
    if (layer >= MAX_LAYERS) return void a.add('decode.too_many_layers');
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (end < pos + 8) return void a.add('decode.ipv6_truncated_extension');
      const len = (data[pos + 1]! + 1) * 8;
      next = data[pos]!;
      pos += len;
    } else if (next === 51) { // AH: length in 4-byte units minus 2
      if (end < pos + 8) return void a.add('decode.ipv6_truncated_extension');
      const len = (data[pos + 1]! + 2) * 4;
      next = data[pos]!;
      pos += len;
    } else if (next === 44) { // Fragment header (§4.5)
      if (end < pos + 8) return void a.add('decode.ipv6_truncated_extension');
      const field = (data[pos + 2]! << 8) | data[pos + 3]!;
      const id = ((data[pos + 4]! << 24) | (data[pos + 5]! << 16) | (data[pos + 6]! << 8) | data[pos + 7]!) >>> 0;
      fragment = { offset: field & 0xfff8, more: (field & 1) === 1, id };
      next = data[pos]!;
      pos += 8;
    } else {
      break;
    }
    if (pos > end) return void a.add('decode.ipv6_truncated_extension');
  }
  let segment = data;
  let from = pos;
  let to = end;
  let transportLength = total - (pos - at);
  if (fragment !== undefined && (fragment.more || fragment.offset > 0)) {
    if (40 + payloadLength > data.length - at) return void a.add('decode.fragment_truncated');
    const whole = ctx.fragments.add(`6|${formatIpv6(data, at + 8)}|${formatIpv6(data, at + 24)}|${fragment.id}`, fragment.offset, fragment.more, data.subarray(pos, end), ctx.now);
    if (whole === undefined) return undefined;
    [segment, from, to] = [whole, 0, whole.length];
    transportLength = whole.length;
    total = pos - at + whole.length;
  }
  const pseudo = ctx.verifyChecksums === true ? sum16(data, at + 8, at + 40) : 0;
  return decodeTransport(new TransportPacket(data, 16, at + 8, at + 24, next, total), segment, from, to, transportLength, ctx, pseudo);
}

/**
 * `segment[from, to)` is the captured transport segment; `wireLength` its length per the IP header; `pseudo`
 * the sum of the addresses for the pseudo-header checksum (RFC 9293 §3.1, RFC 768, RFC 8200 §8.1). Only
 * the payload is cut out as a view of its own.
 */
function decodeTransport(
  packet: TransportPacket, segment: Uint8Array, from: number, to: number, wireLength: number, ctx: DecodeContext, pseudo: number,
): TransportPacket | undefined {
  const a = ctx.anomalies;
  const proto = packet.proto;
  const captured = to - from;
  // Only a fully captured segment can be checked; a UDP checksum of 0 over IPv4 means "none".
  if (ctx.verifyChecksums === true && captured >= wireLength && (proto === IPPROTO_TCP || proto === IPPROTO_UDP || proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6)) {
    const noUdpSum = proto === IPPROTO_UDP && wireLength >= 8 && segment[from + 6] === 0 && segment[from + 7] === 0 && packet.addressLength === 4;
    const withPseudo = proto === IPPROTO_ICMP ? 0 : pseudo + proto + wireLength;
    if (!noUdpSum && folded(sum16(segment, from, from + wireLength, withPseudo)) !== 0xffff) {
      a.add('decode.bad_checksum');
      packet.badChecksum = true;
    }
  }
  switch (proto) {
    case IPPROTO_TCP: {
      if (captured < 20) return void a.add('decode.tcp_truncated_header');
      const off = (segment[from + 12]! >> 4) * 4;
      if (off < 20) return void a.add('decode.tcp_invalid_data_offset');
      if (off > captured) {
        a.add('decode.tcp_truncated_header');
        packet.headerTruncated = true;
      } else if (!tcpOptionsWellFormed(segment, from, off)) a.add('decode.tcp_bad_option');
      packet.sport = (segment[from]! << 8) | segment[from + 1]!;
      packet.dport = (segment[from + 2]! << 8) | segment[from + 3]!;
      packet.seq = ((segment[from + 4]! << 24) | (segment[from + 5]! << 16) | (segment[from + 6]! << 8) | segment[from + 7]!) >>> 0;
      packet.ack = ((segment[from + 8]! << 24) | (segment[from + 9]! << 16) | (segment[from + 10]! << 8) | segment[from + 11]!) >>> 0;
      packet.flags = segment[from + 13]!;
      packet.window = (segment[from + 14]! << 8) | segment[from + 15]!;
      if (packet.headerTruncated === true) return packet;
      packet.payloadLength = Math.max(0, wireLength - off);
      packet.payload = segment.subarray(from + off, from + Math.min(captured, off + packet.payloadLength));
      return packet;
    }
    case IPPROTO_UDP: {
      if (captured < 8) return void a.add('decode.udp_truncated_header');
      packet.sport = (segment[from]! << 8) | segment[from + 1]!;
      packet.dport = (segment[from + 2]! << 8) | segment[from + 3]!;
      let length = (segment[from + 4]! << 8) | segment[from + 5]!;
      if (length < 8 || length > wireLength) {
        a.add('decode.udp_bad_length');
        length = Math.max(8, wireLength);
      }
      packet.payloadLength = length - 8;
      packet.payload = segment.subarray(from + 8, from + Math.min(captured, length));
      if (packet.badChecksum !== true) udpTunnel(packet, a);
      return packet;
    }
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6: {
      if (captured < 4) return void a.add('decode.icmp_truncated_header');
      packet.sport = segment[from]!;
      packet.dport = segment[from + 1]!;
      packet.payloadLength = Math.max(0, wireLength - 8);
      packet.payload = segment.subarray(from + Math.min(8, captured), to);
      return packet;
    }
    case 4: // IP in IP (RFC 2003)
    case 41: // IPv6 in IP (RFC 4213)
      packet.encapsulationOnly = true;
      packet.payload = segment.subarray(from, to);
      packet.inner = { linktype: LINKTYPE_RAW, data: packet.payload };
      return packet;
    case IPPROTO_NONE: // nothing follows (Teredo bubbles): no connection, as in Zeek
      return undefined;
    case 47: // GRE (RFC 2784/2890; version 1 is PPTP's, RFC 2637)
      packet.encapsulationOnly = true;
      packet.payload = segment.subarray(from, to);
      packet.inner = greInner(packet.payload, a);
      return packet.inner === undefined ? undefined : packet;
    default:
      packet.payloadLength = wireLength;
      packet.payload = segment.subarray(from, to);
      return packet;
  }
}

function greInner(g: Uint8Array, a: AnomalyCounter): { linktype: number; data: Uint8Array } | undefined {
  if (g.length < 4) return void a.add('decode.gre_too_small');
  const flags = g[0]!;
  const version = g[1]! & 0x07;
  const proto = (g[2]! << 8) | g[3]!;
  let at = 4;
  if (version === 0) at += ((flags & 0x80) !== 0 ? 4 : 0) + ((flags & 0x20) !== 0 ? 4 : 0) + ((flags & 0x10) !== 0 ? 4 : 0);
  else if (version === 1) at += 4 + ((flags & 0x10) !== 0 ? 4 : 0) + ((g[1]! & 0x80) !== 0 ? 4 : 0);
  else return void a.add('decode.gre_unknown_version');
  if (g.length < at) return void a.add('decode.gre_too_small');
  switch (proto) {
    case 0x0800: case 0x86dd: return { linktype: LINKTYPE_RAW, data: g.subarray(at) };
    case 0x6558: return { linktype: LINKTYPE_ETHERNET, data: g.subarray(at) };
    case 0x880b: return { linktype: 9, data: g.subarray(at) };
    case 0x88be: // ERSPAN type II has an 8-byte header when a sequence number is present; type I has none
      return { linktype: LINKTYPE_ETHERNET, data: g.subarray((flags & 0x10) !== 0 ? at + 8 : at) };
    case 0x22eb: { // ERSPAN type III: 12-byte header plus an 8-byte optional subheader when O is set
      if (g.length < at + 12) return void a.add('decode.gre_too_small');
      const optional = (g[at + 11]! & 0x01) !== 0 ? 8 : 0;
      return { linktype: LINKTYPE_ETHERNET, data: g.subarray(at + 12 + optional) };
    }
    default:
      // Aruba's access points tunnel 802.11 frames with these protocol types (as Zeek's GRE analyzer has them).
      if ((proto & 0x820f) === 0x8200 || proto === 0x9000) return { linktype: LINKTYPE_IEEE802_11, data: g.subarray(at) };
      return undefined;
  }
}

function onPort(packet: TransportPacket, port: number): boolean {
  return packet.dport === port || packet.sport === port;
}

/** UDP-carried tunnels Zeek decapsulates by default, recognised by port and header shape. */
function udpTunnel(packet: TransportPacket, a: AnomalyCounter): void {
  const p = packet.payload;
  if (onPort(packet, 4789) && p.length >= 8 && (p[0]! & 0x08) !== 0) {
    packet.tunnel = 'vxlan';
    packet.inner = { linktype: LINKTYPE_ETHERNET, data: p.subarray(8) };
  } else if (onPort(packet, 6081) && p.length >= 8 && p[0]! >> 6 === 0) {
    const at = 8 + (p[0]! & 0x3f) * 4;
    const proto = (p[2]! << 8) | p[3]!;
    if (p.length < at) return;
    packet.tunnel = 'geneve';
    if (proto === 0x6558) packet.inner = { linktype: LINKTYPE_ETHERNET, data: p.subarray(at) };
    else if (proto === 0x0800 || proto === 0x86dd) packet.inner = { linktype: LINKTYPE_RAW, data: p.subarray(at) };
  } else if (onPort(packet, 2152) && p.length >= 8 && p[0]! >> 5 === 1 && p[1] === 0xff) {
    // GTPv1-U G-PDU (3GPP TS 29.281 §5): optional fields when E, S or PN is set, then extension headers.
    let at = 8;
    if ((p[0]! & 0x07) !== 0) {
      at = 12;
      let next = p[11];
      while (next !== undefined && next !== 0 && at < p.length) {
        const len = p[at]! * 4;
        if (len === 0) return;
        next = p[at + len - 1];
        at += len;
      }
    }
    if (at >= p.length) return;
    packet.tunnel = 'gtpv1';
    if (p[at]! >> 4 === 4 || p[at]! >> 4 === 6) packet.inner = { linktype: LINKTYPE_RAW, data: p.subarray(at) };
  } else if (onPort(packet, 4754)) {
    // GRE in UDP (RFC 8086). Zeek's GRE analyzer confirms nothing, so the outer connection names no service.
    const inner = greInner(p, a);
    if (inner === undefined) return;
    packet.inner = inner;
  } else if (onPort(packet, 3544)) {
    teredo(packet, p, a, true);
  } else if (onPort(packet, 5072) && p.length >= 8) {
    // AYIYA: identity of 2^idlen bytes and a signature of 4*siglen bytes follow the 8-byte header.
    const at = 8 + (1 << (p[0]! >> 4)) + (p[1]! >> 4) * 4;
    const next = p[3];
    if (p.length <= at || (next !== 4 && next !== 41)) return;
    packet.tunnel = 'ayiya';
    packet.inner = { linktype: LINKTYPE_RAW, data: p.subarray(at) };
  } else if (looksLikeTeredo(p) && !TUNNEL_PORTS.some((port) => onPort(packet, port))) {
    // Zeek also tries Teredo on every other UDP port (a relay answers from any port).
    teredo(packet, p, a, false);
  }
}

/** The UDP ports Zeek hands to a tunnel analyzer; Teredo detection runs only on the others. */
const TUNNEL_PORTS = [4789, 6081, 2152, 4754, 3544, 5072];

/**
 * Teredo (RFC 4380 §5.1.1): an optional authentication header, an optional origin indication, then an IPv6
 * packet that must fill the datagram exactly, as Zeek requires; only a bubble (no next header, no payload)
 * may be followed by stray bytes (counted). Where Teredo is `expected` (port 3544) a malformed datagram is
 * counted too; elsewhere it only means the datagram is not Teredo.
 */
function teredo(packet: TransportPacket, p: Uint8Array, a: AnomalyCounter, expected: boolean): void {
  let at = 0;
  if (p.length >= 4 && p[0] === 0 && p[1] === 1) at = 13 + p[2]! + p[3]!;
  if (p.length >= at + 8 && p[at] === 0 && p[at + 1] === 0) at += 8;
  let damage: AnomalyCode | undefined;
  const end = at + 40 + (p.length >= at + 6 ? (p[at + 4]! << 8) | p[at + 5]! : 0);
  if (p.length < at + 40 || p[at]! >> 4 !== 6) damage = 'decode.teredo_malformed';
  else if (end === at + 40 && p[at + 6] === IPPROTO_NONE && end < p.length) a.add('decode.teredo_bubble_with_payload');
  else if (end !== p.length) damage = 'decode.teredo_length_mismatch';
  if (damage !== undefined) {
    if (expected) a.add(damage);
    return;
  }
  packet.tunnel = 'teredo';
  packet.inner = { linktype: LINKTYPE_RAW, data: p.subarray(at, end) };
}

/**
 * Zeek's Teredo detection off port 3544: an IPv6 header to or from a Teredo address (2001:0::/32), or an
 * origin indication (after an optional authentication header) followed by an IPv6 header.
 */
function looksLikeTeredo(p: Uint8Array): boolean {
  if (p.length < 40) return false;
  if (p[0]! >> 4 === 6) return isTeredoAddress(p, 8) || isTeredoAddress(p, 24);
  if (p[0] !== 0 || (p[1] !== 0 && p[1] !== 1)) return false;
  const at = p[1] === 1 ? 13 + p[2]! + p[3]! : 0;
  return p.length >= at + 48 && p[at] === 0 && p[at + 1] === 0 && p[at + 8]! >> 4 === 6;
}

function isTeredoAddress(p: Uint8Array, at: number): boolean {
  return p[at] === 0x20 && p[at + 1] === 0x01 && p[at + 2] === 0 && p[at + 3] === 0;
}

/**
 * Walks the options of the TCP header at `from` (RFC 9293 §3.2); each step advances at least one byte, so
 * length 0 or 1 cannot loop.
 */
function tcpOptionsWellFormed(segment: Uint8Array, from: number, headerLength: number): boolean {
  const end = from + headerLength;
  let at = from + 20;
  while (at < end) {
    const kind = segment[at]!;
    if (kind === 0) return true;
    if (kind === 1) {
      at++;
      continue;
    }
    if (at + 1 >= end) return false;
    const len = segment[at + 1]!;
    if (len < 2 || at + len > end) return false;
    at += len;
  }
  return true;
}
