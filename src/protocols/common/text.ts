// Protocol text as strings without losing a byte: valid UTF-8 (RFC 3629) decodes to its characters, and
// every byte that is not part of a valid sequence becomes U+F0000 + byte — the private-use mapping of Zeek's
// JSON::STRING_ESCAPE_POLICY_PUA — so writers can print it back as Zeek does (`\xNN`) and nothing is
// replaced, merged or invented. ASCII-only text (the common case) takes a fast path.

/** First code point of the byte-preserving range: byte `b` that is not valid UTF-8 is `RAW_BYTE_BASE + b`. */
export const RAW_BYTE_BASE = 0xf0000;

export function protocolText(bytes: Uint8Array, from = 0, to = bytes.length): string {
  if (from === to) return '';
  let ascii = true;
  for (let i = from; i < to; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
  // UTF-16LE code units, at most two (four bytes) per input byte, decoded into a string at once.
  const units = (to - from) * 4 <= SCRATCH_BYTES ? scratch : Buffer.allocUnsafe((to - from) * 4);
  let n = 0;
  let i = from;
  while (i < to) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let cp = length > 1 && i + length <= to ? sequence(bytes, i, length) : length === 1 ? b : -1;
    if (cp === -1) {
      cp = RAW_BYTE_BASE + b;
      i++;
    } else {
      i += length;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      n = unit(units, n, 0xd800 + (cp >> 10));
      cp = 0xdc00 + (cp & 0x3ff);
    }
    n = unit(units, n, cp);
  }
  return units.toString('utf16le', 0, n);
}

const SCRATCH_BYTES = 4096;
const scratch = Buffer.alloc(SCRATCH_BYTES);

function unit(units: Buffer, at: number, codeUnit: number): number {
  units[at] = codeUnit & 0xff;
  units[at + 1] = codeUnit >> 8;
  return at + 2;
}

/** The code point of a multi-byte sequence, or -1 when it is not well-formed (overlong, surrogate, > U+10FFFF). */
function sequence(bytes: Uint8Array, at: number, length: number): number {
  let cp = bytes[at]! & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const c = bytes[at + k]!;
    if ((c & 0xc0) !== 0x80) return -1;
    cp = (cp << 6) | (c & 0x3f);
  }
  const min = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  return cp;
}

/** The bytes a protocolText string came from. */
export function textBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= RAW_BYTE_BASE && cp <= RAW_BYTE_BASE + 0xff) out.push(cp - RAW_BYTE_BASE);
    else out.push(...Buffer.from(ch, 'utf8'));
  }
  return Uint8Array.from(out);
}
