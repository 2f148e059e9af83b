// Content-Encoding decoding (RFC 9110 §8.4: gzip, x-gzip, deflate) under hard caps so a compression bomb
// (RELIABILITY D26) cannot take memory or time: output ≤ `max_decompressed_bytes`, ratio ≤
// `max_decompression_ratio`, at most `max_encoding_layers` layers. Anything beyond is counted as
// `decompress.capped`; the caller keeps measuring the wire bytes either way.
import { constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

export interface DecompressLimits {
  max_decompressed_bytes: number;
  max_decompression_ratio: number;
  max_encoding_layers: number;
}

export type DecodeResult =
  | { status: 'decoded'; bytes: Uint8Array }
  | { status: 'capped' | 'failed' | 'unsupported' };

/** Coding names of a Content-Encoding value in the order they were applied; `identity` dropped. */
export function parseCodings(value: string): string[] {
  return value.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
}

/** Undoes `codings` (applied first to last) on `body`, the whole entity body as sent. */
export function decodeContent(body: Uint8Array, codings: readonly string[], limits: DecompressLimits): DecodeResult {
  if (codings.length > limits.max_encoding_layers) return { status: 'capped' };
  let data = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!;
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate') return { status: 'unsupported' };
    const maxOutputLength = Math.max(1, Math.min(limits.max_decompressed_bytes, data.length * limits.max_decompression_ratio));
    // Sync flush accepts a body cut short by capture loss: what decodes is kept.
    const options = { maxOutputLength, finishFlush: constants.Z_SYNC_FLUSH };
    try {
      data = coding === 'deflate' ? inflateDeflate(data, options) : gunzipSync(data, options);
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { status: code === 'ERR_BUFFER_TOO_LARGE' ? 'capped' : 'failed' };
    }
  }
  return { status: 'decoded', bytes: data };
}

/** `deflate` is meant to be zlib-wrapped (RFC 1950) but many servers send raw deflate (RFC 1951). */
function inflateDeflate(data: Uint8Array, options: { maxOutputLength: number; finishFlush: number }): Buffer {
  try {
    return inflateSync(data, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
    return inflateRawSync(data, options);
  }
}
