// The content-inspection settings as config keys, shared by every detector that inspects payloads, so
// `detectors.<id>.min_ciphertext_bytes` means the same thing everywhere. Defaults and rationale: inspect.ts.
import { z } from 'zod';
import { INSPECT_DEFAULTS, type InspectOptions } from './inspect.js';

const d = INSPECT_DEFAULTS;

export const inspectionShape = {
  /** Decoded bytes needed before anything is called ciphertext (hashes, keys and tokens are ≤ 64 bytes). */
  min_ciphertext_bytes: z.number().int().min(16).default(d.minCiphertextBytes),
  /** Chi-square normal deviate above which high-entropy bytes count as compressed, not ciphertext. */
  chi_z_max: z.number().positive().default(d.chiZMax),
  /** Smallest sample on which the chi-square uniformity test is applied (≥ 5 expected per byte value). */
  chi_min_bytes: z.number().int().min(256).default(d.chiMinBytes),
  /** Encoding layers peeled at most (percent → Base64 → hex …). */
  max_layers: z.number().int().min(0).max(16).default(d.maxLayers),
  /** Shortest Base64/Base32/hex run decoded, in characters. */
  min_run: z.number().int().min(8).default(d.minRun),
  /** Characters of one encoded run decoded at most. */
  max_run_chars: z.number().int().positive().default(d.maxRunChars),
  /** Work budget per inspection, as a multiple of the sample length. */
  work_factor: z.number().int().min(2).default(d.workFactor),
  /** Try repeating-key XOR key recovery on mid-entropy binary. */
  xor: z.boolean().default(d.xor),
};

export type InspectionConfig = { [K in keyof typeof inspectionShape]: z.infer<(typeof inspectionShape)[K]> };

export function toInspectOptions(c: InspectionConfig): InspectOptions {
  return {
    ...INSPECT_DEFAULTS,
    minCiphertextBytes: c.min_ciphertext_bytes,
    chiZMax: c.chi_z_max,
    chiMinBytes: c.chi_min_bytes,
    maxLayers: c.max_layers,
    minRun: c.min_run,
    maxRunChars: c.max_run_chars,
    workFactor: c.work_factor,
    xor: c.xor,
  };
}
