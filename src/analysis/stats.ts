// Streaming content statistics for one byte stream: the randomness tests that tell ciphertext from
// compressed or media data and from text. Same measures as Fourmilab `ent` (entropy, chi-square,
// arithmetic mean, serial correlation) plus a cheap repeat-based compressibility signal.
// Memory is fixed (a 256-cell histogram and a 4096-slot repeat table) whatever the input length.

const REPEAT_SLOTS = 4096;

/** The byte histogram of a stream, for scans that can be ruled out by counts alone. */
export interface ByteCounts {
  count(byte: number): number;
}

/** Accumulates statistics over chunks of one stream; `summary()` may be called at any time. */
export class ContentStats implements ByteCounts {
  // Sum, sum of squares and the printable count are read off the histogram in `summary()`; only what
  // depends on byte order (serial correlation, repeats) is accumulated per byte.
  private readonly counts = new Float64Array(256);
  private n = 0;
  // Serial correlation sums (Knuth TAOCP vol. 2 §3.3.2, as `ent` computes them).
  private first = 0;
  private last = 0;
  private uv = 0;
  // Repeat signal: each 3-byte window is hashed to a slot that remembers the last window stored there;
  // a hit means the same trigram recurred (what LZ77 would exploit). Random bytes hit ~1/4096 of the time.
  private readonly lastSeen = new Int32Array(REPEAT_SLOTS);
  /** The last two bytes seen (the low 16 bits), to continue trigrams across chunks. */
  private recent = 0;
  private repeats = 0;

  add(bytes: Uint8Array): void {
    const length = bytes.length;
    if (length === 0) return;
    if (this.n === 0) this.first = bytes[0]!;
    // Hot loop: locals only (field stores per byte cost ~3×). The first two bytes of the stream start
    // no trigram; every later byte ends one.
    const counts = this.counts;
    const lastSeen = this.lastSeen;
    let { last, uv, recent, repeats } = this;
    let i = 0;
    for (; i < length && this.n + i < 2; i++) {
      const b = bytes[i]!;
      counts[b]!++;
      uv += last * b;
      last = b;
      recent = ((recent << 8) | b) & 0xffff;
    }
    for (; i < length; i++) {
      const b = bytes[i]!;
      counts[b]!++;
      uv += last * b;
      last = b;
      const trigram = (recent << 8) | b;
      const key = trigram + 1;
      const slot = Math.imul(key, 0x9e3779b1) >>> 20;
      repeats += +(lastSeen[slot] === key); // branch-free: storing an equal key again changes nothing
      lastSeen[slot] = key;
      recent = trigram & 0xffff;
    }
    this.n += length;
    this.last = last;
    this.uv = uv;
    this.recent = recent;
    this.repeats = repeats;
  }

  /** Starts a new stream, keeping the tables (so one instance can measure many buffers without allocating). */
  reset(): void {
    this.counts.fill(0);
    this.lastSeen.fill(0);
    this.n = 0;
    this.first = 0;
    this.last = 0;
    this.uv = 0;
    this.recent = 0;
    this.repeats = 0;
  }

  get length(): number {
    return this.n;
  }

  /** How many times `byte` occurred. */
  count(byte: number): number {
    return this.counts[byte]!;
  }

  summary(): StatsSummary {
    return summarise(this.counts, this.n, this.first, this.last, this.uv, this.repeats);
  }
}

export interface StatsSummary {
  bytes: number;
  /** Shannon entropy of the byte histogram, bits per byte (0..8). */
  entropy: number;
  /** Expected entropy of `bytes` uniformly random bytes: the plug-in estimate is biased low on short samples. */
  randomEntropy: number;
  /** Pearson chi-square of the histogram against uniform, 255 degrees of freedom. */
  chiSquare: number;
  /** Chi-square as a standard normal deviate (Wilson–Hilferty): ~N(0,1) for random bytes. */
  chiZ: number;
  mean: number;
  /** Lag-1 serial correlation coefficient: ~0 for random bytes, strongly positive for text and images. */
  serialCorrelation: number;
  /** Fraction of 3-byte windows seen before (a cheap compressibility signal): ~0 for random, high for text. */
  repeatRatio: number;
  /** Fraction of bytes that are printable ASCII or TAB/CR/LF. */
  printableRatio: number;
  distinct: number;
}

/** Statistics of one buffer in one call. */
export function statsOf(bytes: Uint8Array): StatsSummary {
  return measure(bytes).summary();
}

const scratch = new ContentStats();

/**
 * The byte counts and statistics of one buffer, in a shared instance: valid until the next call (content
 * inspection is synchronous, and this spares a 16 KiB table per buffer measured).
 */
export function measure(bytes: Uint8Array): ContentStats {
  scratch.reset();
  scratch.add(bytes);
  return scratch;
}

export const IS_TEXT_BYTE: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0x20; b < 0x7f; b++) t[b] = 1;
  t[0x09] = 1;
  t[0x0a] = 1;
  t[0x0d] = 1;
  return t;
})();

function summarise(counts: Float64Array, n: number, first: number, last: number, uv: number, repeats: number): StatsSummary {
  let entropy = 0;
  let chi = 0;
  let distinct = 0;
  let sum = 0;
  let u2 = 0;
  let printable = 0;
  const expected = n / 256;
  for (let b = 0; b < 256; b++) {
    const c = counts[b]!;
    if (c > 0) {
      distinct++;
      const p = c / n;
      entropy -= p * Math.log2(p);
      sum += b * c;
      u2 += b * b * c;
      printable += IS_TEXT_BYTE[b]! * c;
    }
    if (n > 0) chi += ((c - expected) * (c - expected)) / expected;
  }
  let serialCorrelation = 0;
  if (n > 1) {
    const uvAll = uv + last * first; // wrap-around term closes the cycle, as `ent` does
    const a = n * uvAll - sum * sum;
    const d = n * u2 - sum * sum;
    serialCorrelation = d === 0 ? 1 : a / d;
  }
  const windows = Math.max(0, n - 2);
  return {
    bytes: n,
    entropy,
    randomEntropy: expectedRandomEntropy(n),
    chiSquare: chi,
    chiZ: chiSquareZ(chi, 255),
    mean: n > 0 ? sum / n : 0,
    serialCorrelation,
    repeatRatio: windows > 0 ? repeats / windows : 0,
    printableRatio: n > 0 ? printable / n : 0,
    distinct,
  };
}

/** Wilson–Hilferty transform of a chi-square value with `dof` degrees of freedom to a normal deviate. */
export function chiSquareZ(chi: number, dof: number): number {
  const k = dof;
  const c = 2 / (9 * k);
  return (Math.cbrt(chi / k) - (1 - c)) / Math.sqrt(c);
}

const EXPECTED_CACHE = new Map<number, number>();
const EXPECTED_CACHE_MAX = 4096;

/**
 * E[plug-in entropy] of n uniformly random bytes: 256 · Σ_k P(Binomial(n, 1/256) = k) · −(k/n)·log2(k/n),
 * summed exactly with the pmf recurrence; above 65536 bytes the Miller–Madow form 8 − 255/(2n·ln 2) is exact enough.
 */
export function expectedRandomEntropy(n: number): number {
  if (n <= 1) return 0;
  if (n > 65536) return 8 - 255 / (2 * n * Math.LN2);
  const cached = EXPECTED_CACHE.get(n);
  if (cached !== undefined) return cached;
  let pmf = Math.pow(255 / 256, n);
  let h = 0;
  const mean = n / 256;
  for (let k = 0; k < n; k++) {
    pmf = (pmf * (n - k)) / ((k + 1) * 255);
    const j = k + 1;
    h -= 256 * pmf * (j / n) * Math.log2(j / n);
    if (j > mean + 60 && pmf < 1e-15) break;
  }
  if (EXPECTED_CACHE.size < EXPECTED_CACHE_MAX) EXPECTED_CACHE.set(n, h);
  return h;
}
