// Capture-file framing: splits pcap (libpcap "tcpdump" format) and pcapng (draft-ietf-opsawg-pcapng §4)
// byte streams into packet records. Every length field is checked against the bytes present and a hard cap
// before anything is sliced, so a hostile header can neither allocate nor hang. Damaged records are
// skipped and counted; a header that leaves no way to find the next record ends the input with an
// InputError naming the offset.
import type { AnomalyCounter } from '../../core/anomalies.js';
import { InputError } from '../../core/errors.js';

/** libpcap's MAXIMUM_SNAPLEN: no real record is larger. */
export const MAX_RECORD_BYTES = 262_144;
/** libpcap's pcapng block cap (16 MiB). */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** Interfaces per pcapng section: bounds the per-section table. */
const MAX_INTERFACES = 65_536;

export interface CapturedPacket {
  /** Seconds since the epoch, as recorded (may be negative or out of order). */
  ts: number;
  linktype: number;
  /** Length on the wire; data may be shorter (snaplen). */
  wireLength: number;
  data: Uint8Array;
  /** Byte offset of the record in the decompressed input. */
  offset: number;
  /** The file (and so the capturing host) is big-endian: link types with host-order fields (NFLOG) need it. */
  bigEndian: boolean;
}

type Sink = (packet: CapturedPacket) => void;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

export type CaptureFormat = 'pcap' | 'pcapng';

/** Recognises a capture by its magic number (either byte order). */
export function captureFormatOf(head: Uint8Array): CaptureFormat | undefined {
  if (head.length < 4) return undefined;
  const be = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const le = ((head[3]! << 24) | (head[2]! << 16) | (head[1]! << 8) | head[0]!) >>> 0;
  if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) return 'pcap';
  if (be === PCAPNG_SHB) return 'pcapng';
  return undefined;
}

interface Interface {
  linktype: number;
  /** Timestamp units per second (if_tsresol), default 1e6. */
  unitsPerSecond: number;
  /** if_tsoffset seconds. */
  offsetSeconds: number;
}

/**
 * A push parser: `parse(buf, base)` consumes every complete unit at the start of `buf` and returns how many
 * bytes it consumed; the caller keeps the rest and appends the next chunk. Synchronous, so the per-packet
 * cost is a few DataView reads.
 */
export class CaptureFramer {
  private format: CaptureFormat | undefined;
  private little = true;
  // pcap state
  private pcapLinktype = 0;
  private pcapFractionPerSecond = 1e6;
  // pcapng state
  private interfaces: Interface[] = [];
  private sawSection = false;
  records = 0;

  constructor(
    private readonly path: string,
    private readonly anomalies: AnomalyCounter,
    private readonly sink: Sink,
  ) {}

  parse(buf: Buffer, base: number): number {
    if (this.format === undefined) {
      if (buf.length < 4) return 0;
      this.format = captureFormatOf(buf);
      if (this.format === undefined) throw new InputError(this.path, 'not a pcap or pcapng capture (unknown magic)', { offset: base });
    }
    return this.format === 'pcap' ? this.parsePcap(buf, base) : this.parsePcapng(buf, base);
  }

  /** Called at end of input with the bytes left unconsumed: a cut-off tail is noted, never fatal. */
  finish(leftover: number, base: number): string | undefined {
    if (this.format === undefined) throw new InputError(this.path, `truncated capture header at ${leftover} bytes`, { offset: 0 });
    if (this.format === 'pcap' && this.pcapHeaderPending) throw new InputError(this.path, `truncated pcap global header: only ${leftover} of 24 bytes`, { offset: 0 });
    if (leftover === 0) return undefined;
    this.anomalies.add(`${this.format}.truncated_file`, { offset: base, detail: `${leftover} bytes` });
    return `truncated after ${this.records} records at byte ${base} (${leftover} trailing bytes)`;
  }

  // ---- pcap ----

  private pcapHeaderPending = true;

  private parsePcap(buf: Buffer, base: number): number {
    let pos = 0;
    if (this.pcapHeaderPending) {
      if (buf.length < 24) return 0;
      const be = buf.readUInt32BE(0);
      this.little = !(be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS);
      const magic = this.little ? buf.readUInt32LE(0) : be;
      this.pcapFractionPerSecond = magic === PCAP_MAGIC_NS ? 1e9 : 1e6;
      // The upper bits of the link-type field carry FCS flags (pcap-savefile §LinkType).
      this.pcapLinktype = (this.little ? buf.readUInt32LE(20) : buf.readUInt32BE(20)) & 0x0fffffff;
      this.pcapHeaderPending = false;
      pos = 24;
    }
    const little = this.little;
    while (buf.length - pos >= 16) {
      const sec = little ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      const frac = little ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      const caplen = little ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
      const wire = little ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
      if (caplen > MAX_RECORD_BYTES) {
        throw new InputError(this.path, `invalid packet capture length ${caplen} (larger than ${MAX_RECORD_BYTES}); ${this.records} records read`, { offset: base + pos });
      }
      if (buf.length - pos - 16 < caplen) break;
      this.records++;
      if (caplen === 0 || caplen > wire) {
        this.anomalies.add('pcap.invalid_record_header', { offset: base + pos, detail: `caplen ${caplen}, len ${wire}` });
      } else {
        if (frac >= this.pcapFractionPerSecond) this.anomalies.add('pcap.bad_timestamp', { offset: base + pos });
        this.sink({
          ts: sec + frac / this.pcapFractionPerSecond,
          linktype: this.pcapLinktype,
          wireLength: wire,
          data: buf.subarray(pos + 16, pos + 16 + caplen),
          offset: base + pos,
          bigEndian: !little,
        });
      }
      pos += 16 + caplen;
    }
    return pos;
  }

  // ---- pcapng ----

  private parsePcapng(buf: Buffer, base: number): number {
    let pos = 0;
    while (buf.length - pos >= 12) {
      let type = this.little ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      if (type === PCAPNG_SHB || buf.readUInt32BE(pos) === PCAPNG_SHB) {
        type = PCAPNG_SHB;
        const bom = buf.readUInt32BE(pos + 8);
        if (bom === PCAPNG_BOM) this.little = false;
        else if (bom === 0x4d3c2b1a) this.little = true;
        else throw new InputError(this.path, `pcapng section header with bad byte-order magic 0x${bom.toString(16)}`, { offset: base + pos });
      } else if (!this.sawSection) {
        throw new InputError(this.path, 'pcapng does not start with a section header block', { offset: base + pos });
      }
      const length = this.little ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK_BYTES) {
        throw new InputError(this.path, `pcapng block length ${length} is invalid (must be a multiple of 4 from 12 to ${MAX_BLOCK_BYTES}); ${this.records} records read`, { offset: base + pos });
      }
      if (buf.length - pos < length) break;
      const trailer = this.little ? buf.readUInt32LE(pos + length - 4) : buf.readUInt32BE(pos + length - 4);
      if (trailer !== length) this.anomalies.add('pcapng.block_length_mismatch', { offset: base + pos });
      this.block(type, buf.subarray(pos + 8, pos + length - 4), base + pos);
      pos += length;
    }
    return pos;
  }

  private u32(body: Buffer, at: number): number {
    return this.little ? body.readUInt32LE(at) : body.readUInt32BE(at);
  }

  private u16(body: Buffer, at: number): number {
    return this.little ? body.readUInt16LE(at) : body.readUInt16BE(at);
  }

  private block(type: number, body: Buffer, offset: number): void {
    switch (type) {
      case PCAPNG_SHB:
        this.sawSection = true;
        this.interfaces = [];
        return;
      case 1: // Interface Description Block (§4.2)
        if (body.length < 8) return this.anomalies.add('pcapng.bad_block', { offset, detail: 'short IDB' });
        if (this.interfaces.length >= MAX_INTERFACES) return this.anomalies.add('pcapng.too_many_interfaces', { offset });
        this.interfaces.push(this.interfaceFrom(body));
        return;
      case 6: { // Enhanced Packet Block (§4.3)
        this.records++;
        if (body.length < 20) return this.anomalies.add('pcapng.bad_block', { offset, detail: 'short EPB' });
        const iface = this.interfaces[this.u32(body, 0)];
        const caplen = this.u32(body, 12);
        const wire = this.u32(body, 16);
        return this.emit(iface, this.u32(body, 4), this.u32(body, 8), caplen, wire, body, 20, offset);
      }
      case 2: { // obsolete Packet Block (Appendix A)
        this.records++;
        if (body.length < 20) return this.anomalies.add('pcapng.bad_block', { offset, detail: 'short PB' });
        const iface = this.interfaces[this.u16(body, 0)];
        return this.emit(iface, this.u32(body, 4), this.u32(body, 8), this.u32(body, 12), this.u32(body, 16), body, 20, offset);
      }
      case 3: { // Simple Packet Block (§4.4): interface 0, no timestamp
        this.records++;
        if (body.length < 4) return this.anomalies.add('pcapng.bad_block', { offset, detail: 'short SPB' });
        const wire = this.u32(body, 0);
        return this.emit(this.interfaces[0], 0, 0, Math.min(wire, body.length - 4), wire, body, 4, offset);
      }
      default:
        // Name Resolution (4), Interface Statistics (5), custom and unknown blocks carry nothing we use.
        return;
    }
  }

  private interfaceFrom(body: Buffer): Interface {
    const iface: Interface = { linktype: this.u16(body, 0), unitsPerSecond: 1e6, offsetSeconds: 0 };
    // Options (§3.5): code, length, value padded to 4; the loop always advances by at least 4 bytes.
    let at = 8;
    while (at + 4 <= body.length) {
      const code = this.u16(body, at);
      const len = this.u16(body, at + 2);
      if (code === 0 || at + 4 + len > body.length) break;
      if (code === 9 && len >= 1) {
        const v = body[at + 4]!;
        const exp = v & 0x7f;
        // if_tsresol: MSB clear = 10^-n, set = 2^-n; exponents beyond what a double can hold are ignored.
        if ((v & 0x80) === 0 ? exp <= 15 : exp <= 52) iface.unitsPerSecond = (v & 0x80) === 0 ? 10 ** exp : 2 ** exp;
        else this.anomalies.add('pcapng.bad_tsresol', { detail: String(v) });
      } else if (code === 14 && len >= 8) {
        const hi = this.little ? body.readInt32LE(at + 8) : body.readInt32BE(at + 4);
        const lo = this.little ? body.readUInt32LE(at + 4) : body.readUInt32BE(at + 8);
        iface.offsetSeconds = hi * 4294967296 + lo;
      }
      at += 4 + ((len + 3) & ~3);
    }
    return iface;
  }

  private emit(iface: Interface | undefined, hi: number, lo: number, caplen: number, wire: number, body: Buffer, dataAt: number, offset: number): void {
    if (iface === undefined) return this.anomalies.add('pcapng.undefined_interface', { offset });
    if (caplen === 0 || caplen > MAX_RECORD_BYTES || caplen > body.length - dataAt) {
      return this.anomalies.add('pcapng.invalid_record_header', { offset, detail: `caplen ${caplen}` });
    }
    if (wire < caplen) this.anomalies.add('pcapng.invalid_record_header', { offset, detail: `caplen ${caplen} > len ${wire}` });
    this.sink({
      ts: iface.offsetSeconds + timestampSeconds(hi, lo, iface.unitsPerSecond),
      linktype: iface.linktype,
      wireLength: Math.max(wire, caplen),
      data: body.subarray(dataAt, dataAt + caplen),
      offset,
      bigEndian: !this.little,
    });
  }
}

/** A 64-bit pcapng timestamp in `units` per second, without losing precision past 2^53. */
function timestampSeconds(hi: number, lo: number, units: number): number {
  const ticks = hi * 4294967296 + lo;
  if (ticks <= Number.MAX_SAFE_INTEGER) {
    const whole = Math.floor(ticks / units);
    return whole + (ticks - whole * units) / units;
  }
  const big = (BigInt(hi) << 32n) | BigInt(lo);
  const perSecond = BigInt(Math.round(units));
  return Number(big / perSecond) + Number(big % perSecond) / units;
}
