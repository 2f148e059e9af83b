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

/** The longest run of characters (or bytes) in `alphabet`; the first, when several tie. */
export function longestRun(input: string | Uint8Array, alphabet: Alphabet): Run {
  // One table lookup per character: this runs over every body the seed analytic sees.
  let bestStart = 0;
  let bestLength = 0;
  let start = 0;
  let length = 0;
  const text = typeof input === 'string' ? input : undefined;
  const bytes = typeof input === 'string' ? undefined : input;
  const n = input.length;
  for (let i = 0; i < n; i++) {
    const code = text !== undefined ? text.charCodeAt(i) : bytes![i]!;
    if (code < 256 && alphabet[code] === 1) {
      if (length === 0) start = i;
      if (++length > bestLength) {
        bestLength = length;
        bestStart = start;
      }
    } else {
      length = 0;
    }
  }
  return { start: bestStart, length: bestLength };
}
