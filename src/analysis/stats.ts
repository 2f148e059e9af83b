// Streaming content statistics for one byte stream: the randomness tests that tell ciphertext from
// compressed or media data and from text. Same measures as Fourmilab `ent` (entropy, chi-square,
// arithmetic mean, serial correlation) plus a cheap repeat-based compressibility signal.
// Memory is fixed (a 256-cell histogram and a 4096-slot repeat table) whatever the input length.

const REPEAT_SLOTS = 4096;

/** Accumulates statistics over chunks of one stream; `summary()` may be called at any time. */
export class ContentStats {
  private readonly counts = new Float64Array(256);
  private n = 0;
  private sum = 0;
  // Serial correlation sums (Knuth TAOCP vol. 2 §3.3.2, as `ent` computes them).
  private sccFirst = -1;
  private sccLast = 0;
  private sccUV = 0;
  private sccU2 = 0;
  // Repeat signal: each 3-byte window is hashed to a slot that remembers the last window stored there;
  // a hit means the same trigram recurred (what LZ77 would exploit). Random bytes hit ~1/4096 of the time.
  private readonly lastSeen = new Int32Array(REPEAT_SLOTS);
  /** The last two bytes seen, to continue trigrams across chunks. */
  private readonly window = new Uint8Array(2);
  private repeats = 0;
  private windows = 0;
  private printable = 0;

  add(bytes: Uint8Array): void {
    // Hot loop: the running sums live in locals and are written back once (field stores per byte cost ~3×).
    const counts = this.counts;
    const lastSeen = this.lastSeen;
    let { n, sum, sccFirst, sccLast, sccUV, sccU2, repeats, windows, printable } = this;
    let w0 = this.window[0]!;
    let w1 = this.window[1]!;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      counts[b]!++;
      sum += b;
      if (sccFirst < 0) sccFirst = b;
      else sccUV += sccLast * b;
      sccU2 += b * b;
      sccLast = b;
      printable += IS_TEXT_BYTE[b]!;
      n++;
      if (n >= 3) {
        windows++;
        const key = ((w0 << 16) | (w1 << 8) | b) + 1;
        const slot = Math.imul(key, 0x9e3779b1) >>> 20;
        if (lastSeen[slot] === key) repeats++;
        else lastSeen[slot] = key;
      }
      w0 = w1;
      w1 = b;
    }
    Object.assign(this, { n, sum, sccFirst, sccLast, sccUV, sccU2, repeats, windows, printable });
    this.window[0] = w0;
    this.window[1] = w1;
  }

  get length(): number {
    return this.n;
  }

  summary(): StatsSummary {
    return summarise(this.counts, this.n, this.sum, this.sccFirst, this.sccLast, this.sccUV, this.sccU2, this.repeats, this.windows, this.printable);
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
  const s = new ContentStats();
  s.add(bytes);
  return s.summary();
}

export const IS_TEXT_BYTE: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0x20; b < 0x7f; b++) t[b] = 1;
  t[0x09] = 1;
  t[0x0a] = 1;
  t[0x0d] = 1;
  return t;
})();

function summarise(
  counts: Float64Array, n: number, sum: number, first: number, last: number, uv: number, u2: number,
  repeats: number, windows: number, printable: number,
): StatsSummary {
  let entropy = 0;
  let chi = 0;
  let distinct = 0;
  const expected = n / 256;
  for (let b = 0; b < 256; b++) {
    const c = counts[b]!;
    if (c > 0) {
      distinct++;
      const p = c / n;
      entropy -= p * Math.log2(p);
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
