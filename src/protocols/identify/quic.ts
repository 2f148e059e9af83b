// QUIC (RFC 9000, 9001; version 2: RFC 9369): a client Initial packet is decrypted with the keys every
// observer can derive from its Destination Connection ID, and its CRYPTO frames are read for the TLS
// ClientHello at stream offset 0. That confirms `quic`, then `ssl` (the handshake QUIC carries), as Zeek's
// QUIC analyzer confirms and hands the CRYPTO stream to its SSL analyzer. Coalesced packets in a datagram
// are walked; a packet that does not decrypt (wrong keys, damage) confirms nothing.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';

const QUIC_PORTS = [443];
const MAX_CID = 20;
const TAG_LENGTH = 16;
const HP_SAMPLE = 16;
const TLS_CLIENT_HELLO = 1;
/** Frames read per packet before giving up (an Initial holds CRYPTO, PADDING, PING and ACK frames). */
const MAX_FRAMES = 64;

interface QuicVersion {
  salt: Buffer;
  /** The label prefix of the key, IV and header-protection secrets (`quic ` / `quicv2 `). */
  label: string;
  /** Long-header packet type of Initial packets. */
  initialType: number;
}

const VERSIONS = new Map<number, QuicVersion>([
  [0x00000001, { salt: Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'), label: 'quic ', initialType: 0 }],
  [0x6b3343cf, { salt: Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex'), label: 'quicv2 ', initialType: 1 }],
]);

export interface InitialKeys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

/** TLS 1.3 HKDF-Expand-Label with an empty context, for outputs of at most one SHA-256 block. */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0, 1])]);
  return createHmac('sha256', secret).update(info).digest().subarray(0, length);
}

/** The client's Initial keys for a Destination Connection ID (RFC 9001 §5.2). */
export function clientInitialKeys(version: number, dcid: Uint8Array): InitialKeys | undefined {
  const v = VERSIONS.get(version);
  if (v === undefined) return undefined;
  const initial = createHmac('sha256', v.salt).update(dcid).digest();
  const client = expandLabel(initial, 'client in', 32);
  return { key: expandLabel(client, `${v.label}key`, 16), iv: expandLabel(client, `${v.label}iv`, 12), hp: expandLabel(client, `${v.label}hp`, 16) };
}

/** Reads a QUIC variable-length integer (RFC 9000 §16) at `at`; undefined past the end. */
function varint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  if (at >= bytes.length) return undefined;
  const size = 1 << (bytes[at]! >> 6);
  if (at + size > bytes.length) return undefined;
  let value = bytes[at]! & 0x3f;
  for (let i = 1; i < size; i++) value = value * 256 + bytes[at + i]!;
  return { value, next: at + size };
}

interface LongHeader {
  version: number;
  dcid: Uint8Array;
  /** Offset of the (protected) packet number, and the end of this packet in the datagram. */
  pnOffset: number;
  end: number;
  initial: boolean;
}

function longHeader(bytes: Uint8Array, at: number): LongHeader | undefined {
  if (bytes.length - at < 7 || (bytes[at]! & 0xc0) !== 0xc0) return undefined;
  const version = ((bytes[at + 1]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!) >>> 0;
  const v = VERSIONS.get(version);
  if (v === undefined) return undefined;
  const dcidLength = bytes[at + 5]!;
  if (dcidLength > MAX_CID) return undefined;
  let pos = at + 6 + dcidLength;
  if (pos >= bytes.length) return undefined;
  const dcid = bytes.subarray(at + 6, pos);
  const scidLength = bytes[pos]!;
  if (scidLength > MAX_CID) return undefined;
  pos += 1 + scidLength;
  const initial = ((bytes[at]! >> 4) & 0x03) === v.initialType;
  if (initial) {
    const token = varint(bytes, pos);
    if (token === undefined) return undefined;
    pos = token.next + token.value;
  }
  const length = varint(bytes, pos);
  if (length === undefined) return undefined;
  const end = length.next + length.value;
  if (end > bytes.length) return undefined;
  return { version, dcid, pnOffset: length.next, end, initial };
}

/** Removes header protection and the AEAD from one Initial packet; undefined when it does not decrypt. */
function decryptInitial(bytes: Uint8Array, at: number, header: LongHeader): Uint8Array | undefined {
  const keys = clientInitialKeys(header.version, header.dcid);
  if (keys === undefined || header.pnOffset + 4 + HP_SAMPLE > header.end) return undefined;
  const sample = bytes.subarray(header.pnOffset + 4, header.pnOffset + 4 + HP_SAMPLE);
  const mask = createCipheriv('aes-128-ecb', keys.hp, null).update(sample);
  const first = bytes[at]! ^ (mask[0]! & 0x0f);
  const pnLength = (first & 0x03) + 1;
  const aad = Buffer.from(bytes.subarray(at, header.pnOffset + pnLength));
  aad[0] = first;
  const nonce = Buffer.from(keys.iv);
  for (let i = 0; i < pnLength; i++) {
    const pnByte = bytes[header.pnOffset + i]! ^ mask[1 + i]!;
    aad[header.pnOffset - at + i] = pnByte;
    nonce[12 - pnLength + i]! ^= pnByte;
  }
  const body = bytes.subarray(header.pnOffset + pnLength, header.end);
  if (body.length < TAG_LENGTH) return undefined;
  try {
    const decipher = createDecipheriv('aes-128-gcm', keys.key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(body.subarray(body.length - TAG_LENGTH));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_LENGTH)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** True when the frames hold a CRYPTO frame at offset 0 that begins a TLS ClientHello. */
function carriesClientHello(frames: Uint8Array): boolean {
  let pos = 0;
  for (let n = 0; n < MAX_FRAMES && pos < frames.length; n++) {
    const type = frames[pos]!;
    if (type === 0x00) {
      while (frames[pos] === 0x00) pos++; // a run of PADDING counts as one frame
    } else if (type === 0x01) {
      pos++; // PING
    } else if (type === 0x06) {
      const offset = varint(frames, pos + 1);
      const length = offset && varint(frames, offset.next);
      if (offset === undefined || length === undefined) return false;
      if (offset.value === 0 && length.value >= 1 && frames[length.next] === TLS_CLIENT_HELLO) return true;
      pos = length.next + length.value;
    } else if (type === 0x02 || type === 0x03) {
      const next = skipAck(frames, pos + 1, type === 0x03);
      if (next === undefined) return false;
      pos = next;
    } else {
      return false;
    }
  }
  return false;
}

/** Skips an ACK frame's fields: largest, delay, range count, first range, ranges, ECN counts. */
function skipAck(frames: Uint8Array, at: number, ecn: boolean): number | undefined {
  let pos = at;
  const fields = (count: number): boolean => {
    for (let i = 0; i < count; i++) {
      const field = varint(frames, pos);
      if (field === undefined) return false;
      pos = field.next;
    }
    return true;
  };
  if (!fields(2)) return undefined;
  const ranges = varint(frames, pos);
  if (ranges === undefined || ranges.value > frames.length) return undefined;
  pos = ranges.next;
  return fields(1 + 2 * ranges.value + (ecn ? 3 : 0)) ? pos : undefined;
}

/** A client datagram: any of its coalesced Initial packets decrypts to the start of a ClientHello. */
export function quicClientInitial(bytes: Uint8Array, dir: Direction): Verdict {
  if (dir !== 'orig') return 'rejected';
  let at = 0;
  while (at < bytes.length) {
    const header = longHeader(bytes, at);
    if (header === undefined) return 'rejected';
    if (header.initial) {
      const frames = decryptInitial(bytes, at, header);
      if (frames !== undefined && carriesClientHello(frames)) return 'confirmed';
    }
    at = header.end;
  }
  return 'rejected';
}

export const quicIdentifier = identifier({
  name: 'quic',
  transport: 'udp',
  ports: QUIC_PORTS,
  // Zeek's dpd_quic_initial / dpd_quic_v2_initial: a long-header Initial of version 1 or 2.
  signature: (first, dir) => dir === 'orig' && longHeader(first, 0)?.initial === true,
  check: quicClientInitial,
  also: () => ['ssl'],
  window: 8,
});
