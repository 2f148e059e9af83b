// Single-pass scanners for runs of characters from an alphabet (Base64 and friends): linear in the input,
// never a backtracking regex, so attacker-chosen strings cost what their length costs (RELIABILITY D27).

/** Membership of each byte value (or Latin-1 character) in an alphabet: 1 when it belongs. */
export type Alphabet = Uint8Array;

function alphabetOf(chars: string): Alphabet {
  const table = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

/** `[A-Za-z0-9+/=]`, the seed analytic's Base64 alphabet. */
export const BASE64_ALPHABET: Alphabet = alphabetOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=');

export interface Run {
  start: number;
  length: number;
}

/**
 * The longest run of characters (or bytes) in `alphabet`, the first when several tie — provided it is at
 * least `atLeast` long; when no run is, some shorter run (or an empty one) is returned.
 *
 * A run of `atLeast` or more that starts at or after `from` must cover position `from + atLeast − 1`, so
 * that is the only position probed: a non-member there rules out every start up to it, and the scan jumps
 * past it. A member is widened to its whole run. Every position is read at most once, so the cost is linear
 * in the worst case and a small fraction of the input on binary data or prose (RELIABILITY D27).
 */
export function longestRun(input: string | Uint8Array, alphabet: Alphabet, atLeast = 1): Run {
  const codes = typeof input === 'string' ? charCodes(input) : input;
  const isMember = (i: number): boolean => {
    const code = codes[i]!;
    return code < 256 && alphabet[code] === 1;
  };
  const n = codes.length;
  let best: Run = { start: 0, length: 0 };
  let need = Math.max(1, atLeast);
  let from = 0; // every run starting before `from` has been measured, and `from − 1` is not a member
  while (from + need - 1 < n) {
    const probe = from + need - 1;
    if (!isMember(probe)) {
      from = probe + 1;
      continue;
    }
    let start = probe;
    while (start > from && isMember(start - 1)) start--;
    let end = probe + 1;
    while (end < n && isMember(end)) end++;
    if (end - start >= need) {
      best = { start, length: end - start };
      need = best.length + 1;
    }
    from = end + 1;
  }
  return best;
}

function charCodes(text: string): Uint16Array {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}
