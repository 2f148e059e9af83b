// Container and media identification by magic numbers at the start of a sample: high-entropy formats that
// are not ciphertext (compressed, archives, images, video) and the few containers that announce encryption.
// Signatures from each format's specification (RFC 1952 gzip, RFC 1950 zlib, PKWARE APPNOTE 4.3.7,
// 7z 7zFormat.txt, PNG §5.2, JFIF, ISO/IEC 14496-12 `ftyp`, RFC 8878 zstd, xz file format 2.2).

export type FormatFamily = 'compressed' | 'archive' | 'image' | 'audio-video' | 'document' | 'executable' | 'encrypted';

export interface Format {
  name: string;
  family: FormatFamily;
}

interface Signature extends Format {
  offset: number;
  bytes: readonly number[];
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { name: 'openssl-salted', family: 'encrypted', offset: 0, bytes: ascii('Salted__') },
  { name: 'gzip', family: 'compressed', offset: 0, bytes: [0x1f, 0x8b, 0x08] },
  { name: 'zip', family: 'archive', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'zip', family: 'archive', offset: 0, bytes: [0x50, 0x4b, 0x05, 0x06] },
  { name: 'zip', family: 'archive', offset: 0, bytes: [0x50, 0x4b, 0x07, 0x08] },
  { name: '7z', family: 'archive', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'rar', family: 'archive', offset: 0, bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { name: 'xz', family: 'compressed', offset: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'bzip2', family: 'compressed', offset: 0, bytes: ascii('BZh') },
  { name: 'zstd', family: 'compressed', offset: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'lz4', family: 'compressed', offset: 0, bytes: [0x04, 0x22, 0x4d, 0x18] },
  { name: 'png', family: 'image', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'jpeg', family: 'image', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { name: 'gif', family: 'image', offset: 0, bytes: ascii('GIF8') },
  { name: 'webp', family: 'image', offset: 8, bytes: ascii('WEBP') },
  { name: 'avi', family: 'audio-video', offset: 8, bytes: ascii('AVI ') },
  { name: 'wav', family: 'audio-video', offset: 8, bytes: ascii('WAVE') },
  { name: 'mp4', family: 'audio-video', offset: 4, bytes: ascii('ftyp') },
  { name: 'matroska', family: 'audio-video', offset: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { name: 'ogg', family: 'audio-video', offset: 0, bytes: ascii('OggS') },
  { name: 'flac', family: 'audio-video', offset: 0, bytes: ascii('fLaC') },
  { name: 'mp3', family: 'audio-video', offset: 0, bytes: ascii('ID3') },
  { name: 'pdf', family: 'document', offset: 0, bytes: ascii('%PDF-') },
  { name: 'elf', family: 'executable', offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'pe', family: 'executable', offset: 0, bytes: ascii('MZ') },
];

/** The format whose signature the sample starts with, if any. */
export function identifyFormat(bytes: Uint8Array): Format | undefined {
  for (const sig of SIGNATURES) {
    if (matchesAt(bytes, sig.offset, sig.bytes)) {
      if (sig.offset === 8 && !matchesAt(bytes, 0, RIFF)) continue;
      return { name: sig.name, family: sig.family };
    }
  }
  if (isZlibHeader(bytes)) return { name: 'zlib', family: 'compressed' };
  return undefined;
}

const RIFF = ascii('RIFF');

export function matchesAt(bytes: Uint8Array, offset: number, sig: readonly number[]): boolean {
  if (bytes.length < offset + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[offset + i] !== sig[i]) return false;
  return true;
}

/** RFC 1950 §2.2: CMF 0x78 (deflate, 32 KiB window — what every zlib writer uses), and CMF·256 + FLG a multiple of 31; FDICT unset. */
function isZlibHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  return cmf === 0x78 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}
