// Content inspection: classifies a byte sample as ciphertext, compressed/media, text or other binary, and
// peels encoding layers (percent, quoted-printable, PGP armour, Base64/Base64url/Base32/hex runs) to classify
// what they carry. The walk is an explicit worklist with a layer cap, a per-layer run cap, a per-run decode
// cap and a total work budget, so the cost is linear in the sample whatever the bytes are.
//
// Thresholds (defaults in INSPECT_DEFAULTS, all options of the detectors that use them):
// - Ciphertext is claimed only from `minCiphertextBytes` (96) decoded bytes: hashes, nonces, keys and session
//   tokens (≤ 64 bytes) are random too and are not exfiltration.
// - High entropy: H ≥ E[H of n random bytes] − margin(n), margin = clamp(90/n, 0.02, 0.35) bits. The expectation
//   is computed exactly (plug-in entropy is biased low: 7.17 bits at 256 bytes, 7.81 at 1 KiB, 7.95 at 4 KiB);
//   the margin is ≥ 4.5 standard deviations of random samples at every n (measured: sd 0.07 at 64 bytes,
//   0.017 at 1 KiB, 0.004 at 4 KiB), while English text stays below 5 bits and Base64 text below 6.
// - Uniformity (the compressed-vs-ciphertext test): from `chiMinBytes` (1280 bytes: ≥ 5 expected per cell, when
//   Pearson's test is valid) a chi-square deviate z > `chiZMax` (4, p ≈ 3·10⁻⁵) or |serial correlation| >
//   6/√n marks high-entropy bytes as compressed/media rather than ciphertext: deflate of text scores z ≈ 7 at
//   2 KiB and ≈ 10 at 4 KiB, random bytes z ~ N(0,1). Below 1280 bytes only magic numbers separate them.
// - Text: ≥ `textRatio` (0.9) of bytes printable ASCII/TAB/CR/LF.
import {
  countEscapes, dearmor, decodePercent, decodeQuotedPrintable, decodeRun, findEncodedRuns, mayHoldArmor, mayHoldEscapes,
  QP_MIN_SOFT_BREAKS, WorkMeter, type EncodingLayer,
} from './encodings.js';
import { blockAlignment, cipherFingerprint, type CipherFingerprint } from './fingerprints.js';
import { identifyFormat, type Format } from './magic.js';
import { measure, type ByteCounts, type StatsSummary } from './stats.js';
import { recoverXorKey, XOR_DEFAULTS } from './xor.js';

export type Verdict = 'ciphertext' | 'compressed' | 'media' | 'binary' | 'text' | 'too-short';

export interface InspectOptions {
  minCiphertextBytes: number;
  textRatio: number;
  chiMinBytes: number;
  chiZMax: number;
  /** Encoding layers peeled at most. */
  maxLayers: number;
  /** Encoded runs followed per layer (the longest). */
  maxRunsPerLayer: number;
  /** Shortest Base-N run decoded, in characters. */
  minRun: number;
  /** Characters of one run decoded at most. */
  maxRunChars: number;
  /** Total work (bytes scanned + decoded) per inspection, as a multiple of the sample length. */
  workFactor: number;
  /** Try repeating-key XOR recovery on mid-entropy binary. */
  xor: boolean;
}

export const INSPECT_DEFAULTS: InspectOptions = {
  minCiphertextBytes: 96,
  textRatio: 0.9,
  chiMinBytes: 1280,
  chiZMax: 4,
  maxLayers: 4,
  maxRunsPerLayer: 4,
  minRun: 32,
  maxRunChars: 256 * 1024,
  workFactor: 24,
  xor: true,
};

export interface Classification {
  verdict: Verdict;
  stats: StatsSummary;
  format?: Format;
  fingerprint?: CipherFingerprint;
  /** Cipher block alignment of the complete ciphertext, when its whole length is known. */
  alignment?: 'block-16' | 'block-8' | 'unaligned';
}

export interface Inspection extends Classification {
  /** Encodings peeled to reach the classified bytes, outermost first. */
  layers: EncodingLayer[];
  /** Length of the classified bytes (after decoding). */
  bytes: number;
  /** Work units spent (bytes scanned + decoded). */
  work: number;
  /** The work budget ran out before every candidate was followed. */
  truncated: boolean;
}

/** XOR of text with a key spreads it over more byte values; constant or near-constant bytes are not worth it. */
const XOR_MIN_ENTROPY = 3;

const RANK: Record<Verdict, number> = { ciphertext: 5, compressed: 3, media: 3, binary: 2, text: 1, 'too-short': 0 };

/** Classifies bytes without looking for encodings. `completeLength` is the full message length, if known. */
export function classify(
  bytes: Uint8Array, completeLength: number | undefined, options: InspectOptions = INSPECT_DEFAULTS, meter = new WorkMeter(),
): Classification {
  return classifyMeasured(bytes, measure(bytes).summary(), completeLength, options, meter);
}

function classifyMeasured(
  bytes: Uint8Array, stats: StatsSummary, completeLength: number | undefined, options: InspectOptions, meter: WorkMeter,
): Classification {
  const fingerprint = cipherFingerprint(bytes);
  const format = identifyFormat(bytes);
  if (fingerprint !== undefined) {
    const header = fingerprint.name === 'openssl-salted' ? 16 : 0;
    const alignment = completeLength !== undefined && header > 0 ? blockAlignment(completeLength - header) : undefined;
    return { verdict: 'ciphertext', stats, fingerprint, ...(format ? { format } : {}), ...(alignment ? { alignment } : {}) };
  }
  if (format !== undefined) {
    const verdict: Verdict = format.family === 'image' || format.family === 'audio-video' ? 'media' : format.family === 'executable' ? 'binary' : format.family === 'document' ? 'binary' : 'compressed';
    return { verdict, stats, format };
  }
  if (stats.printableRatio >= options.textRatio) return { verdict: 'text', stats };
  if (bytes.length < options.minCiphertextBytes) return { verdict: 'too-short', stats };
  if (isHighEntropy(stats)) {
    if (isNonUniform(stats, options)) return { verdict: 'compressed', stats };
    const alignment = completeLength !== undefined ? blockAlignment(completeLength) : undefined;
    return { verdict: 'ciphertext', stats, ...(alignment ? { alignment } : {}) };
  }
  if (options.xor && stats.entropy >= XOR_MIN_ENTROPY) {
    meter.units += Math.min(bytes.length, XOR_DEFAULTS.maxSample) * (XOR_DEFAULTS.maxKeyLength + 1);
    const xor = recoverXorKey(bytes, XOR_DEFAULTS);
    if (xor !== undefined) {
      const key = Buffer.from(xor.key).toString('hex');
      return { verdict: 'ciphertext', stats, fingerprint: { name: 'xor', cipher: `XOR/${xor.key.length}`, detail: `key 0x${key}, plaintext "${xor.preview}"` } };
    }
  }
  return { verdict: 'binary', stats };
}

export function entropyMargin(n: number): number {
  return Math.min(0.35, Math.max(0.02, 90 / Math.max(n, 1)));
}

export function isHighEntropy(stats: StatsSummary): boolean {
  return stats.bytes > 0 && stats.entropy >= stats.randomEntropy - entropyMargin(stats.bytes);
}

function isNonUniform(stats: StatsSummary, options: InspectOptions): boolean {
  if (stats.bytes < options.chiMinBytes) return false;
  return stats.chiZ > options.chiZMax || Math.abs(stats.serialCorrelation) > 6 / Math.sqrt(stats.bytes);
}

export interface InspectHints {
  /** The bytes are a URI: `/` separates path segments rather than belonging to Base64. */
  uri?: boolean;
}

interface Pending {
  bytes: Uint8Array;
  layers: EncodingLayer[];
  completeLength: number | undefined;
}

/**
 * Classifies the sample and everything encoded inside it; returns the most suspicious finding
 * (ciphertext over compressed/media over binary over text), ties going to the larger.
 */
export function inspect(
  sample: Uint8Array, total: number | undefined, options: InspectOptions = INSPECT_DEFAULTS, hints: InspectHints = {},
): Inspection {
  const meter = new WorkMeter();
  const budget = Math.max(sample.length, 64) * options.workFactor;
  const work: Pending[] = [{ bytes: sample, layers: [], completeLength: total ?? sample.length }];
  let best: Inspection | undefined;
  let truncated = false;
  while (work.length > 0) {
    const item = work.pop()!;
    meter.units += item.bytes.length;
    const measured = measure(item.bytes);
    const classified = classifyMeasured(item.bytes, measured.summary(), item.completeLength, options, meter);
    const found: Inspection = { ...classified, layers: item.layers, bytes: item.bytes.length, work: 0, truncated: false };
    if (best === undefined || isMoreSuspicious(found, best)) best = found;
    if (item.layers.length >= options.maxLayers) continue;
    if (found.verdict !== 'text' && found.verdict !== 'binary') continue;
    if (meter.units > budget) {
      truncated = true;
      continue;
    }
    for (const child of peel(item, found, measured, options, hints, meter)) work.push(child);
  }
  return { ...best!, work: meter.units, truncated };
}

const NO_ESCAPES = { percent: 0, qp: 0, softBreaks: 0 };

function isMoreSuspicious(a: Inspection, b: Inspection): boolean {
  const ra = RANK[a.verdict];
  const rb = RANK[b.verdict];
  if (ra !== rb) return ra > rb;
  if ((a.fingerprint !== undefined) !== (b.fingerprint !== undefined)) return a.fingerprint !== undefined;
  return a.bytes > b.bytes;
}

/**
 * The decodings worth classifying inside one text-like item. Scans that the byte counts rule out (armour,
 * escapes) are skipped but charged to the meter as if they ran, so the work budget, and with it the
 * result, is the same either way.
 */
function peel(item: Pending, found: Classification, counts: ByteCounts, options: InspectOptions, hints: InspectHints, meter: WorkMeter): Pending[] {
  const children: Pending[] = [];
  const complete = item.completeLength === item.bytes.length;
  let armored: Uint8Array | undefined;
  if (mayHoldArmor(counts)) armored = dearmor(item.bytes, meter);
  else meter.units += item.bytes.length; // the search dearmor would have made
  if (armored !== undefined) {
    // The armour body is itself the longest Base64 run: decoding it once is enough.
    return [{ bytes: armored, layers: [...item.layers, 'pgp-armor'], completeLength: complete ? armored.length : undefined }];
  }

  const minEscapes = Math.max(8, item.bytes.length / 40);
  let escapes = NO_ESCAPES;
  if (mayHoldEscapes(counts, minEscapes)) escapes = countEscapes(item.bytes, meter);
  else meter.units += item.bytes.length; // the pass countEscapes would have made
  if (escapes.percent >= minEscapes) {
    const decoded = decodePercent(item.bytes, true, meter);
    children.push({ bytes: decoded, layers: [...item.layers, 'percent'], completeLength: complete ? decoded.length : undefined });
  } else if (escapes.softBreaks >= QP_MIN_SOFT_BREAKS || escapes.qp >= minEscapes) {
    const decoded = decodeQuotedPrintable(item.bytes, meter);
    children.push({ bytes: decoded, layers: [...item.layers, 'quoted-printable'], completeLength: complete ? decoded.length : undefined });
  }

  if (found.verdict === 'text') {
    const runs = findEncodedRuns(item.bytes, { minRun: options.minRun, maxRuns: options.maxRunsPerLayer, slashSeparates: hints.uri === true }, meter);
    for (const run of runs) {
      if (run.jwt) continue;
      const decoded = decodeRun(item.bytes, run, options.maxRunChars, meter);
      const whole = (complete || run.end < item.bytes.length) && run.end - run.start <= options.maxRunChars;
      children.push({ bytes: decoded, layers: [...item.layers, run.encoding], completeLength: whole ? decoded.length : undefined });
    }
  }
  return children;
}

/** The measurements a finding reports about inspected content (entropy, chi-square, layers, fingerprint). */
export function inspectionDetails(found: Inspection): Record<string, string | number | boolean | string[]> {
  const details: Record<string, string | number | boolean | string[]> = {
    content: found.verdict,
    inspected_bytes: found.bytes,
    entropy: round(found.stats.entropy, 3),
    random_entropy: round(found.stats.randomEntropy, 3),
    chi_square: round(found.stats.chiSquare, 1),
    chi_z: round(found.stats.chiZ, 2),
    serial_correlation: round(found.stats.serialCorrelation, 4),
    repeat_ratio: round(found.stats.repeatRatio, 4),
    layers: found.layers,
  };
  if (found.fingerprint !== undefined) {
    details.fingerprint = found.fingerprint.name;
    if (found.fingerprint.cipher !== undefined) details.cipher = found.fingerprint.cipher;
    if (found.fingerprint.detail !== undefined) details.fingerprint_detail = found.fingerprint.detail;
  }
  if (found.format !== undefined) details.format = found.format.name;
  if (found.alignment !== undefined) details.alignment = found.alignment;
  return details;
}

/** "ciphertext (base64 → openssl-salted, AES block-16, 7.98 bits/byte)": the content part of a finding's reason. */
export function describeInspection(found: Inspection): string {
  const chain = [...found.layers, found.fingerprint?.name ?? found.format?.name ?? found.verdict].join(' → ');
  const extras = [found.fingerprint?.cipher, found.alignment, `${found.stats.entropy.toFixed(2)} bits/byte`].filter((x) => x !== undefined);
  return `${found.verdict} (${chain}; ${extras.join(', ')})`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
