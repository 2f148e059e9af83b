// Byte statistics for the report's entropy/chi-square view: Shannon entropy and Pearson's chi-square against a
// uniform byte distribution. A stand-in until src/analysis offers these (replace the import in collect.ts then).
// Why both: compressed and encrypted data both have entropy near 8 bits/byte, but only ciphertext is uniform
// enough to pass chi-square; compressed streams keep headers and Huffman structure that chi-square exposes.

export interface ByteStats {
  /** Shannon entropy in bits per byte (0–8). */
  entropy: number;
  /** Pearson chi-square of the byte histogram against uniform (255 degrees of freedom). */
  chiSquare: number;
}

export function byteStats(bytes: Uint8Array): ByteStats {
  const counts = new Uint32Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]!]!++;
  const n = bytes.length;
  if (n === 0) return { entropy: 0, chiSquare: 0 };
  const expected = n / 256;
  let entropy = 0;
  let chiSquare = 0;
  for (let b = 0; b < 256; b++) {
    const c = counts[b]!;
    const diff = c - expected;
    chiSquare += (diff * diff) / expected;
    if (c > 0) {
      const p = c / n;
      entropy -= p * Math.log2(p);
    }
  }
  return { entropy, chiSquare };
}

/** The 99th percentile of chi-square with 255 degrees of freedom: uniform bytes stay below it 99% of the time. */
export const CHI_SQUARE_UNIFORM_P99 = 310.457;
/** Below this many bytes the histogram is too sparse (fewer than one expected count per value) to tell. */
export const MIN_BYTES_TO_CLASSIFY = 256;
/** Compressed data keeps entropy this high while failing the uniformity test. */
export const HIGH_ENTROPY = 7.0;

export type PayloadClass = 'encrypted' | 'compressed' | 'other';

/** Encrypted-looking (uniform), compressed-looking (dense but not uniform), or neither / too small to tell. */
export function classifyPayload(stats: ByteStats, size: number): PayloadClass {
  if (size < MIN_BYTES_TO_CLASSIFY) return 'other';
  if (stats.chiSquare <= CHI_SQUARE_UNIFORM_P99) return 'encrypted';
  if (stats.entropy >= HIGH_ENTROPY) return 'compressed';
  return 'other';
}
