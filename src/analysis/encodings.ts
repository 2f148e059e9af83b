// Text encodings that carry binary data — Base64 (RFC 4648 §4), Base64url (§5), Base32 (§6), hex (§8),
// percent-encoding (RFC 3986 §2.1), quoted-printable (RFC 2045 §6.7) and OpenPGP ASCII armour
// (RFC 4880 §6.2) — found and decoded by single-pass scanners over a 256-entry class table. No regular
// expressions touch attacker bytes; every pass is linear and reports the bytes it touched to a WorkMeter
// so callers (and tests) can bound the total cost.
import type { ByteCounts } from './stats.js';

export type RunEncoding = 'base64' | 'base64url' | 'base32' | 'hex';
export type EncodingLayer = RunEncoding | 'percent' | 'quoted-printable' | 'pgp-armor';

/** Counts bytes scanned and decoded: the cost model of content inspection. */
export class WorkMeter {
  units = 0;
}

export interface EncodedRun {
  encoding: RunEncoding;
  start: number;
  end: number;
  /** Alphabet characters in the run (line breaks and padding excluded). */
  chars: number;
  /** The run is the signature or claims of a JSON Web Token (RFC 7519): a known benign structure. */
  jwt: boolean;
}

const HEX = 1;
const B64 = 2;
const B64URL = 4;
const B32UPPER = 8;
const B32LOWER = 16;
const PAD = 32;
const BREAK = 64;

const CLASS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  const set = (chars: string, bit: number): void => {
    for (const c of chars) t[c.charCodeAt(0)]! |= bit;
  };
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const lower = upper.toLowerCase();
  const digits = '0123456789';
  set(digits + 'abcdefABCDEF', HEX);
  set(upper + lower + digits + '+/', B64);
  set(upper + lower + digits + '-_', B64URL);
  set(upper + '234567', B32UPPER);
  set(lower + '234567', B32LOWER);
  set('=', PAD);
  set('\r\n', BREAK);
  return t;
})();

const ALPHABET = B64 | B64URL;
/** MIME wraps Base64 at 76 characters; a break is only taken as a wrap after a line at least this long. */
const MIN_WRAPPED_LINE = 40;

export interface RunOptions {
  /** Shortest run, in alphabet characters, worth decoding. */
  minRun: number;
  /** At most this many runs are kept (the longest). */
  maxRuns: number;
  /** In URI paths `/` separates segments instead of belonging to Base64. */
  slashSeparates?: boolean;
}

/** Runs of Base-N alphabets in `bytes`, longest first. One pass; JWT parts are flagged. */
export function findEncodedRuns(bytes: Uint8Array, options: RunOptions, meter: WorkMeter): EncodedRun[] {
  meter.units += bytes.length;
  const runs: EncodedRun[] = [];
  const jwt = new JwtChain();
  const separator = options.slashSeparates === true ? 0x2f : -1;
  const n = bytes.length;
  // The state of the current run lives in locals (this loop reads every byte of every text sample).
  let start = -1;
  let chars = 0;
  let lineChars = 0;
  let mask = 0;
  let pads = 0;
  let lastAlphabetEnd = 0;
  let inBreak = false;
  for (let i = 0; i <= n; i++) {
    const b = i < n ? bytes[i]! : -1; // one step past the end closes the last run
    const c = b < 0 || b === separator ? 0 : CLASS[b]!;
    if (c & ALPHABET && !(start >= 0 && pads > 0)) {
      inBreak = false;
      if (start < 0) {
        start = i;
        chars = 0;
        lineChars = 0;
        mask = 0xff;
        pads = 0;
      }
      // The rest of this line of alphabet characters, in a tight loop: most of a long run is here.
      mask &= c;
      let end = i + 1;
      while (end < n) {
        const next = bytes[end]!;
        const d = next === separator ? 0 : CLASS[next]!;
        if ((d & ALPHABET) === 0) break;
        mask &= d;
        end++;
      }
      chars += end - i;
      lineChars += end - i;
      lastAlphabetEnd = end;
      i = end - 1;
    } else if (c & PAD && start >= 0) {
      pads++;
      lastAlphabetEnd = i + 1;
    } else if (c & BREAK && start >= 0 && (lineChars >= MIN_WRAPPED_LINE || inBreak)) {
      lineChars = 0;
      inBreak = true;
    } else if (start >= 0) {
      const isJwtPart = jwt.next(bytes, start, i, chars);
      if (chars >= options.minRun) runs.push({ encoding: encodingOf(mask, chars, pads), start, end: lastAlphabetEnd, chars, jwt: isJwtPart });
      start = -1;
      if (c & ALPHABET) i--; // padding ended the run: this character starts the next one
    }
  }
  runs.sort((a, b) => b.chars - a.chars || a.start - b.start);
  return runs.slice(0, options.maxRuns);
}

/** Follows `header.payload.signature`: a run starting `eyJ` that stops at a dot, and the two runs right after it. */
class JwtChain {
  /** End of the last run of a chain that stopped at a dot, or −1. */
  private previousEnd = -1;
  private part = 0;

  /** Takes the next run, `bytes[start, end)` with `chars` alphabet characters; true when it is part of a JWT. */
  next(bytes: Uint8Array, start: number, end: number, chars: number): boolean {
    const isHead = chars >= 3 && bytes[start] === 0x65 && bytes[start + 1] === 0x79 && bytes[start + 2] === 0x4a;
    const follows = this.previousEnd >= 0 && start === this.previousEnd + 1 && this.part > 0 && this.part < 3;
    const stopsAtDot = bytes[end] === 0x2e;
    if (isHead && stopsAtDot) {
      this.previousEnd = end;
      this.part = 1;
    } else if (follows) {
      this.part++;
      this.previousEnd = stopsAtDot ? end : -1;
    } else {
      this.previousEnd = -1;
      this.part = 0;
    }
    return isHead || follows;
  }
}

function encodingOf(mask: number, chars: number, pads: number): RunEncoding {
  if (mask & HEX && chars % 2 === 0 && pads === 0) return 'hex';
  // Upper- or lower-case only (DNS is case-insensitive): Base64 of binary data is never single-case.
  if (mask & (B32UPPER | B32LOWER)) return 'base32';
  if (mask & B64) return 'base64';
  if (mask & B64URL) return 'base64url';
  return 'base64';
}

/** Decodes at most `maxChars` alphabet characters of a run (line breaks and padding skipped). */
export function decodeRun(bytes: Uint8Array, run: EncodedRun, maxChars: number, meter: WorkMeter): Uint8Array {
  const quantum = run.encoding === 'hex' ? 2 : run.encoding === 'base32' ? 8 : 4;
  const limit = Math.max(quantum, maxChars - (maxChars % quantum));
  meter.units += Math.min(run.end - run.start, limit);
  if (run.encoding === 'hex') return decodeHex(bytes, run.start, run.end, limit);
  if (run.encoding === 'base32') return decodeBits(bytes, run.start, run.end, limit, B32_VALUE, 5);
  return decodeBits(bytes, run.start, run.end, limit, B64_VALUE, 6);
}

const B64_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  t[0x2b] = 62; // '+'
  t[0x2d] = 62; // '-' (url)
  t[0x2f] = 63; // '/'
  t[0x5f] = 63; // '_' (url)
  return t;
})();

/** Decodes a Base64 (6 bits per character) or Base32 (5 bits) alphabet, skipping characters outside it. */
function decodeBits(bytes: Uint8Array, start: number, end: number, limit: number, values: Int8Array, bitsPerChar: number): Uint8Array {
  const out = new Uint8Array(Math.floor((Math.min(end - start, limit) * bitsPerChar) / 8) + 1);
  let acc = 0;
  let bits = 0;
  let n = 0;
  let used = 0;
  for (let i = start; i < end && used < limit; i++) {
    const v = values[bytes[i]!]!;
    if (v < 0) continue;
    used++;
    acc = ((acc << bitsPerChar) | v) & 0xffff;
    bits += bitsPerChar;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

const B32_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  for (let i = 0; i < alphabet.length; i++) {
    t[alphabet.charCodeAt(i)] = i;
    t[alphabet.toLowerCase().charCodeAt(i)] = i;
  }
  return t;
})();

const HEX_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 16; i++) {
    t['0123456789abcdef'.charCodeAt(i)] = i;
    t['0123456789ABCDEF'.charCodeAt(i)] = i;
  }
  return t;
})();

function hexValue(b: number): number {
  return HEX_VALUE[b]!;
}

function decodeHex(bytes: Uint8Array, start: number, end: number, limit: number): Uint8Array {
  const out = new Uint8Array(Math.floor(Math.min(end - start, limit) / 2));
  let n = 0;
  let high = -1;
  let used = 0;
  for (let i = start; i < end && used < limit; i++) {
    const v = hexValue(bytes[i]!);
    if (v < 0) continue;
    used++;
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  return out.subarray(0, n);
}

/** Soft line breaks that mark a body as quoted-printable whatever its count of `=XX` escapes. */
export const QP_MIN_SOFT_BREAKS = 2;

/**
 * Whether `%XX` or `=XX` escapes can number `minEscapes`, or soft breaks `QP_MIN_SOFT_BREAKS`, judged from
 * the byte counts alone: each needs a `%` or `=` of its own. False means `countEscapes` would find fewer.
 */
export function mayHoldEscapes(counts: ByteCounts, minEscapes: number): boolean {
  return counts.count(0x25) >= minEscapes || counts.count(0x3d) >= Math.min(QP_MIN_SOFT_BREAKS, minEscapes);
}

/** Counts `%XX` escapes (RFC 3986) and `=XX` / soft line breaks (RFC 2045 quoted-printable) in one pass. */
export function countEscapes(bytes: Uint8Array, meter: WorkMeter): { percent: number; qp: number; softBreaks: number } {
  meter.units += bytes.length;
  let percent = 0;
  let qp = 0;
  let softBreaks = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x25 && b !== 0x3d) continue;
    const next = bytes[i + 1]!;
    if (b === 0x3d && (next === 0x0d || next === 0x0a)) {
      softBreaks++;
      continue;
    }
    if (hexValue(next) >= 0 && hexValue(bytes[i + 2]!) >= 0) {
      if (b === 0x25) percent++;
      else if (next < 0x61 && bytes[i + 2]! < 0x61) qp++; // QP hex digits are upper case
    }
  }
  return { percent, qp, softBreaks };
}

/** Percent-decodes (and turns form `+` into space when `form`), copying everything else. */
export function decodePercent(bytes: Uint8Array, form: boolean, meter: WorkMeter): Uint8Array {
  meter.units += bytes.length;
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < bytes.length) {
      const h = hexValue(bytes[i + 1]!);
      const l = hexValue(bytes[i + 2]!);
      if (h >= 0 && l >= 0) {
        out[n++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[n++] = form && b === 0x2b ? 0x20 : b;
  }
  return out.subarray(0, n);
}

/** RFC 2045 §6.7: `=XX` escapes and `=` soft line breaks (CRLF or bare LF). */
export function decodeQuotedPrintable(bytes: Uint8Array, meter: WorkMeter): Uint8Array {
  meter.units += bytes.length;
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x3d) {
      const next = bytes[i + 1];
      if (next === 0x0d && bytes[i + 2] === 0x0a) {
        i += 2;
        continue;
      }
      if (next === 0x0a) {
        i += 1;
        continue;
      }
      if (next !== undefined && i + 2 < bytes.length) {
        const h = hexValue(next);
        const l = hexValue(bytes[i + 2]!);
        if (h >= 0 && l >= 0) {
          out[n++] = (h << 4) | l;
          i += 2;
          continue;
        }
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

const ARMOR_BEGIN = [...'-----BEGIN PGP MESSAGE-----'].map((c) => c.charCodeAt(0));

/** False when some byte of the armour line is rarer in the input than in the line: `dearmor` would find nothing. */
export function mayHoldArmor(counts: ByteCounts): boolean {
  const needed = new Map<number, number>();
  for (const b of ARMOR_BEGIN) needed.set(b, (needed.get(b) ?? 0) + 1);
  for (const [b, n] of needed) if (counts.count(b) < n) return false;
  return true;
}

/**
 * The binary body of the first ASCII-armoured PGP message: armour headers end at the first empty line,
 * the body is Base64 up to the `=` CRC line or the END line. Undefined when there is no armour.
 */
export function dearmor(bytes: Uint8Array, meter: WorkMeter): Uint8Array | undefined {
  const begin = indexOf(bytes, ARMOR_BEGIN, meter);
  if (begin < 0) return undefined;
  // Find the blank line that ends the armour headers.
  let i = begin + ARMOR_BEGIN.length;
  let lineStart = -1;
  for (; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (lineStart >= 0 && isBlank(bytes, lineStart, i)) break;
    lineStart = i + 1;
  }
  const bodyStart = i + 1;
  // Body: Base64 lines until a line starting with '=' (the CRC-24) or '-'.
  let end = bodyStart;
  let atLineStart = true;
  for (; end < bytes.length; end++) {
    const b = bytes[end]!;
    if (atLineStart && (b === 0x3d || b === 0x2d)) break;
    atLineStart = b === 0x0a;
  }
  meter.units += end - begin;
  if (end <= bodyStart) return undefined;
  return decodeBits(bytes, bodyStart, end, end - bodyStart, B64_VALUE, 6);
}

function isBlank(bytes: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (bytes[k] !== 0x0d && bytes[k] !== 0x20 && bytes[k] !== 0x09) return false;
  return true;
}

/** First index of `needle` in `haystack`: at most needle.length comparisons per position. */
function indexOf(haystack: Uint8Array, needle: readonly number[], meter: WorkMeter): number {
  meter.units += haystack.length;
  const first = needle[0]!;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (haystack[i] !== first) continue;
    for (let k = 1; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
