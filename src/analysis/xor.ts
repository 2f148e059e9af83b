// Repeating-key XOR: find the key length from the index of coincidence of the key-length columns, then
// recover each key byte as the one that makes its column most text-like. Succeeds when the plaintext is
// text (the only case where a key can be checked); cost is O(maxKeyLength · n) on a capped sample, and
// binary that no key could turn into text is mostly rejected after a cheap test of bit 7.
import { IS_TEXT_BYTE } from './stats.js';

export interface XorKey {
  key: Uint8Array;
  /** Fraction of decrypted bytes that are printable text. */
  textRatio: number;
  /** A short printable preview of the recovered plaintext. */
  preview: string;
}

export interface XorOptions {
  maxKeyLength: number;
  /** Bytes of the sample used; the rest is ignored so the cost stays bounded. */
  maxSample: number;
  /** Minimum bytes per key column for the statistics to mean anything. */
  minColumn: number;
  /** Decrypted text ratio required to accept a key. */
  minTextRatio: number;
}

export const XOR_DEFAULTS: XorOptions = { maxKeyLength: 32, maxSample: 4096, minColumn: 12, minTextRatio: 0.97 };

/**
 * Score of a byte as plaintext. Letters and digits score alike and field separators (space, comma, line
 * break, tab, semicolon) score highest, because a wrong key byte can swap digits for letters (they differ by
 * a few bits) but it cannot keep the separators that every text has; punctuation scores nothing and
 * non-text is strongly negative.
 */
const TEXT_SCORE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-8);
  for (let b = 0; b < 256; b++) if (IS_TEXT_BYTE[b] === 1) t[b] = 0;
  for (let b = 0x30; b <= 0x39; b++) t[b] = 3;
  for (let b = 0x41; b <= 0x5a; b++) t[b] = 3;
  for (let b = 0x61; b <= 0x7a; b++) t[b] = 3;
  for (const c of ' ') t[c.charCodeAt(0)] = 5;
  for (const c of ',\n\t;') t[c.charCodeAt(0)] = 4;
  t[0x2e] = 2; // '.'
  return t;
})();

/** The repeating XOR key under which the sample is text, or undefined. A zero key (plaintext) is not a key. */
export function recoverXorKey(bytes: Uint8Array, options: XorOptions = XOR_DEFAULTS): XorKey | undefined {
  const data = bytes.subarray(0, options.maxSample);
  const maxLen = Math.min(options.maxKeyLength, Math.floor(data.length / options.minColumn));
  if (maxLen < 1 || !highBitRepeats(data, maxLen, options.minTextRatio)) return undefined;
  const keyLength = likeliestKeyLength(data, maxLen);
  const key = new Uint8Array(keyLength);
  const column = new ColumnHistogram();
  let nonText = 0;
  for (let col = 0; col < keyLength; col++) {
    column.of(data, col, keyLength);
    key[col] = column.mostTextLikeKey();
    // The decrypted text ratio can only fall as more columns are counted: once it is below the
    // threshold no key can pass, so the remaining columns are not searched.
    nonText += column.nonTextUnder(key[col]!);
    if ((data.length - nonText) / data.length < options.minTextRatio) return undefined;
  }
  // Every test here only rejects, so their order cannot change the answer: the periodicity test comes
  // after the key search because binary that is no XOR-ed text is mostly rejected by then, cheaply.
  if (key.every((b) => b === 0) || isPeriodic(data, 2 * options.maxKeyLength)) return undefined;
  const plain = new Uint8Array(data.length);
  const seen = new Uint8Array(256);
  let text = 0;
  let letters = 0;
  let distinct = 0;
  for (let i = 0; i < data.length; i++) {
    const p = data[i]! ^ key[i % keyLength]!;
    plain[i] = p;
    text += IS_TEXT_BYTE[p]!;
    if (TEXT_SCORE[p]! >= 3) letters++;
    if (seen[p] === 0) {
      seen[p] = 1;
      distinct++;
    }
  }
  const textRatio = text / data.length;
  // Text is mostly letters, digits and spaces; one repeated byte "decrypts" to spaces but is no message.
  if (textRatio < options.minTextRatio || letters < data.length * 0.6 || distinct < 8) return undefined;
  let preview = '';
  for (let i = 0; i < Math.min(48, plain.length); i++) preview += IS_TEXT_BYTE[plain[i]!] === 1 && plain[i]! >= 0x20 ? String.fromCharCode(plain[i]!) : '.';
  return { key: shortestPeriod(key), textRatio, preview };
}

/**
 * Text has bit 7 clear, so under a repeating key of length L bit 7 of the ciphertext equals bit 7 of the
 * byte L further on wherever both decrypt to text: the pairs that differ all touch a non-text byte, and each
 * non-text byte is in at most two pairs. A key passes only if it leaves at most (1 − minTextRatio)·n bytes
 * non-text (+1 here against rounding), so when no length up to `maxLen` has at most twice that many
 * differing pairs, no key can pass. This rejects most binary data in a fraction of the key search's cost.
 */
function highBitRepeats(data: Uint8Array, maxLen: number, minTextRatio: number): boolean {
  const allowed = 2 * (Math.floor((1 - minTextRatio) * data.length) + 1);
  for (let len = 1; len <= maxLen; len++) {
    let differ = 0;
    for (let i = len; i < data.length && differ <= allowed; i++) differ += (data[i]! ^ data[i - len]!) >>> 7;
    if (differ <= allowed) return true;
  }
  return false;
}

/**
 * Mean index of coincidence of the columns for each candidate length; the shortest length within 10 % of
 * the best wins, because multiples of the true length score as well as the length itself.
 */
function likeliestKeyLength(data: Uint8Array, maxLen: number): number {
  const counts = new Uint32Array(256);
  const scores: number[] = [];
  let best = 0;
  for (let len = 1; len <= maxLen; len++) {
    let ic = 0;
    for (let col = 0; col < len; col++) {
      // Σ c·(c−1) over the byte counts, accumulated as each count grows (c → c+1 adds 2c).
      counts.fill(0);
      let pairs = 0;
      let n = 0;
      for (let i = col; i < data.length; i += len) {
        pairs += 2 * counts[data[i]!]!++;
        n++;
      }
      ic += n > 1 ? pairs / (n * (n - 1)) : 0;
    }
    const score = ic / len;
    scores.push(score);
    if (score > best) best = score;
  }
  const index = scores.findIndex((s) => s >= best * 0.9);
  return index + 1;
}

/** In-place fast Walsh–Hadamard transform of 256 values; applied twice it multiplies them by 256. */
function walshHadamard(v: Float64Array): void {
  for (let half = 1; half < 256; half <<= 1) {
    for (let i = 0; i < 256; i += half << 1) {
      for (let j = i; j < i + half; j++) {
        const a = v[j]!;
        const b = v[j + half]!;
        v[j] = a + b;
        v[j + half] = a - b;
      }
    }
  }
}

const TEXT_SCORE_SPECTRUM: Float64Array = (() => {
  const v = Float64Array.from(TEXT_SCORE);
  walshHadamard(v);
  return v;
})();

/** Byte counts of one key column, with the list of values present so a key search touches only those. */
class ColumnHistogram {
  private readonly counts = new Uint32Array(256);
  private readonly values = new Uint8Array(256);
  private distinct = 0;
  private readonly spectrum = new Float64Array(256);

  of(data: Uint8Array, col: number, stride: number): void {
    for (let v = 0; v < this.distinct; v++) this.counts[this.values[v]!] = 0;
    this.distinct = 0;
    for (let i = col; i < data.length; i += stride) {
      const b = data[i]!;
      if (this.counts[b]!++ === 0) this.values[this.distinct++] = b;
    }
  }

  /**
   * The key byte that makes the column most text-like (the largest Σ count[b]·TEXT_SCORE[b ⊕ k]); the lowest
   * of equals. The 256 scores are one XOR convolution, computed through the Walsh–Hadamard transform
   * (256·8 additions twice instead of 256 × the values present); every value is an integer below 2³², so
   * the doubles are exact and each score comes out as exactly 256 times itself.
   */
  mostTextLikeKey(): number {
    const spectrum = this.spectrum;
    for (let b = 0; b < 256; b++) spectrum[b] = this.counts[b]!;
    walshHadamard(spectrum);
    for (let b = 0; b < 256; b++) spectrum[b]! *= TEXT_SCORE_SPECTRUM[b]!;
    walshHadamard(spectrum);
    let bestKey = 0;
    for (let k = 1; k < 256; k++) if (spectrum[k]! > spectrum[bestKey]!) bestKey = k;
    return bestKey;
  }

  /** Bytes of the column that are not text once XOR-ed with `k`. */
  nonTextUnder(k: number): number {
    let n = 0;
    for (let v = 0; v < this.distinct; v++) {
      const b = this.values[v]!;
      if (IS_TEXT_BYTE[b ^ k] === 0) n += this.counts[b]!;
    }
    return n;
  }
}

/**
 * A fill pattern (ping data, padding, test vectors) repeats itself: most bytes equal the byte one period on.
 * XOR-ed text does not — at a lag that is a multiple of the key length it matches only as often as text
 * matches itself (≈ 6–10 %) — so a periodic sample is a pattern, and any "key" found in it is meaningless.
 */
function isPeriodic(data: Uint8Array, maxPeriod: number): boolean {
  for (let p = 1; p <= maxPeriod && p * 2 <= data.length; p++) {
    // Periodic at p when more than half the pairs match; counting stops once half of them differ.
    const half = 0.5 * (data.length - p);
    let same = 0;
    let differ = 0;
    for (let i = p; i < data.length && differ < half; i++) {
      if (data[i] === data[i - p]) same++;
      else differ++;
    }
    if (same > half) return true;
  }
  return false;
}

/** `ABAB` → `AB`: a key found at a multiple of its length is reported at its own length. */
function shortestPeriod(key: Uint8Array): Uint8Array {
  for (let p = 1; p < key.length; p++) {
    if (key.length % p !== 0) continue;
    let periodic = true;
    for (let i = p; i < key.length && periodic; i++) periodic = key[i] === key[i - p];
    if (periodic) return key.slice(0, p);
  }
  return key;
}
