// Cipher fingerprints: structures that say "this is encrypted, with that tool" — OpenSSL `enc` (`Salted__`),
// OpenPGP symmetric messages (`gpg -c`, RFC 4880 §4.2 packet headers, §5.3 SKESK, §5.7 SED, §5.13 SEIPD;
// RFC 9580 v6), 7-Zip's AES coder (7zFormat.txt, method id 06 F1 07 01), ZIP traditional encryption
// (APPNOTE §4.4.4 flag bit 0) and WinZip AES (AE-1/AE-2, extra field 0x9901) — and cipher-block alignment.
// Walkers are iterative with fixed caps; every length is checked against the bytes present.
import { matchesAt } from './magic.js';

export interface CipherFingerprint {
  /** The tool or container, e.g. `openssl-salted`, `openpgp-symmetric`, `7z-aes`, `zip-aes`, `zip-crypto`. */
  name: string;
  /** The cipher when the structure names it, e.g. `AES-256`, `CAST5`. */
  cipher?: string;
  detail?: string;
}

const SALTED = [...'Salted__'].map((c) => c.charCodeAt(0));
const SEVEN_ZIP = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const SEVEN_ZIP_AES = [0x06, 0xf1, 0x07, 0x01];
const MAX_ZIP_ENTRIES = 16;
const MAX_PGP_PACKETS = 4;

/** The first fingerprint the sample matches. `total` is the length of the whole message when known. */
export function cipherFingerprint(bytes: Uint8Array): CipherFingerprint | undefined {
  if (matchesAt(bytes, 0, SALTED)) return { name: 'openssl-salted', detail: 'OpenSSL enc header with 8-byte salt' };
  return openPgpSymmetric(bytes) ?? sevenZipAes(bytes) ?? zipEncryption(bytes);
}

/**
 * Block alignment of a complete ciphertext length: multiples of 16 suggest AES/Camellia in a block mode,
 * of 8 (not 16) DES/3DES/Blowfish/CAST5; anything else a stream cipher (RC4, XOR, CTR/GCM) or no padding.
 */
export function blockAlignment(length: number): 'block-16' | 'block-8' | 'unaligned' {
  if (length > 0 && length % 16 === 0) return 'block-16';
  if (length > 0 && length % 8 === 0) return 'block-8';
  return 'unaligned';
}

const PGP_SYMMETRIC_ALGORITHMS = new Map<number, string>([
  [1, 'IDEA'], [2, 'TripleDES'], [3, 'CAST5'], [4, 'Blowfish'], [7, 'AES-128'], [8, 'AES-192'],
  [9, 'AES-256'], [10, 'Twofish'], [11, 'Camellia-128'], [12, 'Camellia-192'], [13, 'Camellia-256'],
]);

const PGP_TAG_SKESK = 3;
const PGP_ENCRYPTED_DATA_TAGS = new Set([9, 18, 20]);

interface PgpHeader {
  tag: number;
  bodyStart: number;
  /** Body length, or undefined for partial/indeterminate lengths (the packet runs on). */
  bodyLength: number | undefined;
}

/** RFC 4880 §4.2: old-format (bit 6 clear, length type in bits 0–1) and new-format headers. */
export function pgpPacketHeader(bytes: Uint8Array, at: number): PgpHeader | undefined {
  const first = bytes[at];
  if (first === undefined || (first & 0x80) === 0) return undefined;
  if ((first & 0x40) === 0) {
    const tag = (first >> 2) & 0x0f;
    const lengthType = first & 0x03;
    if (lengthType === 3) return { tag, bodyStart: at + 1, bodyLength: undefined };
    const size = lengthType === 0 ? 1 : lengthType === 1 ? 2 : 4;
    if (at + 1 + size > bytes.length) return undefined;
    let len = 0;
    for (let i = 0; i < size; i++) len = len * 256 + bytes[at + 1 + i]!;
    return { tag, bodyStart: at + 1 + size, bodyLength: len };
  }
  const tag = first & 0x3f;
  const l0 = bytes[at + 1];
  if (l0 === undefined) return undefined;
  if (l0 < 192) return { tag, bodyStart: at + 2, bodyLength: l0 };
  if (l0 < 224) {
    const l1 = bytes[at + 2];
    if (l1 === undefined) return undefined;
    return { tag, bodyStart: at + 3, bodyLength: ((l0 - 192) << 8) + l1 + 192 };
  }
  if (l0 === 255) {
    if (at + 6 > bytes.length) return undefined;
    let len = 0;
    for (let i = 0; i < 4; i++) len = len * 256 + bytes[at + 2 + i]!;
    return { tag, bodyStart: at + 6, bodyLength: len };
  }
  return { tag, bodyStart: at + 2, bodyLength: undefined }; // partial body length
}

/** `gpg -c` output: one or more SKESK packets followed by an encrypted data packet (SED, SEIPD or AEAD). */
function openPgpSymmetric(bytes: Uint8Array): CipherFingerprint | undefined {
  let at = 0;
  let cipher: string | undefined;
  let sawSkesk = false;
  for (let i = 0; i < MAX_PGP_PACKETS; i++) {
    const header = pgpPacketHeader(bytes, at);
    if (header === undefined) return undefined;
    if (header.tag === PGP_TAG_SKESK) {
      const version = bytes[header.bodyStart];
      if (header.bodyLength === undefined || header.bodyLength < 4 || header.bodyLength > 512) return undefined;
      if (version !== 4 && version !== 5 && version !== 6) return undefined;
      // v4: version, algorithm, S2K; v5/v6: version, count, algorithm.
      const algo = bytes[header.bodyStart + (version === 4 ? 1 : 2)];
      const name = algo === undefined ? undefined : PGP_SYMMETRIC_ALGORITHMS.get(algo);
      if (name === undefined) return undefined;
      cipher ??= name;
      sawSkesk = true;
      at = header.bodyStart + header.bodyLength;
      continue;
    }
    if (sawSkesk && PGP_ENCRYPTED_DATA_TAGS.has(header.tag)) {
      const packet = header.tag === 18 ? 'SEIPD' : header.tag === 9 ? 'SED' : 'AEAD';
      return { name: 'openpgp-symmetric', cipher, detail: `SKESK + ${packet} packet` };
    }
    return undefined;
  }
  return undefined;
}

/** 7z archives name their coders in the header; the AES-256 + SHA-256 coder is 06 F1 07 01. */
function sevenZipAes(bytes: Uint8Array): CipherFingerprint | undefined {
  if (!matchesAt(bytes, 0, SEVEN_ZIP)) return undefined;
  for (let i = 32; i + SEVEN_ZIP_AES.length <= bytes.length; i++) {
    if (bytes[i] === 0x06 && matchesAt(bytes, i, SEVEN_ZIP_AES)) {
      return { name: '7z-aes', cipher: 'AES-256', detail: `AES coder id at offset ${i}` };
    }
  }
  return undefined;
}

/** Walks ZIP local file headers (APPNOTE §4.3.7) while their sizes are known; stops at the first encrypted entry. */
function zipEncryption(bytes: Uint8Array): CipherFingerprint | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (let entry = 0; entry < MAX_ZIP_ENTRIES; entry++) {
    if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) return undefined;
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    const compressedSize = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const extraStart = at + 30 + nameLength;
    if (flags & 0x0001) {
      const aes = method === 99 ? winZipAes(view, extraStart, Math.min(extraStart + extraLength, bytes.length)) : undefined;
      if (aes !== undefined) return aes;
      return { name: 'zip-crypto', cipher: 'ZipCrypto', detail: `entry ${entry + 1} has the encryption flag` };
    }
    if (flags & 0x0008) return undefined; // sizes follow the data: the next header cannot be located
    at = extraStart + extraLength + compressedSize;
  }
  return undefined;
}

const AES_STRENGTH = new Map<number, string>([[1, 'AES-128'], [2, 'AES-192'], [3, 'AES-256']]);

/** WinZip AES extra field 0x9901: size 7, vendor version (1 = AE-1, 2 = AE-2), "AE", strength, method. */
function winZipAes(view: DataView, start: number, end: number): CipherFingerprint | undefined {
  let at = start;
  while (at + 4 <= end) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x9901 && size >= 7 && at + 4 + 7 <= end) {
      const version = view.getUint16(at + 4, true);
      const strength = AES_STRENGTH.get(view.getUint8(at + 8)) ?? 'AES';
      return { name: 'zip-aes', cipher: strength, detail: `WinZip AE-${version}` };
    }
    at += 4 + size;
  }
  return undefined;
}
