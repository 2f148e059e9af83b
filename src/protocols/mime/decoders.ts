// Tolerant streaming decoders for MIME content-transfer-encodings (RFC 2045 §6.7 quoted-printable, §6.8
// base64). Attackers send broken encodings on purpose (RELIABILITY D28): invalid characters are skipped and
// counted rather than failing the part, and state carries across lines and pieces of lines.

export interface TransferDecoder {
  /** Decodes one line (or piece of one) into `out` from index 0; returns the number of bytes written. */
  line(bytes: Uint8Array, out: Uint8Array, lineEnded: boolean, eol: number): number;
  /** Characters that were not valid in this encoding. */
  readonly invalid: number;
}

const B64_INVALID = -1;
const B64_SKIP = -2;
const B64_PAD = -3;
const B64_VALUES = (() => {
  const table = new Int8Array(256).fill(B64_INVALID);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  for (const c of [0x20, 0x09, 0x0d, 0x0a]) table[c] = B64_SKIP;
  table[0x3d] = B64_PAD;
  return table;
})();

export class Base64Decoder implements TransferDecoder {
  private acc = 0;
  private bits = 0;
  invalid = 0;

  line(bytes: Uint8Array, out: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      const v = B64_VALUES[bytes[i]!]!;
      if (v >= 0) {
        this.acc = ((this.acc << 6) | v) & 0xffffff;
        this.bits += 6;
        if (this.bits >= 8) {
          this.bits -= 8;
          out[n++] = (this.acc >> this.bits) & 0xff;
        }
      } else if (v === B64_PAD) {
        // Padding ends a quantum: leftover bits are not data (a new quantum may follow in sloppy mailers).
        this.bits = 0;
      } else if (v === B64_INVALID) {
        this.invalid++;
      }
    }
    return n;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export class QuotedPrintableDecoder implements TransferDecoder {
  private softBreak = true;
  invalid = 0;

  line(bytes: Uint8Array, out: Uint8Array, lineEnded: boolean): number {
    let n = 0;
    // A hard line break between encoded lines is a CRLF of the content; a trailing `=` removes it.
    if (!this.softBreak) {
      out[n++] = 0x0d;
      out[n++] = 0x0a;
    }
    this.softBreak = !lineEnded;
    let end = bytes.length;
    if (lineEnded) while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
    for (let i = 0; i < end; i++) {
      const c = bytes[i]!;
      if (c !== 0x3d) {
        out[n++] = c;
        continue;
      }
      if (i === end - 1) {
        if (lineEnded) this.softBreak = true;
        continue;
      }
      const hi = hexValue(bytes[i + 1]!);
      const lo = i + 2 < end ? hexValue(bytes[i + 2]!) : -1;
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
      } else {
        this.invalid++;
        out[n++] = c;
      }
    }
    return n;
  }
}

/** Identity (7bit, 8bit, binary): lines are content, joined by the terminators that separated them. */
export class IdentityDecoder implements TransferDecoder {
  private pendingEol = 0;
  readonly invalid = 0;

  line(bytes: Uint8Array, out: Uint8Array, lineEnded: boolean, eol: number): number {
    let n = 0;
    if (this.pendingEol === 2) out[n++] = 0x0d;
    if (this.pendingEol > 0) out[n++] = 0x0a;
    out.set(bytes, n);
    n += bytes.length;
    this.pendingEol = lineEnded ? eol : 0;
    return n;
  }
}

/** Room `line()` may need for a line of `length` bytes. */
export function decodedRoom(length: number): number {
  return length + 2;
}
