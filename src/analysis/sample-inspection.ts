// One inspection per content observation. An HTTP request body reaches encrypted-payload (as a `payload`
// event and on its `http` event) and the seed's analytic 1 (on the `http` event): every one of them holds the
// same ByteSample object, so its inspection is computed once, memoised on that object, and read by all. A
// memo entry is reused only for the same bytes (prefix length), options and hints, so every reader gets what
// `inspect` would have returned it; entries go when the sample does (a WeakMap holds nothing alive).
import type { ByteSample } from '../core/events.js';
import { INSPECT_DEFAULTS, inspect, type InspectHints, type Inspection, type InspectOptions } from './inspect.js';

interface Memo {
  length: number;
  options: InspectOptions;
  uri: boolean;
  found: Inspection;
}

const memos = new WeakMap<ByteSample, Memo[]>();
/** Distinct (length, options, hints) inspections remembered per sample: two readers need two at most. */
const MAX_MEMOS_PER_SAMPLE = 4;

/**
 * `inspect` of the first `limit` bytes of `sample` (with its total length), computed at most once per sample
 * for the same limit, options and hints. The result is shared between readers and frozen.
 */
export function inspectSample(
  sample: ByteSample, limit = Infinity, options: InspectOptions = INSPECT_DEFAULTS, hints: InspectHints = {},
): Readonly<Inspection> {
  const length = Math.min(sample.bytes.length, limit);
  const uri = hints.uri === true;
  const memo = memos.get(sample) ?? [];
  const hit = memo.find((m) => m.length === length && m.uri === uri && sameOptions(m.options, options));
  if (hit !== undefined) return hit.found;
  const found = Object.freeze(inspect(sample.bytes.subarray(0, length), sample.total, options, hints));
  if (memo.length < MAX_MEMOS_PER_SAMPLE) {
    memo.push({ length, options, uri, found });
    memos.set(sample, memo);
  }
  return found;
}

function sameOptions(a: InspectOptions, b: InspectOptions): boolean {
  if (a === b) return true;
  for (const key of Object.keys(a) as (keyof InspectOptions)[]) if (a[key] !== b[key]) return false;
  return Object.keys(a).length === Object.keys(b).length;
}
